import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { recordAudit, requestFacts } from '../../audit/audit.ts';
import { AppError, validationFailed } from '../../errors.ts';
import { importErrorsCsv } from '../../imports/import-errors-csv.ts';
import { createImportMapping, deleteImportMapping, listImportMappings } from '../../imports/import-mappings.ts';
import { IMPORT_MAX_BYTES, getImportableObject, previewImport, receiveImportFile, requestUndo, startImport, type ImportCaller, type ImportSettings } from '../../imports/import-service.ts';
import { deleteImportRun, fileTooLarge, getImportRun, listImportRuns, publicImportRun, type ImportMapping, type ImportRunState } from '../../imports/import-store.ts';
import { assertCanImport } from '../../permissions/assert-access.ts';
import { getContext, type EngineServices } from '../context.ts';
import { fileDay, sendAttachment } from './attachment.ts';
import {
  importAcceptedSchema, importIdParams, importListQuerystring, importListSchema, importMappingBody, importMappingListSchema, importMappingQuerystring,
  importMappingSchema, importRunSchema, previewSchema, type ImportMappingBody,
} from './imports.schemas.ts';

/** A preview reads at most this much of the file (the web app sends the first MB of a CSV). */
const PREVIEW_MAX_BYTES = 16 * 1024 * 1024;
const FIELD_NAMES = ['object', 'mapping', 'upsertOn', 'dryRun', 'createRelated'] as const;

const callerOf = (request: FastifyRequest, services: EngineServices): ImportCaller => {
  const { workspace, access, actorId, principal } = getContext(request);
  return { db: services.database.db, workspace, access, actorId, scopes: principal.scopes };
};

// Form fields as they arrive: text only, each once, from the names the contract knows.
const readField = (fields: Record<string, string>, name: string, value: unknown) => {
  if (!(FIELD_NAMES as readonly string[]).includes(name)) throw validationFailed([{ field: name, code: 'unknownField', message: `Unknown form field "${name}"; expected ${FIELD_NAMES.join(', ')} and file.` }]);
  fields[name] = String(value);
};

const parseSettings = (fields: Record<string, string>): ImportSettings => {
  if (!fields.object) throw validationFailed([{ field: 'object', code: 'required', message: 'Name the object to import into, e.g. person.' }]);
  let mapping: ImportMapping | undefined;
  if (fields.mapping !== undefined && fields.mapping.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fields.mapping);
    } catch {
      throw validationFailed([{ field: 'mapping', code: 'invalidFormat', message: 'mapping must be a JSON object: {"Column header": "field"}.' }]);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((target) => target === null || typeof target === 'string')) {
      throw validationFailed([{ field: 'mapping', code: 'invalidType', message: 'mapping must be a JSON object of column header → field name (or null to skip).' }]);
    }
    mapping = parsed as ImportMapping;
  }
  const flag = (name: 'dryRun' | 'createRelated', fallback: boolean) => {
    const value = fields[name];
    if (value === undefined || value === '') return fallback;
    if (value === 'true' || value === 'false') return value === 'true';
    throw validationFailed([{ field: name, code: 'invalidType', message: `${name} must be "true" or "false".` }]);
  };
  return {
    object: fields.object,
    ...(mapping ? { mapping } : {}),
    upsertOn: fields.upsertOn?.trim() || null,
    dryRun: flag('dryRun', false),
    createRelated: flag('createRelated', true),
  };
};

const assertMultipart = (request: FastifyRequest) => {
  if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the import as multipart/form-data with the fields object and file.');
};

const fileMissing = () => validationFailed([{ field: 'file', code: 'required', message: 'Attach the file as the form field "file".' }]);

