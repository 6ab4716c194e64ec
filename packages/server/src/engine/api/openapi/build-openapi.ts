import type { ObjectMeta, WorkspaceMeta } from '../../metadata/types.ts';
import { WORKSPACE_EXPORT_PATHS } from '../routes/exports.schemas.ts';
import { IMPORTS_OPERATION_IDS, IMPORTS_PATHS, IMPORTS_TAG } from '../routes/imports.schemas.ts';
import { COMMON_SCHEMAS } from './common-schemas.ts';
import { HEADERS, PARAMETERS, RESPONSES, SECURITY_SCHEME, SECURITY_SCHEMES } from './components.ts';
import { METADATA_SCHEMAS } from './metadata-schemas.ts';
import { createNameRegistry, toPascalIdentifier, toTypeName, type NameRegistry } from './names.ts';
import { buildObjectSchemas, type ObjectSchemaNames } from './object-schemas.ts';
import type { JsonSchema, OpenApiDocument, OpenApiPathItem } from './openapi-types.ts';
import { buildRecordPaths, type RecordOperationIds } from './record-paths.ts';
import { METADATA_TAG, SEARCH_TAG, STATIC_OPERATION_IDS, STATIC_PATHS, SYSTEM_TAG } from './static-paths.ts';
import { FIELD_ENCRYPTION_OPERATION_IDS, FIELD_ENCRYPTION_PATHS } from '../routes/field-encryption.schemas.ts';
import { IDENTITY_OPERATION_IDS, IDENTITY_PATHS, IDENTITY_TAGS } from '../routes/identity-paths.ts';
import { PERMISSION_OPERATION_IDS, PERMISSION_PATHS, PERMISSIONS_TAG } from '../routes/permission-paths.ts';
import { AUDIT_OPERATION_IDS, AUDIT_PATHS, AUDIT_TAG } from '../routes/audit.schemas.ts';
import { BACKUPS_OPERATION_IDS, BACKUPS_PATHS, BACKUPS_TAG } from '../routes/backups.schemas.ts';
import { LICENCE_OPERATION_IDS, LICENCE_PATHS, LICENCES_TAG } from '../routes/licences.schemas.ts';
import { SSO_OPERATION_IDS, SSO_PATHS, SSO_TAG } from '../routes/sso.schemas.ts';
import { EVENTS_OPERATION_IDS, EVENTS_PATHS, EVENTS_TAG } from '../routes/events.schemas.ts';
import { NOTIFICATIONS_OPERATION_IDS, NOTIFICATIONS_PATHS, NOTIFICATIONS_TAG } from '../routes/notifications.schemas.ts';
import { VIEW_OPERATION_IDS, VIEW_PATHS, VIEWS_TAG } from '../routes/views.schemas.ts';
import { SEGMENT_OPERATION_IDS, SEGMENT_PATHS, SEGMENTS_TAG } from '../routes/segments.schemas.ts';
import { RETENTION_OPERATION_IDS, RETENTION_PATHS, RETENTION_TAG } from '../routes/retention.schemas.ts';
import { DESIGNER_OPERATION_IDS, DESIGNER_PATHS, WORKSPACE_TAG } from '../routes/designer.schemas.ts';
import { DUPLICATES_OPERATION_IDS, DUPLICATES_PATHS, DUPLICATES_TAG } from '../routes/duplicates.schemas.ts';
import { CONFIGURATION_OPERATION_IDS, CONFIGURATION_PATHS, CONFIGURATION_TAG } from '../routes/configuration.schemas.ts';
import { SANDBOXES_OPERATION_IDS, SANDBOXES_PATHS, SANDBOXES_TAG } from '../routes/sandboxes.schemas.ts';
import { CURRENCY_OPERATION_IDS, CURRENCY_PATHS, CURRENCY_TAG } from '../routes/currency.schemas.ts';
import { moduleApis, moduleOperationIds } from '../module-api.ts';

/** The version of the REST API contract (the `/api/v1` surface). */
export const API_VERSION = '1.0.0';

export interface BuildOpenApiOptions {
  workspace: WorkspaceMeta;
  /** The server's base URL, e.g. `https://crm.example.com`; relative to the document by default. */
  serverUrl?: string;
}

interface ObjectPlan {
  object: ObjectMeta;
  tag: string;
  schemas: ObjectSchemaNames;
  operationIds: RecordOperationIds;
}

