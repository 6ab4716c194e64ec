import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestFacts } from '../../audit/audit.ts';
import { checkDuplicates, findRecordDuplicates } from '../../duplicates/find-duplicates.ts';
import { dismissDuplicatePair, listDuplicatePairs } from '../../duplicates/duplicate-pairs.ts';
import { scanWorkspaceForDuplicates } from '../../duplicates/duplicate-scan.ts';
import { getMerge, mergeRecords, undoMerge } from '../../duplicates/merge-records.ts';
import { countRelationsToMove } from '../../duplicates/relation-moves.ts';
import { assertWorkspaceAdmin } from '../../permissions/guards.ts';
import { getReadableObject } from '../../permissions/assert-access.ts';
import { getContext, getObjectOrThrow, type EngineServices } from '../context.ts';
import {
  candidatesQuerystring, candidatesSchema, checkBody, dismissedSchema, idParams, mergeBody, mergePreviewSchema, mergeResultSchema, mergeSchema,
  pairsPageSchema, pairsQuerystring, previewBody, scanBody, scanResultSchema,
} from './duplicates.schemas.ts';
import { assertId, objectParams, recordParams, type ObjectParams, type RecordParams } from './query-params.ts';

interface MergeBody {
  survivorId: string;
  mergedIds: string[];
  values?: Record<string, unknown>;
  survivorVersion?: number;
}

/** Duplicate detection (on create, per record, the scheduled scan's pairs) and merges with undo. */
export const registerDuplicateRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  const contextFor = (request: FastifyRequest<{ Params: ObjectParams }>) => {
    const { workspace, actorId, access } = getContext(request);
    return { db, workspace, object: getObjectOrThrow(workspace, request.params.object), actorId, access, origin: requestFacts(request) };
  };

  app.post<{ Params: ObjectParams; Querystring: { limit?: number }; Body: Record<string, unknown> }>(
    '/records/:object/duplicates/check',
    { config: { licenceFeatures: ['records.write'] }, schema: { params: objectParams, querystring: candidatesQuerystring, body: checkBody, response: { 200: candidatesSchema } } },
    async (request) => ({ data: await checkDuplicates(contextFor(request), { input: request.body ?? {}, ...(request.query.limit ? { limit: request.query.limit } : {}) }) }),
  );

  app.get<{ Params: RecordParams; Querystring: { limit?: number } }>(
    '/records/:object/:id/duplicates',
    { config: { licenceFeatures: ['records.read'] }, schema: { params: recordParams, querystring: candidatesQuerystring, response: { 200: candidatesSchema } } },
    async (request) => {
      const context = contextFor(request);
      assertId(request.params.id, context.object.name);
      return { data: await findRecordDuplicates(context, { id: request.params.id.toLowerCase(), ...(request.query.limit ? { limit: request.query.limit } : {}) }) };
    },
  );

  app.post<{ Params: ObjectParams; Body: MergeBody }>(
    '/records/:object/merge',
    { config: { licenceFeatures: ['records.write'] }, schema: { params: objectParams, body: mergeBody, response: { 200: mergeResultSchema } } },
    async (request) => {
      const { survivorId, mergedIds, values, survivorVersion } = request.body;
      return mergeRecords(contextFor(request), { survivorId, mergedIds, values: values ?? {}, ...(survivorVersion !== undefined ? { survivorVersion } : {}), request: requestFacts(request) });
    },
  );

  app.post<{ Params: ObjectParams; Body: { survivorId: string; mergedIds: string[] } }>(
    '/records/:object/merge/preview',
    { config: { licenceFeatures: ['records.write'] }, schema: { params: objectParams, body: previewBody, response: { 200: mergePreviewSchema } } },
    async (request) => {
      const { workspace, access, object } = contextFor(request);
      getReadableObject(access, object.name);
      return { relations: await countRelationsToMove(db, { workspace, access, target: object, ids: request.body.mergedIds.map((id) => id.toLowerCase()) }) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/merges/:id',
    { config: { licenceFeatures: ['records.read'] }, schema: { params: idParams, response: { 200: mergeSchema } } },
    async (request) => {
      const { workspace, actorId, access } = getContext(request);
      return getMerge({ db, workspace, actorId, access }, request.params.id);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/merges/:id/undo',
    { config: { licenceFeatures: ['records.write'] }, schema: { params: idParams, response: { 200: mergeResultSchema } } },
    async (request) => {
      const { workspace, actorId, access } = getContext(request);
      return undoMerge({ db, workspace, actorId, access }, { id: request.params.id, request: requestFacts(request) });
    },
  );

  app.get<{ Querystring: { object: string; limit?: number; cursor?: string } }>(
    '/duplicates',
    { config: { licenceFeatures: ['records.read'] }, schema: { querystring: pairsQuerystring, response: { 200: pairsPageSchema } } },
    async (request) => {
      const { workspace, access } = getContext(request);
      const { object, limit, cursor } = request.query;
      return listDuplicatePairs({ db, workspace, access }, { objectName: object, limit: limit ?? 50, ...(cursor ? { cursor } : {}) });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/duplicates/:id/dismiss',
    { config: { licenceFeatures: ['records.write'] }, schema: { params: idParams, response: { 200: dismissedSchema } } },
    async (request) => {
      const { workspace, actorId, access } = getContext(request);
      return dismissDuplicatePair({ db, workspace, actorId, access }, { id: request.params.id });
    },
  );

  app.post<{ Body: { object?: string } | undefined }>(
    '/duplicates/scan',
    { config: { licenceFeatures: ['admin'] }, schema: { body: scanBody, response: { 200: scanResultSchema } } },
    async (request) => {
      const { principal, workspace } = getContext(request);
      await assertWorkspaceAdmin(db, principal);
      const objectName = request.body?.object;
      if (objectName) getObjectOrThrow(workspace, objectName);
      return { data: await scanWorkspaceForDuplicates(db, { workspace, ...(objectName ? { objectName } : {}) }) };
    },
  );
};
