import type { Filter } from '@rapport/common';
import type { FastifyInstance } from 'fastify';
import { recordAudit, requestFacts } from '../../audit/audit.ts';
import { AppError } from '../../errors.ts';
import { EXPORT_CONTENT_TYPES, exportRecords, type ExportFormat } from '../../exports/export-records.ts';
import { getContext, getObjectOrThrow, type EngineServices } from '../context.ts';
import { exportQuerystring, type ExportQuerystring } from './exports.schemas.ts';

const splitList = (value: string | undefined) => (value ? value.split(',').map((item) => item.trim()).filter(Boolean) : undefined);

const parseFilter = (text: string | undefined): Filter | undefined => {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as Filter;
  } catch {
    throw new AppError('INVALID_QUERY', 'filter must be URL-encoded JSON, e.g. {"field":"lastName","op":"eq","value":"Doe"}.', {
      errors: [{ field: 'filter', code: 'invalidFormat', message: 'Not valid JSON.' }],
    });
  }
};

/** Records as a file (CSV, XLSX, JSON): a view or a whole object, streamed, through the permission layer, audited. */
export const registerExportRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  app.get<{ Params: { object: string }; Querystring: ExportQuerystring }>(
    '/records/:object/export',
    {
      config: { licenceFeatures: ['records.read', 'export'] },
      schema: { params: { type: 'object', properties: { object: { type: 'string', maxLength: 100 } }, required: ['object'] }, querystring: exportQuerystring },
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
        { format, ...(filter ? { filter } : {}), ...(sort ? { sort } : {}), ...(fields ? { fields } : {}) },
      );
      await recordAudit(db, {
        workspaceId: workspace.id,
        actorId,
        action: 'export.created',
        objectName: object.name,
        ...requestFacts(request),
        details: { format, fields: file.fields, ...(filter ? { filter } : {}), ...(sort ? { sort } : {}) },
      });
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .type(EXPORT_CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="${object.name}-${day}.${format}"`)
        .header('cache-control', 'no-store')
        .send(file.stream);
    },
  );
};
