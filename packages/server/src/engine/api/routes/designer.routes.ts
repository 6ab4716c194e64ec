import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordAudit, requestFacts } from '../../audit/audit.ts';
import { checkObjectExpression, type ExpressionCheckRequest } from '../../designer/expression-check.ts';
import { readLayout, saveLayout, type ObjectLayout } from '../../designer/layouts.ts';
import { readWorkspaceSettings, updateWorkspaceSettings, type WorkspaceSettingsPatch } from '../../designer/workspace-settings.ts';
import { getReadableObject } from '../../permissions/assert-access.ts';
import { assertWorkspaceAdmin } from '../../permissions/guards.ts';
import { getContext, getObjectOrThrow, type EngineServices } from '../context.ts';
import {
  expressionCheckBody,
  expressionCheckResult,
  layoutBody,
  layoutResponse,
  workspacePatchBody,
  workspaceSettingsResponse,
} from './designer.schemas.ts';

const objectParams = { type: 'object', properties: { object: { type: 'string', maxLength: 100 } }, required: ['object'] } as const;
type ObjectParams = { object: string };

/** What the objects designer, the layouts editor and workspace settings need beyond object and field definitions. */
export const registerDesignerRoutes = (app: FastifyInstance, services: EngineServices) => {
  const { db } = services.database;
  const adminOnly = async (request: FastifyRequest) => assertWorkspaceAdmin(db, getContext(request).principal);
  const audit = (request: FastifyRequest, action: string, objectName: string | null, details: Record<string, unknown>) => {
    const { workspace, actorId } = getContext(request);
    return recordAudit(db, { workspaceId: workspace.id, actorId, action, ...(objectName ? { objectName } : {}), ...requestFacts(request), details });
  };

  app.post<{ Params: ObjectParams; Body: ExpressionCheckRequest }>(
    '/metadata/objects/:object/expressions/check',
    { config: { licenceFeatures: ['metadata.admin'] }, schema: { params: objectParams, body: expressionCheckBody, response: { 200: expressionCheckResult } } },
    async (request) => {
      // The caller's view of the object: an expression cannot name a field they may not see.
      const object = getReadableObject(getContext(request).access, request.params.object);
      return checkObjectExpression(object, request.body);
    },
  );

  app.get<{ Params: ObjectParams }>('/metadata/objects/:object/layout', { config: { licenceFeatures: [] }, schema: { params: objectParams, response: { 200: layoutResponse } } }, async (request) => {
    const { access, workspace } = getContext(request);
    return readLayout(db, workspace.id, getReadableObject(access, request.params.object));
  });

  app.put<{ Params: ObjectParams; Body: ObjectLayout }>(
    '/metadata/objects/:object/layout',
    { config: { licenceFeatures: ['metadata.admin'] }, schema: { params: objectParams, body: layoutBody, response: { 200: layoutResponse } }, preHandler: adminOnly },
    async (request) => {
      const { workspace } = getContext(request);
      const object = getObjectOrThrow(workspace, request.params.object);
      await saveLayout(db, workspace.id, object, request.body);
      await audit(request, 'metadata.layout.updated', object.name, { sections: request.body.sections.length });
      return readLayout(db, workspace.id, object);
    },
  );

  app.get('/workspace', { config: { licenceFeatures: [] }, schema: { response: { 200: workspaceSettingsResponse } } }, async (request) => readWorkspaceSettings(db, getContext(request).workspace.id));

  app.patch<{ Body: WorkspaceSettingsPatch }>(
    '/workspace',
    { config: { licenceFeatures: ['admin'] }, schema: { body: workspacePatchBody, response: { 200: workspaceSettingsResponse } }, preHandler: adminOnly },
    async (request) => {
      const { workspace } = getContext(request);
      const settings = await updateWorkspaceSettings(db, workspace.id, request.body);
      // Name, time zone and currency are part of the cached workspace metadata.
      services.onMetadataChanged(workspace.id);
      const { logo, ...rest } = request.body;
      await audit(request, 'workspace.updated', null, { changed: Object.keys(request.body), ...rest, ...(logo !== undefined ? { logo: logo === null ? null : 'replaced' } : {}) });
      return settings;
    },
  );
};
