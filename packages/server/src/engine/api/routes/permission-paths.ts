import { jsonBody, jsonResponse, problemResponses } from '../openapi/components.ts';
import type { JsonSchema, OpenApiPathItem } from '../openapi/openapi-types.ts';
import {
  listOf,
  roleCreateBody,
  rolePatchBody,
  roleSchema,
  sharingRuleCreateBody,
  sharingRulePatchBody,
  sharingRuleSchema,
  teamCreateBody,
  teamPatchBody,
  teamSchema,
  territoryCreateBody,
  territoryPatchBody,
  territorySchema,
} from './permission.schemas.ts';

export const PERMISSIONS_TAG = 'Permissions';

interface Resource {
  path: string;
  singular: string;
  plural: string;
  what: string;
  schema: JsonSchema;
  createBody: JsonSchema;
  patchBody: JsonSchema;
  example: unknown;
  deleteNote: string;
}

const RESOURCES: Resource[] = [
  {
    path: 'roles',
    singular: 'Role',
    plural: 'Roles',
    what: 'role',
    schema: roleSchema,
    createBody: roleCreateBody,
    patchBody: rolePatchBody,
    // `costPrice`: a custom currency field added to opportunities (a fresh workspace already has a "Sales rep" role).
    example: {
      name: 'Field sales rep',
      permissions: { person: { create: true, read: true, update: true, delete: false, export: false, import: false } },
      fields: { opportunity: { costPrice: 'hidden', amount: 'readOnly' } },
      recordAccess: 'own',
    },
    deleteNote: 'A role held by members cannot be deleted (409 ROLE_IN_USE); roles below it then report to nobody.',
  },
  {
    path: 'teams',
    singular: 'Team',
    plural: 'Teams',
    what: 'team',
    schema: teamSchema,
    createBody: teamCreateBody,
    patchBody: teamPatchBody,
    example: { name: 'Berlin', memberIds: ['0b0e7a3e-5b7c-4c8e-9a51-0d2f4f0c1a11'] },
    deleteNote: 'Its memberships and the sharing rules that target it go with it.',
  },
  {
    path: 'territories',
    singular: 'Territory',
    plural: 'Territories',
    what: 'territory',
    schema: territorySchema,
    createBody: territoryCreateBody,
    patchBody: territoryPatchBody,
    example: { name: 'DACH', rules: { company: { field: 'address.country', op: 'in', value: ['DE', 'AT', 'CH'] } }, memberIds: [] },
    deleteNote: 'Its members lose the records it gave them.',
  },
  {
    path: 'sharing-rules',
    singular: 'SharingRule',
    plural: 'SharingRules',
    what: 'sharing rule',
    schema: sharingRuleSchema,
    createBody: sharingRuleCreateBody,
    patchBody: sharingRulePatchBody,
    example: { name: 'German people to Berlin', object: 'person', filter: { field: 'address.country', op: 'eq', value: 'DE' }, teamId: '0b0e7a3e-5b7c-4c8e-9a51-0d2f4f0c1a11', access: 'read' },
    deleteNote: 'The records it shared are no longer visible through it.',
  },
];

const ADMIN_ONLY = 'Workspace administrators only; audited.';

const pathsOf = (resource: Resource): Record<string, OpenApiPathItem> => {
  const tags = [PERMISSIONS_TAG];
  const idParameter = { name: 'id', in: 'path' as const, required: true, description: `The ${resource.what} id.`, schema: { type: 'string', format: 'uuid' } };
  return {
    [`/api/v1/${resource.path}`]: {
      get: {
        operationId: `list${resource.plural}`,
        summary: `List ${resource.what === 'sharing rule' ? 'sharing rules' : resource.path}`,
        tags,
        ...(resource.path === 'sharing-rules'
          ? { parameters: [{ name: 'object', in: 'query' as const, description: 'Only the rules of this object.', schema: { type: 'string', maxLength: 100 } }] }
          : {}),
        responses: { 200: jsonResponse(`The workspace's ${resource.what === 'sharing rule' ? 'sharing rules' : resource.path}.`, listOf(resource.schema)), ...problemResponses([400, 401]) },
      },
      post: {
        operationId: `create${resource.singular}`,
        summary: `Create a ${resource.what}`,
        description: ADMIN_ONLY,
        tags,
        requestBody: jsonBody(resource.createBody, resource.example),
        responses: { 201: jsonResponse(`The created ${resource.what}.`, resource.schema, ['Location']), ...problemResponses([400, 401, 403, 409, 415]) },
      },
    },
    [`/api/v1/${resource.path}/{id}`]: {
      parameters: [idParameter],
      get: {
        operationId: `get${resource.singular}`,
        summary: `Get a ${resource.what}`,
        tags,
        responses: { 200: jsonResponse(`The ${resource.what}.`, resource.schema), ...problemResponses([401, 404]) },
      },
      patch: {
        operationId: `update${resource.singular}`,
        summary: `Update a ${resource.what}`,
        description: `Properties left out keep their value; lists (members, sharing rules) are replaced. ${ADMIN_ONLY}`,
        tags,
        requestBody: jsonBody(resource.patchBody),
        responses: { 200: jsonResponse(`The updated ${resource.what}.`, resource.schema), ...problemResponses([400, 401, 403, 404, 409, 415]) },
      },
      delete: {
        operationId: `delete${resource.singular}`,
        summary: `Delete a ${resource.what}`,
        description: `${resource.deleteNote} ${ADMIN_ONLY}`,
        tags,
        responses: { 204: { description: 'Deleted.' }, ...problemResponses([401, 403, 404, ...(resource.path === 'roles' ? ([409] as const) : [])]) },
      },
    },
  };
};

/** The routes of roles, teams, territories and sharing rules, for the OpenAPI document. */
export const PERMISSION_PATHS: Record<string, OpenApiPathItem> = Object.assign({}, ...RESOURCES.map(pathsOf));
export const PERMISSION_OPERATION_IDS: string[] = RESOURCES.flatMap((resource) =>
  ['list', 'create', 'get', 'update', 'delete'].map((verb) => `${verb}${verb === 'list' ? resource.plural : resource.singular}`),
);
