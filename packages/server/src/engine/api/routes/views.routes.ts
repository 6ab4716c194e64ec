import type { SavedViewInput } from '@rapport/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordAudit, requestFacts } from '../../audit/audit.ts';
import { isWorkspaceAdmin } from '../../permissions/guards.ts';
import { addFavourite, listFavourites, removeFavourite, reorderFavourites, type FavouriteInput } from '../../views/favourites.service.ts';
import { getNavigationOrder, setNavigationOrder } from '../../views/navigation-order.service.ts';
import { createView, deleteView, getView, listViews, updateView, type ViewCaller } from '../../views/views.service.ts';
import { getContext, type EngineServices } from '../context.ts';
import {
  favouriteCreateBody,
  favouriteOrderBody,
  favouriteSchema,
  idParams,
  listOf,
  listViewsQuerystring,
  navigationOrderBody,
  navigationOrderSchema,
  viewCreateBody,
  viewPatchBody,
  viewSchema,
} from './views.schemas.ts';

/** Saved views of every object and each person's favourites (engine/views). */
export const registerViewRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  const callerOf = async (request: FastifyRequest): Promise<ViewCaller> => {
    const { principal, workspace, access } = getContext(request);
    return { workspaceId: workspace.id, access, isAdmin: access.isAdmin || (await isWorkspaceAdmin(db, principal)) };
  };

  app.get<{ Querystring: { object?: string } }>('/views', { config: { licenceFeatures: [] }, schema: { querystring: listViewsQuerystring, response: { 200: listOf(viewSchema) } } }, async (request) => ({
    data: await listViews(db, await callerOf(request), request.query.object),
  }));

  app.post<{ Body: SavedViewInput & { object: string; name: string } }>('/views', { config: { licenceFeatures: [] }, schema: { body: viewCreateBody, response: { 201: viewSchema } } }, async (request, reply) => {
    const view = await createView(db, await callerOf(request), request.body);
    return reply.status(201).header('Location', `/api/v1/views/${view.id}`).send(view);
  });

  app.get<{ Params: { id: string } }>('/views/:id', { config: { licenceFeatures: [] }, schema: { params: idParams, response: { 200: viewSchema } } }, async (request) =>
    getView(db, await callerOf(request), request.params.id),
  );

  app.patch<{ Params: { id: string }; Body: SavedViewInput }>('/views/:id', { config: { licenceFeatures: [] }, schema: { params: idParams, body: viewPatchBody, response: { 200: viewSchema } } }, async (request) =>
    updateView(db, await callerOf(request), request.params.id, request.body),
  );

  app.delete<{ Params: { id: string } }>('/views/:id', { config: { licenceFeatures: [] }, schema: { params: idParams } }, async (request, reply) => {
    await deleteView(db, await callerOf(request), request.params.id);
    return reply.status(204).send();
  });

  app.get('/favourites', { config: { licenceFeatures: [] }, schema: { response: { 200: listOf(favouriteSchema) } } }, async (request) => ({ data: await listFavourites(db, await callerOf(request)) }));

  app.post<{ Body: FavouriteInput }>('/favourites', { config: { licenceFeatures: [] }, schema: { body: favouriteCreateBody, response: { 201: favouriteSchema } } }, async (request, reply) => {
    const favourite = await addFavourite(db, await callerOf(request), request.body);
    return reply.status(201).header('Location', `/api/v1/favourites/${favourite.id}`).send(favourite);
  });

  app.put<{ Body: { ids: string[] } }>('/favourites/order', { config: { licenceFeatures: [] }, schema: { body: favouriteOrderBody, response: { 200: listOf(favouriteSchema) } } }, async (request) => ({
    data: await reorderFavourites(db, await callerOf(request), request.body.ids),
  }));

  app.get('/navigation', { config: { licenceFeatures: [] }, schema: { response: { 200: navigationOrderSchema } } }, async (request) => getNavigationOrder(db, await callerOf(request)));

  app.put<{ Body: { objects: string[] } }>('/navigation', { config: { licenceFeatures: [] }, schema: { body: navigationOrderBody, response: { 200: navigationOrderSchema } } }, async (request) => {
    const order = await setNavigationOrder(db, await callerOf(request), request.body.objects);
    const { workspace, actorId } = getContext(request);
    await recordAudit(db, { workspaceId: workspace.id, actorId, action: 'navigation.updated', ...requestFacts(request), details: { objects: order.objects } });
    return order;
  });

  app.delete<{ Params: { id: string } }>('/favourites/:id', { config: { licenceFeatures: [] }, schema: { params: idParams } }, async (request, reply) => {
    await removeFavourite(db, await callerOf(request), request.params.id);
    return reply.status(204).send();
  });
};
