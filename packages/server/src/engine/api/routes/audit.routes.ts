import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { recordAudit, requestFacts } from '../../audit/audit.ts';
import { checkAuditFilter, listAuditEntries, streamAuditEntries, type AuditFilter } from '../../audit/audit-query.ts';
import { assertInstanceAuditReader } from '../../audit/instance-audit.ts';
import { assertWorkspaceAdmin } from '../../permissions/guards.ts';
import { getContext, type EngineServices } from '../context.ts';
import { auditExportQuerystring, auditListQuerystring, auditPageSchema, type AuditQuerystring } from './audit.schemas.ts';

/** The workspace's audit log: searchable by administrators, exportable as JSON lines for a SIEM. */
export const registerAuditRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  const filterOf = (workspaceId: string, query: AuditQuerystring): AuditFilter => ({
    workspaceId: query.scope === 'instance' ? null : workspaceId,
    ...(query.action ? { action: query.action } : {}),
    ...(query.userId ? { userId: query.userId } : {}),
    ...(query.from ? { from: query.from } : {}),
    ...(query.to ? { to: query.to } : {}),
  });

  app.get<{ Querystring: AuditQuerystring }>(
    '/audit',
    { config: { licenceFeatures: ['admin'] }, schema: { querystring: auditListQuerystring, response: { 200: auditPageSchema } } },
    async (request) => {
      const { principal, workspace } = getContext(request);
      await assertWorkspaceAdmin(db, principal);
      if (request.query.scope === 'instance') await assertInstanceAuditReader(db, workspace.id);
      const { limit = 100, cursor } = request.query;
      return listAuditEntries(db, { ...filterOf(workspace.id, request.query), limit, ...(cursor ? { cursor } : {}) });
    },
  );

  app.get<{ Querystring: AuditQuerystring }>('/audit/export', { config: { licenceFeatures: ['admin', 'export'] }, schema: { querystring: auditExportQuerystring } }, async (request, reply) => {
    const { principal, workspace, actorId } = getContext(request);
    await assertWorkspaceAdmin(db, principal);
    if (request.query.scope === 'instance') await assertInstanceAuditReader(db, workspace.id);
    const filter = filterOf(workspace.id, request.query);
    checkAuditFilter(filter);
    // Written before the stream starts, so the export shows up in what it exports.
    await recordAudit(db, { workspaceId: workspace.id, actorId, action: 'audit.exported', ...requestFacts(request), details: { filter: { ...request.query } } });
    const lines = async function* () {
      for await (const entry of streamAuditEntries(db, filter)) yield `${JSON.stringify(entry)}\n`;
    };
    const day = new Date().toISOString().slice(0, 10);
    return reply
      .type('application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="audit-${day}.jsonl"`)
      .send(Readable.from(lines()));
  });
};
