import type { FastifyInstance } from 'fastify';
import { recordAudit, requestFacts } from '../../audit/audit.ts';
import type { ExportFormat } from '@rapport/common';
import { EXPORT_CONTENT_TYPES, exportRecords } from '../../exports/export-records.ts';
import { exportWorkspace } from '../../exports/workspace-export.ts';
import { assertWorkspaceAdmin } from '../../permissions/guards.ts';
import { getContext, getObjectOrThrow, type EngineServices } from '../context.ts';
import { exportQuerystring, type ExportQuerystring } from './exports.schemas.ts';
import { fileDay, sendAttachment } from './attachment.ts';
import { objectParams, parseFilter, splitList, type ObjectParams } from './query-params.ts';

/** Records as a file (CSV, XLSX, JSON): a view or a whole object, streamed, through the permission layer, audited. */
export const registerExportRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  // Two paths, one export: under the object's records, and `/exports/{object}` as the issue names it.
  for (const path of ['/records/:object/export', '/exports/:object']) {
    app.get<{ Params: ObjectParams; Querystring: ExportQuerystring }>(
      path,
      {
        config: { licenceFeatures: ['records.read', 'export'] },
        schema: { params: objectParams, querystring: exportQuerystring },
      },
      async (request, reply) => {
        const { workspace, actorId, access } = getContext(request);
        const object = getObjectOrThrow(workspace, request.params.object);
        const format: ExportFormat = request.query.format ?? 'csv';
        const filter = parseFilter(request.query.filter);
        const sort = splitList(request.query.sort);
        const fields = splitList(request.query.fields);
        const file = await exportRecords(
          { db, workspace, object, access },
          { format, ...(filter ? { filter } : {}), ...(request.query.segment ? { segment: request.query.segment } : {}), ...(sort ? { sort } : {}), ...(fields ? { fields } : {}), ...(request.query.vcardVersion ? { vcardVersion: request.query.vcardVersion } : {}) },
        );
        await recordAudit(db, {
          workspaceId: workspace.id,
          actorId,
          action: 'export.created',
          objectName: object.name,
          ...requestFacts(request),
          details: { format, fields: file.fields, ...(filter ? { filter } : {}), ...(request.query.segment ? { segment: request.query.segment } : {}), ...(sort ? { sort } : {}) },
        });
        return sendAttachment(reply, { type: EXPORT_CONTENT_TYPES[format], fileName: `${object.name}-${fileDay()}.${format}`, body: file.stream });
      },
    );
  }

  // The whole workspace in one archive: administrators only (every object), audited like any export.
  app.get('/workspace/export', { config: { licenceFeatures: ['admin', 'export'] } }, async (request, reply) => {
    const { principal, workspace, actorId, access } = getContext(request);
    await assertWorkspaceAdmin(db, principal);
    const archive = await exportWorkspace({ db, workspace, access });
    await recordAudit(db, { workspaceId: workspace.id, actorId, action: 'export.created', ...requestFacts(request), details: { scope: 'workspace', objects: [...access.view.objects.keys()] } });
    const slug = workspace.name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'workspace';
    return sendAttachment(reply, { type: 'application/zip', fileName: `${slug}-${fileDay()}.zip`, body: archive });
  });
};
