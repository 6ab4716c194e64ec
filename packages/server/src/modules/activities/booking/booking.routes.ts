import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EngineServices } from '../../../engine/api/context.ts';
import type { ModuleApi } from '../../../engine/api/module-api.ts';
import { describeBooking, manageBooking, type ManageInput } from './booking-manage.ts';
import { bookSlot, describePage, listSlots, type BookInput, type BookingServices, type SlotsQuery } from './booking-service.ts';
import { getPublishedPage } from './booking-store.ts';
import { BOOKING_PATHS, BOOKING_TAG, bookBody, bookedSchema, bookingSchema, managedSchema, manageBody, publicPageSchema, slotsQuerystring, slotsSchema, slugParams, tokenParams } from './booking.schemas.ts';
import { validationFailed } from '../../../engine/errors.ts';

const MINUTE = 60_000;

/**
 * `/public/booking/...`: reached without a credential. Each route finds its workspace from the page's address or the
 * booking's token and answers only what a visitor may know (a page's public settings, free/busy as slots).
 */
const registerBookingRoutes = (api: FastifyInstance, services: EngineServices) => {
  const { rateLimiter, settings, mailer } = services.identity;
  const booking: BookingServices = {
    db: services.database.db,
    metadata: services.metadata,
    mailer,
    publicUrl: settings.publicUrl,
    onMailError: (error) => api.log.error({ err: error }, 'could not send a booking invitation'),
  };
  // Per IP, like sign-in: writes share the public write limit (RAPPORT's authPerMinute), reads get ten times it (a
  // visitor browses weeks of slots). 0 turns both off, as it does for sign-in.
  const limit = (kind: 'read' | 'write') => async (request: FastifyRequest) => {
    const perMinute = settings.rateLimits.authPerMinute * (kind === 'read' ? 10 : 1);
    await rateLimiter.consume(`booking-${kind}-ip:${request.ip}`, { limit: perMinute, windowMs: MINUTE });
  };
  // Public routes are outside the licence gate; an empty list says so to the route walk.
  const config = { licenceFeatures: [] };

  api.get<{ Params: { slug: string } }>(
    '/public/booking/:slug',
    { config, onRequest: limit('read'), schema: { params: slugParams, response: { 200: publicPageSchema } } },
    async (request) => describePage(await getPublishedPage({ ...booking, slug: request.params.slug })),
  );

  api.get<{ Params: { slug: string }; Querystring: SlotsQuery }>(
    '/public/booking/:slug/slots',
    { config, onRequest: limit('read'), schema: { params: slugParams, querystring: slotsQuerystring, response: { 200: slotsSchema } } },
    async (request, reply) => {
      // Slots change with every booking: never from a cache.
      reply.header('cache-control', 'no-store');
      return listSlots(booking, request.params.slug, request.query);
    },
  );

  api.post<{ Params: { slug: string }; Body: BookInput }>(
    '/public/booking/:slug',
    { config, onRequest: limit('write'), schema: { params: slugParams, body: bookBody, response: { 201: bookedSchema } } },
    async (request, reply) => {
      const { manageToken: _token, ...booked } = await bookSlot(booking, request.params.slug, request.body);
      return reply.status(201).header('cache-control', 'no-store').send(booked);
    },
  );

  api.get<{ Params: { token: string } }>(
    '/public/booking/manage/:token',
    { config, onRequest: limit('read'), schema: { params: tokenParams, response: { 200: bookingSchema } } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return describeBooking(booking, request.params.token);
    },
  );

  api.post<{ Params: { token: string }; Body: { action: 'cancel' | 'reschedule'; start?: string; tz?: string } }>(
    '/public/booking/manage/:token',
    { config, onRequest: limit('write'), schema: { params: tokenParams, body: manageBody, response: { 200: managedSchema } } },
    async (request) => {
      const { action, start, tz } = request.body;
      if (action === 'reschedule' && (!start || !tz)) {
        throw validationFailed([{ field: start ? 'tz' : 'start', code: 'required', message: 'Rescheduling needs the new start and the visitor\'s time zone.' }]);
      }
      const input: ManageInput = action === 'cancel' ? { action, ...(tz ? { tz } : {}) } : { action, start: start!, tz: tz! };
      return manageBooking(booking, request.params.token, input);
    },
  );
};

export const bookingApi: ModuleApi = {
  tag: BOOKING_TAG,
  paths: BOOKING_PATHS,
  register: () => undefined,
  registerPublic: registerBookingRoutes,
};
