import type { FastifyInstance } from 'fastify';
import { getContext, type EngineServices } from '../../../engine/api/context.ts';
import type { ModuleApi } from '../../../engine/api/module-api.ts';
import { jsonResponse, problemResponses } from '../../../engine/api/openapi/components.ts';
import type { OpenApiPathItem } from '../../../engine/api/openapi/openapi-types.ts';
import { assertId } from '../../../engine/api/routes/query-params.ts';
import { applyActionTemplate, listActionTemplates } from './apply-template.ts';

const TAG = { name: 'Action templates', description: 'One-click actions on a record: a pre-filled task, reminder, note or follow-up email draft.' };

const listQuerystring = {
  type: 'object',
  properties: { object: { type: 'string', maxLength: 63, description: 'The object of the record the actions are for.' } },
  required: ['object'],
  additionalProperties: false,
} as const;

const applyBody = {
  type: 'object',
  properties: { object: { type: 'string', maxLength: 63 }, recordId: { type: 'string', maxLength: 100 } },
  required: ['object', 'recordId'],
  additionalProperties: false,
} as const;

const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 100 } }, required: ['id'], additionalProperties: false } as const;

const appliedSchema = {
  type: 'object',
  properties: {
    action: { type: 'string', enum: ['task', 'reminder', 'note', 'followUpEmail'] },
    created: { type: 'object', properties: { object: { type: 'string', enum: ['task', 'note'] }, record: { type: 'object', additionalProperties: true } }, description: 'The task (also for a reminder) or note made.' },
    draft: {
      type: 'object',
      properties: { to: { type: ['string', 'null'] }, subject: { type: 'string' }, body: { type: 'string' }, mailto: { type: 'string', description: 'The draft as a mailto: link.' } },
      description: 'A follow-up email: drafted, never stored or sent by Rapport.',
    },
  },
  required: ['action'],
} as const;

const PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/action-templates': {
    get: {
      operationId: 'listActionTemplates',
      summary: 'The one-click actions offered on a record',
      description: 'The active action templates (`actionTemplate` records, managed through the records API) offered on records of `object`, in their order.',
      tags: [TAG.name],
      parameters: [{ name: 'object', in: 'query', required: true, description: listQuerystring.properties.object.description, schema: { type: 'string' } }],
      responses: { 200: jsonResponse('The templates.', { type: 'object', properties: { data: { type: 'array', items: { type: 'object', additionalProperties: true } } }, required: ['data'] }), ...problemResponses([400, 401, 403]) },
    },
  },
  '/api/v1/action-templates/{id}/apply': {
    post: {
      operationId: 'applyActionTemplate',
      summary: 'Apply a one-click action on a record',
      description:
        'Makes the template\'s task, reminder (a task with its reminder at the due time) or note about the record — assigned to the caller, due `dueInDays` later at `dueTime` in the workspace\'s time zone, `{{title}}` and `{{field}}` filled from the record as the caller sees it — or returns the follow-up email draft (to the record\'s email, or its person\'s). 404 for a template or record the caller may not read.',
      tags: [TAG.name],
      parameters: [{ name: 'id', in: 'path', required: true, description: 'The template id.', schema: { type: 'string', format: 'uuid' } }],
      requestBody: { required: true, content: { 'application/json': { schema: applyBody } } },
      responses: { 201: jsonResponse('What was made or drafted.', appliedSchema), ...problemResponses([400, 401, 403, 404, 422]) },
    },
  },
};

const register = (api: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  api.get<{ Querystring: { object: string } }>('/action-templates', { config: { licenceFeatures: ['records.read'] }, schema: { querystring: listQuerystring } }, async (request) => {
    const { workspace, access, actorId } = getContext(request);
    return { data: await listActionTemplates({ db, workspace, access, actorId }, request.query.object) };
  });

  api.post<{ Params: { id: string }; Body: { object: string; recordId: string } }>(
    '/action-templates/:id/apply',
    { config: { licenceFeatures: ['records.read', 'records.write'] }, schema: { params: idParams, body: applyBody } },
    async (request, reply) => {
      const { workspace, access, actorId } = getContext(request);
      assertId(request.params.id, 'actionTemplate');
      assertId(request.body.recordId, request.body.object);
      const applied = await applyActionTemplate({ db, workspace, access, actorId }, request.params.id, request.body);
      return reply.code(201).send(applied);
    },
  );
};

export const actionTemplatesApi: ModuleApi = { tag: TAG, paths: PATHS, register };
