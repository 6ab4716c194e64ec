import { FIELD_LEVELS, OBJECT_ACTIONS, RECORD_ACCESS_LEVELS, SHARING_ACCESS } from '@rapport/common';

// JSON Schemas shared by the role, team, territory and sharing-rule routes: each one validates
// requests, serializes responses and describes the route in the OpenAPI document.

export const uuid = { type: 'string', format: 'uuid' } as const;
const nullableUuid = { type: ['string', 'null'], format: 'uuid' } as const;
const timestamp = { type: 'string', format: 'date-time' } as const;

export const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 100 } }, required: ['id'] } as const;

export const filterJson = {
  type: 'object',
  additionalProperties: true,
  description: 'A filter of the query language, as in `POST /records/{object}/query` (see the Filter schema).',
  examples: [{ field: 'address.country', op: 'eq', value: 'DE' }],
} as const;

export const objectPermissionsSchema = {
  type: 'object',
  properties: Object.fromEntries(OBJECT_ACTIONS.map((action) => [action, { type: 'boolean' }])),
  additionalProperties: false,
  description: 'Actions left out are false. create, update, delete, export and import need read.',
} as const;

export const permissionsSchema = {
  type: 'object',
  additionalProperties: objectPermissionsSchema,
  description: 'Object permissions by object name; `*` applies to every object not named.',
  examples: [{ person: { create: true, read: true, update: true, delete: false, export: false, import: false } }],
} as const;

export const fieldLevelsSchema = {
  type: 'object',
  additionalProperties: { type: 'object', additionalProperties: { type: 'string', enum: [...FIELD_LEVELS] } },
  description: 'Field permissions by object, then field: `hidden` (absent from every response, unknown to filters and sorts) or `readOnly`; other fields are editable.',
  examples: [{ opportunity: { costPrice: 'hidden', amount: 'readOnly' } }],
} as const;

export const membersSchema = { type: 'array', items: uuid, maxItems: 10_000, description: 'User ids of workspace members.' } as const;

const roleSharingRuleInput = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 200 },
    object: { type: 'string', maxLength: 100 },
    filter: filterJson,
    access: { type: 'string', enum: [...SHARING_ACCESS], default: 'read' },
  },
  required: ['object', 'filter'],
  additionalProperties: false,
} as const;

const roleProperties = {
  name: { type: 'string', minLength: 1, maxLength: 100 },
  description: { type: 'string', maxLength: 1000 },
  parentId: { ...nullableUuid, description: 'The role this one reports to (the role hierarchy).' },
  isAdmin: { type: 'boolean', description: 'Administers the workspace and sees and changes everything.' },
  requireTwoFactor: { type: 'boolean' },
  licences: { type: 'array', items: { type: 'string', maxLength: 60 }, maxItems: 50, description: 'Licence types allowed to hold the role; empty for any.' },
  permissions: permissionsSchema,
  fields: fieldLevelsSchema,
  recordAccess: { type: 'string', enum: [...RECORD_ACCESS_LEVELS], description: 'Which records of objects with an owner the role sees.' },
  sharingRules: { type: 'array', items: roleSharingRuleInput, maxItems: 100, description: 'Sharing rules that target this role; replaces them.' },
} as const;

export const roleCreateBody = { type: 'object', properties: roleProperties, required: ['name'], additionalProperties: false } as const;
export const rolePatchBody = { type: 'object', properties: roleProperties, additionalProperties: false } as const;

export const roleSchema = {
  type: 'object',
  properties: {
    id: uuid,
    ...roleProperties,
    sharingRules: {
      type: 'array',
      items: { type: 'object', properties: { id: uuid, ...roleSharingRuleInput.properties }, required: ['id', 'name', 'object', 'filter', 'access'] },
    },
    memberCount: { type: 'integer', description: 'Members holding the role.' },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
  required: ['id', 'name', 'description', 'parentId', 'isAdmin', 'requireTwoFactor', 'licences', 'permissions', 'fields', 'recordAccess', 'sharingRules', 'memberCount', 'createdAt', 'updatedAt'],
} as const;

const teamProperties = {
  name: { type: 'string', minLength: 1, maxLength: 100 },
  description: { type: 'string', maxLength: 1000 },
  memberIds: membersSchema,
} as const;

export const teamCreateBody = { type: 'object', properties: teamProperties, required: ['name'], additionalProperties: false } as const;
export const teamPatchBody = { type: 'object', properties: teamProperties, additionalProperties: false } as const;
export const teamSchema = {
  type: 'object',
  properties: { id: uuid, ...teamProperties, createdAt: timestamp },
  required: ['id', 'name', 'description', 'memberIds', 'createdAt'],
} as const;

const territoryProperties = {
  name: { type: 'string', minLength: 1, maxLength: 100 },
  rules: { type: 'object', additionalProperties: filterJson, description: 'A filter per object: the records of the territory.' },
  memberIds: membersSchema,
} as const;

export const territoryCreateBody = { type: 'object', properties: territoryProperties, required: ['name'], additionalProperties: false } as const;
export const territoryPatchBody = { type: 'object', properties: territoryProperties, additionalProperties: false } as const;
export const territorySchema = {
  type: 'object',
  properties: { id: uuid, ...territoryProperties, createdAt: timestamp },
  required: ['id', 'name', 'rules', 'memberIds', 'createdAt'],
} as const;

const sharingRuleProperties = {
  name: { type: 'string', maxLength: 200 },
  object: { type: 'string', maxLength: 100 },
  filter: filterJson,
  teamId: { ...nullableUuid, description: 'The team the records are shared with (or roleId).' },
  roleId: { ...nullableUuid, description: 'The role whose holders the records are shared with (or teamId).' },
  access: { type: 'string', enum: [...SHARING_ACCESS], description: '`read`, or `write` to let them change the records too.' },
} as const;

export const sharingRuleCreateBody = { type: 'object', properties: sharingRuleProperties, required: ['object', 'filter'], additionalProperties: false } as const;
export const sharingRulePatchBody = { type: 'object', properties: sharingRuleProperties, additionalProperties: false } as const;
export const sharingRuleSchema = {
  type: 'object',
  properties: { id: uuid, ...sharingRuleProperties, createdAt: timestamp },
  required: ['id', 'name', 'object', 'filter', 'teamId', 'roleId', 'access', 'createdAt'],
} as const;

export const listOf = (item: object) => ({ type: 'object', properties: { data: { type: 'array', items: item } }, required: ['data'] }) as const;
