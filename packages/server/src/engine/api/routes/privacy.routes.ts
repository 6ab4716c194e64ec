import type { FastifyInstance } from 'fastify';
import { recordAudit, requestFacts } from '../../audit/audit.ts';
import { assertWorkspaceAdmin } from '../../permissions/guards.ts';
import { eraseRecord } from '../../privacy/erase-record.ts';
import { exportPersonalData } from '../../privacy/personal-data.ts';
import { getContext, getObjectOrThrow, type EngineServices } from '../context.ts';
import { sendAttachment } from './attachment.ts';
import { assertId, recordParams, type RecordParams } from './query-params.ts';

/** Data subjects' rights (GDPR, CCPA): everything about a record in one archive, and its erasure everywhere. */
export const registerPrivacyRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  app.get<{ Params: RecordParams }>('/records/:object/:id/personal-data', { config: { licenceFeatures: ['records.read', 'export'] }, schema: { params: recordParams } }, async (request, reply) => {
    const { workspace, actorId, access } = getContext(request);
    const object = getObjectOrThrow(workspace, request.params.object);
    const { id } = request.params;
    assertId(id, object.name);
    const stream = await exportPersonalData({ db, workspace, object, access }, id);
    // The entry names the record, never its data.
    await recordAudit(db, { workspaceId: workspace.id, actorId, action: 'gdpr.exported', objectName: object.name, recordId: id, ...requestFacts(request) });
    return sendAttachment(reply, { type: 'application/zip', fileName: `${object.name}-${id}-personal-data.zip`, body: stream });
  });

  app.post<{ Params: RecordParams }>('/records/:object/:id/erase', { config: { licenceFeatures: ['admin'] }, schema: { params: recordParams } }, async (request) => {
    const { workspace, actorId, principal } = getContext(request);
    await assertWorkspaceAdmin(db, principal);
    const object = getObjectOrThrow(workspace, request.params.object);
    const { id } = request.params;
    assertId(id, object.name);
    const record = await eraseRecord({ db, workspace, object, id, actorId });
    await recordAudit(db, { workspaceId: workspace.id, actorId, action: 'gdpr.erased', objectName: object.name, recordId: id, ...requestFacts(request) });
    return record;
  });
};
