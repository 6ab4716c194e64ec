import type { FastifyInstance } from 'fastify';
import { recordAudit, requestFacts } from '../../audit/audit.ts';
import { AppError } from '../../errors.ts';
import { isUuid } from '../../fields/types/relation.field.ts';
import { assertWorkspaceAdmin } from '../../permissions/guards.ts';
import { eraseRecord } from '../../privacy/erase-record.ts';
import { exportPersonalData } from '../../privacy/personal-data.ts';
import { getContext, getObjectOrThrow, type EngineServices } from '../context.ts';

type RecordParams = { object: string; id: string };
const recordParams = {
  type: 'object',
  properties: { object: { type: 'string', maxLength: 100 }, id: { type: 'string', maxLength: 100 } },
  required: ['object', 'id'],
} as const;

/** Data subjects' rights (GDPR, CCPA): everything about a record in one archive, and its erasure everywhere. */
export const registerPrivacyRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  const target = (request: { params: RecordParams }) => {
    if (!isUuid(request.params.id)) throw new AppError('RECORD_NOT_FOUND', `No ${request.params.object} with id ${request.params.id} (ids are UUIDs).`);
    return request.params.id;
  };

  app.get<{ Params: RecordParams }>('/records/:object/:id/personal-data', { config: { licenceFeatures: ['records.read', 'export'] }, schema: { params: recordParams } }, async (request, reply) => {
    const { workspace, actorId, access } = getContext(request);
    const object = getObjectOrThrow(workspace, request.params.object);
    const id = target(request);
    const { stream } = await exportPersonalData({ db, workspace, object, access }, id);
    // The entry names the record, never its data.
    await recordAudit(db, { workspaceId: workspace.id, actorId, action: 'gdpr.exported', objectName: object.name, recordId: id, ...requestFacts(request) });
    return reply
      .type('application/zip')
      .header('content-disposition', `attachment; filename="${object.name}-${id}-personal-data.zip"`)
      .header('cache-control', 'no-store')
      .send(stream);
  });

  app.post<{ Params: RecordParams }>('/records/:object/:id/erase', { config: { licenceFeatures: ['admin'] }, schema: { params: recordParams } }, async (request) => {
    const { workspace, actorId, principal } = getContext(request);
    await assertWorkspaceAdmin(db, principal);
    const object = getObjectOrThrow(workspace, request.params.object);
    const id = target(request);
    const record = await eraseRecord({ db, workspace, object, id, actorId });
    await recordAudit(db, { workspaceId: workspace.id, actorId, action: 'gdpr.erased', objectName: object.name, recordId: id, ...requestFacts(request) });
    return record;
  });
};
