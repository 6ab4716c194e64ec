import { CONFIGURATION_SECTIONS } from '@rapport/common';
import { jsonBody, jsonResponse, problemResponses } from '../openapi/components.ts';
import type { OpenApiPathItem } from '../openapi/openapi-types.ts';

export const CONFIGURATION_TAG = 'Configuration';
export const CONFIGURATION_OPERATION_IDS = ['exportConfiguration', 'previewConfiguration', 'deployConfiguration', 'listConfigurationDeployments', 'rollbackConfigurationDeployment'] as const;

export const exportQuerystring = {
  type: 'object',
  properties: { format: { type: 'string', enum: ['yaml', 'json'], default: 'yaml', description: 'YAML (the default) or JSON.' } },
  additionalProperties: false,
} as const;

// Two megabytes of YAML hold thousands of fields: far beyond a real workspace.
const documentText = { type: 'string', minLength: 1, maxLength: 2_000_000, description: 'A configuration document (YAML or JSON text), as GET /configuration writes it.' } as const;

export const previewBody = { type: 'object', properties: { document: documentText }, required: ['document'], additionalProperties: false } as const;

export const deployBody = {
  type: 'object',
  properties: {
    document: documentText,
    fingerprint: { type: 'string', maxLength: 128, description: 'The `fingerprint` of the preview: the deployment is refused (409 CONFIGURATION_CHANGED) when the workspace changed since.' },
  },
  required: ['document'],
  additionalProperties: false,
} as const;

export const configurationChangeSchema = {
  type: 'object',
  properties: {
    section: { type: 'string', enum: [...CONFIGURATION_SECTIONS] },
    key: { type: 'string', description: 'Stable key in its section: `person.nickname` for a field.' },
    label: { type: 'string', description: 'What a person reads: `People › Nickname`.' },
    action: { type: 'string', enum: ['add', 'change', 'remove'] },
    properties: { type: 'array', items: { type: 'string' }, description: 'For changes: the properties that differ.' },
    before: { description: 'The entry now (changes and removals).' },
    after: { description: 'The entry after the deployment (additions and changes).' },
    destructive: { type: 'boolean', description: 'Moves data to the trash (recoverable for 30 days).' },
  },
  required: ['section', 'key', 'label', 'action', 'destructive'],
} as const;

export const configurationDiffSchema = {
  type: 'object',
  properties: {
    changes: { type: 'array', items: configurationChangeSchema },
    fingerprint: { type: 'string', description: 'The target configuration as compared; send it with the deployment.' },
  },
  required: ['changes', 'fingerprint'],
} as const;

export const deploymentSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    workspaceId: { type: 'string', format: 'uuid' },
    source: {
      type: 'object',
      properties: { kind: { type: 'string', enum: ['sandbox', 'file'] }, sandboxId: { type: 'string' }, name: { type: 'string' } },
      required: ['kind'],
    },
    status: { type: 'string', enum: ['applied', 'rolledBack', 'failed'] },
    changes: { type: 'array', items: configurationChangeSchema },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: { type: ['string', 'null'] },
    rolledBackAt: { type: ['string', 'null'], format: 'date-time' },
    error: { type: ['string', 'null'] },
  },
  required: ['id', 'workspaceId', 'source', 'status', 'changes', 'createdAt', 'createdBy', 'rolledBackAt', 'error'],
} as const;

export const deploymentListSchema = { type: 'object', properties: { data: { type: 'array', items: deploymentSchema } }, required: ['data'] } as const;

export const deploymentParams = { type: 'object', properties: { id: { type: 'string', maxLength: 100 } }, required: ['id'] } as const;

const tags = [CONFIGURATION_TAG];
const adminNote = 'For workspace administrators.';
const idParameter = { name: 'id', in: 'path' as const, required: true, schema: { type: 'string', format: 'uuid' } };

export const CONFIGURATION_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/configuration': {
    get: {
      operationId: 'exportConfiguration',
      summary: 'Download the configuration',
      description: `The workspace's objects, fields, validation rules, layouts, shared views and roles as one versioned document (YAML or JSON), keyed by names and sorted: two exports of one configuration differ only in \`exportedAt\`. ${adminNote}`,
      tags,
      parameters: [{ name: 'format', in: 'query', required: false, schema: exportQuerystring.properties.format }],
      responses: {
        200: { description: 'The document, as an attachment (`rapport-configuration.yaml`).', content: { 'application/yaml': { schema: { type: 'string' } }, 'application/json': { schema: { type: 'object' } } } },
        ...problemResponses([401, 403]),
      },
    },
  },
  '/api/v1/configuration/preview': {
    post: {
      operationId: 'previewConfiguration',
      summary: 'Preview a configuration',
      description: `The changes deploying the document to this workspace would make, and the fingerprint to deploy them with. Sections the document leaves out are not compared. ${adminNote}`,
      tags,
      requestBody: jsonBody(previewBody),
      responses: { 200: jsonResponse('The changes.', configurationDiffSchema), ...problemResponses([400, 401, 403, 415, 422]) },
    },
  },
  '/api/v1/configuration/deployments': {
    get: {
      operationId: 'listConfigurationDeployments',
      summary: 'List deployments',
      description: `Configuration deployments to this workspace, newest first (the last 200). ${adminNote}`,
      tags,
      responses: { 200: jsonResponse('The deployments.', deploymentListSchema), ...problemResponses([401, 403]) },
    },
    post: {
      operationId: 'deployConfiguration',
      summary: 'Deploy a configuration',
      description: `Makes every change of the preview in one transaction, through the same services as the designer: all or nothing (a failure is recorded as a failed deployment, and its error answered). Removed objects and fields go to the trash for 30 days. ${adminNote}`,
      tags,
      requestBody: jsonBody(deployBody),
      responses: { 201: jsonResponse('The applied deployment.', deploymentSchema), ...problemResponses([400, 401, 403, 404, 409, 415, 422]) },
    },
  },
  '/api/v1/configuration/deployments/{id}/rollback': {
    post: {
      operationId: 'rollbackConfigurationDeployment',
      summary: 'Roll back a deployment',
      description: `Puts back the configuration the workspace had before the deployment (kept with it): what it removed comes back from the trash with its data. Only the latest applied deployment (409 DEPLOYMENT_NOT_ROLLBACKABLE). ${adminNote}`,
      tags,
      parameters: [idParameter],
      responses: { 200: jsonResponse('The deployment, rolled back.', deploymentSchema), ...problemResponses([401, 403, 404, 409, 422]) },
    },
  },
};