const schemaNamesFrom = (stem: string) => (suffix: string): ObjectSchemaNames => ({
  record: `${stem}${suffix}`,
  input: `${stem}${suffix}Input`,
  page: `${stem}${suffix}Page`,
  batchRequest: `${stem}${suffix}BatchRequest`,
  batchResult: `${stem}${suffix}BatchResult`,
});

const operationIdsFrom = (singular: string, plural: string) => (suffix: string): RecordOperationIds => ({
  list: `list${plural}${suffix}`,
  create: `create${singular}${suffix}`,
  batch: `batch${plural}${suffix}`,
  query: `query${plural}${suffix}`,
  aggregate: `aggregate${plural}${suffix}`,
  export: `export${plural}${suffix}`,
  personalData: `get${singular}${suffix}PersonalData`,
  erase: `erase${singular}${suffix}`,
  get: `get${singular}${suffix}`,
  update: `update${singular}${suffix}`,
  delete: `delete${singular}${suffix}`,
  restore: `restore${singular}${suffix}`,
  history: `get${singular}${suffix}History`,
});

const planObject = (object: ObjectMeta, registries: { schemas: NameRegistry; operations: NameRegistry; tags: NameRegistry }): ObjectPlan => {
  const typeName = toTypeName(object.name);
  const schemas = registries.schemas.claim([schemaNamesFrom(typeName), schemaNamesFrom(`${typeName}Record`)]);
  // Readable ids come from the labels (listPeople); names are the fallback when labels give no identifier or collide.
  const singular = toPascalIdentifier(object.labelSingular);
  const plural = toPascalIdentifier(object.labelPlural);
  const operationIds = registries.operations.claim([
    ...(singular && plural ? [operationIdsFrom(singular, plural)] : []),
    operationIdsFrom(typeName, `${typeName}Records`),
  ]);
  const { tag } = registries.tags.claim([() => ({ tag: object.labelPlural }), () => ({ tag: `${object.labelPlural} (${object.name})` })]);
  return { object, tag, schemas, operationIds };
};