/** Imports: preview, start (a durable job), progress, errors CSV, undo, history and saved mappings. */
export const registerImportRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  // Multipart only here: the file streams into the database in chunks, never whole in memory.
  void app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: IMPORT_MAX_BYTES + 1, files: 1, fields: 10, fieldSize: 1024 * 1024, parts: 12 } });

    scope.post('/imports/preview', { config: { licenceFeatures: ['records.write', 'import'] }, schema: { response: { 200: previewSchema } } }, async (request) => {
      assertMultipart(request);
      const caller = callerOf(request, services);
      const fields: Record<string, string> = {};
      let file: { buffer: Buffer; fileName: string } | undefined;
      for await (const part of request.parts()) {
        if (part.type === 'field') readField(fields, part.fieldname, part.value);
        else if (part.fieldname !== 'file') throw validationFailed([{ field: part.fieldname, code: 'unknownField', message: 'Only one file, as the form field "file".' }]);
        else {
          if (fields.object) getImportableObject(caller, { object: fields.object });
          const chunks: Buffer[] = [];
          let length = 0;
          for await (const chunk of part.file as AsyncIterable<Buffer>) {
            // Past the preview's share the rest is read and dropped.
            if (length < PREVIEW_MAX_BYTES) chunks.push(chunk.subarray(0, PREVIEW_MAX_BYTES - length));
            length += chunk.length;
          }
          file = { buffer: Buffer.concat(chunks), fileName: part.filename };
        }
      }
      if (!file) throw fileMissing();
      return previewImport(caller, { ...parseSettings(fields), file: file.buffer, fileName: file.fileName });
    });

    scope.post('/imports', { config: { licenceFeatures: ['records.write', 'import'] }, schema: { response: { 202: importAcceptedSchema } } }, async (request, reply) => {
      assertMultipart(request);
      const caller = callerOf(request, services);
      const fields: Record<string, string> = {};
      let id: string | undefined;
      try {
        for await (const part of request.parts()) {
          if (part.type === 'field') readField(fields, part.fieldname, part.value);
          else if (part.fieldname !== 'file' || id) throw validationFailed([{ field: part.fieldname, code: 'unknownField', message: 'Only one file, as the form field "file".' }]);
          else {
            // Fields sent before the file are checked before a byte is stored.
            if (fields.object) getImportableObject(caller, { object: fields.object, upsertOn: fields.upsertOn || null });
            const source = part.file;
            // Past the limit the part stops (or fails, as multipart reports it): either way the import's own 413.
            const limited = (async function* () {
              try {
                for await (const chunk of source as AsyncIterable<Buffer>) yield chunk;
              } catch (error) {
                if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw fileTooLarge(IMPORT_MAX_BYTES);
                throw error;
              }
              if ((source as Readable & { truncated?: boolean }).truncated) throw fileTooLarge(IMPORT_MAX_BYTES);
            })();
            id = await receiveImportFile(caller, { fileName: part.filename, source: limited, object: fields.object });
          }
        }
      } catch (error) {
        if (id) await deleteImportRun(db, id);
        throw error;
      }
      if (!id) throw fileMissing();
      const run = await startImport(caller, id, parseSettings(fields));
      await recordAudit(db, {
        workspaceId: caller.workspace.id,
        actorId: caller.actorId,
        action: 'import.created',
        objectName: run.object,
        ...requestFacts(request),
        details: { importId: run.id, fileName: run.fileName, dryRun: run.dryRun, upsertOn: run.upsertOn },
      });
      return reply.status(202).header('location', `/api/v1/imports/${run.id}`).send({ id: run.id });
    });
  });

  const getOwnRun = async (request: FastifyRequest<{ Params: { id: string } }>): Promise<ImportRunState> => {
    const { workspace, access } = getContext(request);
    const run = await getImportRun(db, { workspaceId: workspace.id, id: request.params.id });
    assertCanImport(access, run.object);
    return run;
  };

  app.get<{ Querystring: { object?: string; limit?: number } }>(
    '/imports',
    { config: { licenceFeatures: ['records.read', 'import'] }, schema: { querystring: importListQuerystring, response: { 200: importListSchema } } },
    async (request) => {
      const { workspace, access } = getContext(request);
      const runs = await listImportRuns(db, { workspaceId: workspace.id, limit: request.query.limit ?? 50, ...(request.query.object ? { object: request.query.object } : {}) });
      return { data: runs.filter((run) => access.can(run.object, 'import')) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/imports/:id',
    { config: { licenceFeatures: ['records.read', 'import'] }, schema: { params: importIdParams, response: { 200: importRunSchema } } },
    async (request) => publicImportRun(await getOwnRun(request)),
  );

  app.get<{ Params: { id: string } }>('/imports/:id/errors', { config: { licenceFeatures: ['records.read', 'import'] }, schema: { params: importIdParams } }, async (request, reply) => {
    const run = await getOwnRun(request);
    return sendAttachment(reply, { type: 'text/csv; charset=utf-8', fileName: `import-${run.id.slice(0, 8)}-errors-${fileDay()}.csv`, body: Readable.from(importErrorsCsv(db, run)) });
  });

  app.post<{ Params: { id: string } }>(
    '/imports/:id/undo',
    { config: { licenceFeatures: ['records.write', 'import'] }, schema: { params: importIdParams, response: { 202: importRunSchema } } },
    async (request, reply) => {
      const caller = callerOf(request, services);
      const run = await requestUndo(caller, request.params.id);
      await recordAudit(db, { workspaceId: caller.workspace.id, actorId: caller.actorId, action: 'import.undone', objectName: run.object, ...requestFacts(request), details: { importId: run.id } });
      return reply.status(202).send(publicImportRun(run));
    },
  );

  app.get<{ Querystring: { object?: string } }>(
    '/import-mappings',
    { config: { licenceFeatures: ['import'] }, schema: { querystring: importMappingQuerystring, response: { 200: importMappingListSchema } } },
    async (request) => {
      const { workspace, access } = getContext(request);
      const mappings = await listImportMappings(db, { workspaceId: workspace.id, ...(request.query.object ? { object: request.query.object } : {}) });
      return { data: mappings.filter((mapping) => access.can(mapping.object, 'import')) };
    },
  );

  app.post<{ Body: ImportMappingBody }>(
    '/import-mappings',
    { config: { licenceFeatures: ['import'] }, schema: { body: importMappingBody, response: { 201: importMappingSchema } } },
    async (request, reply) => {
      const { workspace, access, actorId } = getContext(request);
      const { name, object, mapping, upsertOn } = request.body;
      if (!access.view.objects.has(object)) throw new AppError('OBJECT_NOT_FOUND', `There is no object "${object}".`);
      assertCanImport(access, object);
      const saved = await createImportMapping(db, { workspaceId: workspace.id, createdBy: actorId, name, object, mapping, upsertOn: upsertOn ?? null });
      return reply.status(201).send(saved);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/import-mappings/:id',
    { config: { licenceFeatures: ['import'] }, schema: { params: importIdParams } },
    async (request, reply) => {
      const { workspace, access } = getContext(request);
      // As the list shows them: a mapping of an object the caller may not import into is not theirs to delete.
      const objects = [...access.view.objects.keys()].filter((object) => access.can(object, 'import'));
      await deleteImportMapping(db, { workspaceId: workspace.id, id: request.params.id, objects });
      return reply.status(204).send();
    },
  );
};
