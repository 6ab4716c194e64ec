import { jsonBody, jsonResponse, problemResponses } from '../openapi/components.ts';
import type { OpenApiPathItem } from '../openapi/openapi-types.ts';
import { MAX_SAMPLE_SIZE } from '../../sandboxes/sandboxes.service.ts';
import { sessionSchema, switchWorkspaceBody } from './auth.schemas.ts';
import { configurationDiffSchema, deploymentSchema } from './configuration.schemas.ts';

export const SANDBOXES_TAG = 'Sandboxes';
export const SANDBOXES_OPERATION_IDS = ['listSandboxes', 'createSandbox', 'getCurrentSandbox', 'diffSandbox', 'deploySandbox', 'deleteSandbox', 'switchWorkspace'] as const;

export const sandboxSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    workspaceId: { type: 'string', format: 'uuid', description: 'The sandbox\'s own workspace: switch to it (POST /auth/switch-workspace) to work in it.' },
    sourceWorkspaceId: { type: 'string', format: 'uuid', description: 'The production it was made from and deploys to.' },
    data: { type: 'string', enum: ['none', 'sample'] },
    sampleSize: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: { type: ['string', 'null'] },
    lastDeployedAt: { type: ['string', 'null'], format: 'date-time' },
  },
  required: ['id', 'name', 'workspaceId', 'sourceWorkspaceId', 'data', 'sampleSize', 'createdAt', 'createdBy', 'lastDeployedAt'],
} as const;

export const sandboxListSchema = { type: 'object', properties: { data: { type: 'array', items: sandboxSchema } }, required: ['data'] } as const;

export const currentSandboxSchema = {
  type: 'object',
  properties: {
    sandbox: { anyOf: [sandboxSchema, { type: 'null' }] },
    production: { anyOf: [{ type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } }, required: ['id', 'name'] }, { type: 'null' }] },
  },
  required: ['sandbox', 'production'],
} as const;

export const createSandboxBody = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100, description: 'The sandbox workspace\'s name (workspace names are unique).' },
    data: { type: 'string', enum: ['none', 'sample'], description: 'Configuration only, or with a sample of each object\'s records.' },
    sampleSize: { type: 'integer', minimum: 1, maximum: MAX_SAMPLE_SIZE, description: 'Records per object with `sample` (default 100): the most recently changed.' },
  },
  required: ['name', 'data'],
  additionalProperties: false,
} as const;

export const deploySandboxBody = {
  type: ['object', 'null'],
  properties: { fingerprint: { type: 'string', maxLength: 128, description: 'The `fingerprint` of the diff: refused (409 CONFIGURATION_CHANGED) when production changed since.' } },
  additionalProperties: false,
} as const;

export const sandboxParams = { type: 'object', properties: { id: { type: 'string', maxLength: 100 } }, required: ['id'] } as const;

const tags = [SANDBOXES_TAG];
const adminNote = 'For administrators of the production workspace.';
const idParameter = { name: 'id', in: 'path' as const, required: true, schema: { type: 'string', format: 'uuid' } };

export const SANDBOXES_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/sandboxes': {
    get: {
      operationId: 'listSandboxes',
      summary: 'List sandboxes',
      description: `The sandboxes made from this workspace, newest first. ${adminNote}`,
      tags,
      responses: { 200: jsonResponse('The sandboxes.', sandboxListSchema), ...problemResponses([401, 403]) },
    },
    post: {
      operationId: 'createSandbox',
      summary: 'Create a sandbox',
      description: `A new workspace with this workspace's configuration; with \`data: sample\`, up to \`sampleSize\` records of each object are copied (relations among copied records kept, others emptied; encrypted fields left empty: their values are sealed with this workspace's key). The caller becomes a member with the role of the same name. ${adminNote}`,
      tags,
      requestBody: jsonBody(createSandboxBody, { name: 'Acme sandbox', data: 'sample', sampleSize: 50 }),
      responses: { 201: jsonResponse('The sandbox.', sandboxSchema), ...problemResponses([400, 401, 403, 409, 415, 422]) },
    },
  },
  '/api/v1/sandboxes/current': {
    get: {
      operationId: 'getCurrentSandbox',
      summary: 'Whether this workspace is a sandbox',
      description: 'In a sandbox: the sandbox and its production; elsewhere both are null. For every member.',
      tags,
      responses: { 200: jsonResponse('The sandbox, or nulls.', currentSandboxSchema), ...problemResponses([401]) },
    },
  },
  '/api/v1/sandboxes/{id}/diff': {
    get: {
      operationId: 'diffSandbox',
      summary: 'Compare a sandbox with production',
      description: `The changes deploying the sandbox's configuration would make to this workspace, and the fingerprint to deploy them with. ${adminNote}`,
      tags,
      parameters: [idParameter],
      responses: { 200: jsonResponse('The changes.', configurationDiffSchema), ...problemResponses([401, 403, 404]) },
    },
  },
  '/api/v1/sandboxes/{id}/deploy': {
    post: {
      operationId: 'deploySandbox',
      summary: 'Deploy a sandbox to production',
      description: `Deploys the sandbox's configuration to this workspace in one transaction (see POST /configuration/deployments); roll it back with POST /configuration/deployments/{id}/rollback. ${adminNote}`,
      tags,
      parameters: [idParameter],
      requestBody: { required: false, content: { 'application/json': { schema: deploySandboxBody } } },
      responses: { 201: jsonResponse('The applied deployment.', deploymentSchema), ...problemResponses([401, 403, 404, 409, 422]) },
    },
  },
  '/api/v1/auth/switch-workspace': {
    post: {
      operationId: 'switchWorkspace',
      summary: 'Switch workspace',
      description: 'Opens a session in another workspace the signed-in user is an active member of (a sandbox, or back to its production), answered as sign-in answers and set as the session cookie; the current session ends. Sessions only.',
      tags,
      requestBody: jsonBody(switchWorkspaceBody),
      responses: { 200: jsonResponse('The new session.', sessionSchema), ...problemResponses([400, 401, 403, 404, 409]) },
    },
  },
  '/api/v1/sandboxes/{id}': {
    delete: {
      operationId: 'deleteSandbox',
      summary: 'Delete a sandbox',
      description: `Drops the sandbox's workspace with its records and members. ${adminNote}`,
      tags,
      parameters: [idParameter],
      responses: { 204: { description: 'Deleted.' }, ...problemResponses([401, 403, 404]) },
    },
  },
};
