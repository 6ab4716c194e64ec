import type { FastifyInstance } from 'fastify';
import { recordAudit, requestFacts } from '../../audit/audit.ts';
import { findLicenceType, listLicenceTypes, putLicenceType } from '../../licences/licence-types.ts';
import { getUtilisation } from '../../licences/utilisation.ts';
import { assertWorkspaceAdmin } from '../../permissions/guards.ts';
import { getContext, type EngineServices } from '../context.ts';
import {
  licenceBodySchema,
  licenceListSchema,
  licenceNameParams,
  licenceTypeSchema,
  utilisationQuerystring,
  utilisationSchema,
  type LicenceBody,
  type UtilisationQuerystring,
} from './licences.schemas.ts';

/** Licence types and seats of the workspace, and who uses what. */
export const registerLicenceRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;

  app.get('/licences', { config: { licenceFeatures: [] }, schema: { response: { 200: licenceListSchema } } }, async (request) => ({
    types: await listLicenceTypes(db, getContext(request).workspace.id),
  }));

  app.get<{ Querystring: UtilisationQuerystring }>(
    '/licences/utilisation',
    { config: { licenceFeatures: [] }, schema: { querystring: utilisationQuerystring, response: { 200: utilisationSchema } } },
    async (request) => {
      const { principal, workspace } = getContext(request);
      await assertWorkspaceAdmin(db, principal);
      const { inactiveDays = 30, days = 90 } = request.query;
      return { data: await getUtilisation(db, { workspaceId: workspace.id, inactiveDays, days }) };
    },
  );

  app.put<{ Params: { name: string }; Body: LicenceBody }>(
    '/licences/:name',
    { config: { licenceFeatures: ['admin'] }, schema: { params: licenceNameParams, body: licenceBodySchema, response: { 200: licenceTypeSchema, 201: licenceTypeSchema } } },
    async (request, reply) => {
      const { principal, workspace, actorId } = getContext(request);
      await assertWorkspaceAdmin(db, principal);
      const name = request.params.name.trim();
      const { created } = await putLicenceType(db, { workspaceId: workspace.id, name, ...request.body });
      // The features of a licence gate requests: profiles hold them.
      services.onAccessChanged(workspace.id);
      await recordAudit(db, {
        workspaceId: workspace.id,
        actorId,
        action: created ? 'licence.created' : 'licence.updated',
        ...requestFacts(request),
        details: { licence: name, ...request.body },
      });
      return reply.status(created ? 201 : 200).send(await findLicenceType(db, workspace.id, name));
    },
  );
};