/** An OpenAPI 3.1 document of the REST API as this workspace's metadata shapes it. */
export const buildOpenApiDocument = ({ workspace, serverUrl = '/' }: BuildOpenApiOptions): OpenApiDocument => {
  const registries = { schemas: createNameRegistry(), operations: createNameRegistry(), tags: createNameRegistry() };
  registries.schemas.reserve([...Object.keys(COMMON_SCHEMAS), ...Object.keys(METADATA_SCHEMAS)]);
  registries.operations.reserve([...STATIC_OPERATION_IDS, ...PERMISSION_OPERATION_IDS, ...IDENTITY_OPERATION_IDS, ...AUDIT_OPERATION_IDS, ...BACKUPS_OPERATION_IDS, ...LICENCE_OPERATION_IDS, ...SSO_OPERATION_IDS, ...VIEW_OPERATION_IDS, ...SEGMENT_OPERATION_IDS, ...RETENTION_OPERATION_IDS, ...DESIGNER_OPERATION_IDS, ...EVENTS_OPERATION_IDS, ...NOTIFICATIONS_OPERATION_IDS, ...FIELD_ENCRYPTION_OPERATION_IDS, ...DUPLICATES_OPERATION_IDS, ...IMPORTS_OPERATION_IDS, ...CONFIGURATION_OPERATION_IDS, ...SANDBOXES_OPERATION_IDS, ...CURRENCY_OPERATION_IDS, ...moduleOperationIds()]);
  registries.tags.reserve([METADATA_TAG, SEARCH_TAG, SYSTEM_TAG, PERMISSIONS_TAG, ...IDENTITY_TAGS.map((tag) => tag.name), AUDIT_TAG, BACKUPS_TAG, LICENCES_TAG, SSO_TAG, VIEWS_TAG, SEGMENTS_TAG, RETENTION_TAG, WORKSPACE_TAG, EVENTS_TAG, NOTIFICATIONS_TAG, DUPLICATES_TAG, IMPORTS_TAG, CONFIGURATION_TAG, SANDBOXES_TAG, CURRENCY_TAG, ...moduleApis().map((api) => api.tag.name)]);
  const plans = [...workspace.objects.values()].map((object) => planObject(object, registries));
  const recordNames = new Map(plans.map((plan) => [plan.object.name, plan.schemas.record]));

  const objectSchemas: Record<string, JsonSchema> = {};
  const recordPaths: Record<string, OpenApiPathItem> = {};
  for (const plan of plans) {
    Object.assign(objectSchemas, buildObjectSchemas({ object: plan.object, names: plan.schemas, recordNameOf: (name) => recordNames.get(name) }));
    Object.assign(recordPaths, buildRecordPaths({ object: plan.object, tag: plan.tag, schemas: plan.schemas, operationIds: plan.operationIds }));
  }

  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: `Rapport API — ${workspace.name}`,
      version: `${API_VERSION}+metadata.${workspace.version}`,
      description:
        'The REST API of this Rapport workspace, generated from its objects and fields. Every object, standard or custom, has the same endpoints under `/api/v1/records/{object}`. Errors are RFC 9457 problem+json with a stable `code`.',
      license: { name: 'AGPL-3.0-only', identifier: 'AGPL-3.0-only' },
    },
    servers: [{ url: serverUrl }],
    security: [{ [SECURITY_SCHEME]: [] }],
    tags: [
      ...plans.map((plan) => ({ name: plan.tag, description: plan.object.description ?? `Records of the \`${plan.object.name}\` object.` })),
      { name: METADATA_TAG, description: 'Objects and fields: the workspace\'s data model.' },
      { name: SEARCH_TAG, description: 'Global search across objects.' },
      { name: IMPORTS_TAG, description: 'CSV and XLSX imports: preview, a durable job through the write path, the rejected rows, undo and saved mappings.' },
      { name: VIEWS_TAG, description: 'Saved table, kanban and calendar views of each object, and each person\'s favourite views and records.' },
      { name: SEGMENTS_TAG, description: 'Saved filters and hand-made lists of one object\'s records, for campaigns, exports and bulk actions.' },
      { name: RETENTION_TAG, description: 'Records anonymised or deleted after a period, every day (GDPR storage limitation).' },
      { name: WORKSPACE_TAG, description: 'The workspace\'s name, branding and defaults.' },
      { name: CONFIGURATION_TAG, description: 'The workspace\'s configuration as one versioned document: export, preview, deploy, roll back.' },
      { name: SANDBOXES_TAG, description: 'Workspaces made from this one to try changes, compared with it and deployed to it in one step.' },
      { name: CURRENCY_TAG, description: 'Amounts converted between currencies at the dated rates of the `exchangeRate` object.' },
      ...moduleApis().map((api) => api.tag),
      ...IDENTITY_TAGS,
      { name: PERMISSIONS_TAG, description: 'Roles, teams, territories and sharing rules: who sees and changes which records and fields.' },
      { name: SSO_TAG, description: 'OpenID Connect providers of the workspace and the browser sign-in through them.' },
      { name: LICENCES_TAG, description: 'Licence types, seats and who uses what.' },
      { name: AUDIT_TAG, description: 'Who did what, when and from where: searchable and exportable for a SIEM.' },
      { name: BACKUPS_TAG, description: 'Scheduled, verified backups of the whole instance, their retention, and a backup on demand.' },
      { name: NOTIFICATIONS_TAG, description: 'Mentions, assignments and reminders for the signed-in user.' },
      { name: DUPLICATES_TAG, description: 'Records that look alike (on create, per record, found by the scheduled scan) and merges, with undo.' },
      { name: EVENTS_TAG, description: 'Every committed change of the records you may see, in order: as pages or as server-sent events.' },
      { name: SYSTEM_TAG, description: 'This document and the health check.' },
    ],
    paths: { ...recordPaths, ...STATIC_PATHS, ...PERMISSION_PATHS, ...IDENTITY_PATHS, ...SSO_PATHS, ...LICENCE_PATHS, ...AUDIT_PATHS, ...BACKUPS_PATHS, ...VIEW_PATHS, ...SEGMENT_PATHS, ...RETENTION_PATHS, ...DESIGNER_PATHS, ...EVENTS_PATHS, ...NOTIFICATIONS_PATHS, ...DUPLICATES_PATHS, ...FIELD_ENCRYPTION_PATHS, ...WORKSPACE_EXPORT_PATHS, ...IMPORTS_PATHS, ...CONFIGURATION_PATHS, ...SANDBOXES_PATHS, ...CURRENCY_PATHS, ...Object.assign({}, ...moduleApis().map((api) => api.paths)) },
    components: {
      securitySchemes: SECURITY_SCHEMES,
      schemas: { ...COMMON_SCHEMAS, ...METADATA_SCHEMAS, ...objectSchemas },
      parameters: PARAMETERS,
      responses: RESPONSES,
      headers: HEADERS,
    },
  };
  // The constants above are shared between documents: hand out a copy nobody else holds.
  return structuredClone(document);
};
