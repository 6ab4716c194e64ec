import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import { readVisibleEvents } from '../../events/event-visibility.ts';
import { findLatestEventId } from '../../events/outbox.ts';
import { createAccess, type Access } from '../../permissions/access.ts';
import { getContext, type EngineServices } from '../context.ts';
import { eventsPageSchema, eventsQuerystring, eventsStreamQuerystring } from './events.schemas.ts';

export interface EventsRouteOptions {
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs?: number;
  /** The server ends a stream after this long; the client reconnects with Last-Event-ID (and is authenticated again). */
  maxStreamMs?: number;
}

const STREAM_BATCH = 200;

const parseLastEventId = (header: string | string[] | undefined): number | undefined => {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value)) {
    throw new AppError('INVALID_REQUEST', 'Last-Event-ID must be the id of an event (digits).', { errors: [{ field: 'Last-Event-ID', code: 'invalidFormat', message: 'Expected an event id.' }] });
  }
  return Number(value);
};

// A stream checks its credential again this often (a revoked session ends it); roles and rules are re-read at every wake.
const REAUTHENTICATE_MS = 30_000;

/** The caller's access as of now: a long stream follows role, team and rule changes, and ends when the credential does. */
const createAccessReader = (services: EngineServices, request: FastifyRequest) => {
  let principal = getContext(request).principal;
  let checkedAt = Date.now();
  return async (): Promise<Access> => {
    if (Date.now() - checkedAt > REAUTHENTICATE_MS) {
      principal = await services.authenticator.authenticate(request);
      checkedAt = Date.now();
    }
    const workspace = await services.metadata.get(principal.workspaceId);
    const profile = await services.accessProfiles.get(principal.workspaceId, principal.userId);
    return createAccess({ workspace, profile, scopes: principal.scopes });
  };
};

/** The change feed: committed record events in order, as the caller may see them; as pages or as a stream. */
export const registerEventsRoute = (app: FastifyInstance, services: EngineServices) => {
  const heartbeatMs = services.eventStream?.heartbeatMs ?? 15_000;
  const maxStreamMs = services.eventStream?.maxStreamMs ?? 5 * 60_000;
  // Open streams would hold the server open: they end before it closes (clients reconnect to another server).
  const openStreams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const close of [...openStreams]) close();
  });

  app.get<{ Querystring: { after?: number; limit?: number } }>(
    '/events',
    { config: { licenceFeatures: ['records.read'] }, schema: { querystring: eventsQuerystring, response: { 200: eventsPageSchema } } },
    async (request) => {
      const { access } = getContext(request);
      const after = request.query.after ?? 0;
      const page = await readVisibleEvents(services.database.db, { access, afterId: after, limit: request.query.limit ?? 100 });
      return { data: page.data, pageInfo: { hasNextPage: page.hasMore, nextAfter: page.lastId } };
    },
  );

  app.get<{ Querystring: { after?: number } }>('/events/stream', { config: { licenceFeatures: ['records.read'] }, schema: { querystring: eventsStreamQuerystring } }, async (request, reply) => {
    const { workspace } = getContext(request);
    const db = services.database.db;
    let lastId = parseLastEventId(request.headers['last-event-id']) ?? request.query.after ?? (await findLatestEventId(db, workspace.id));

    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': request.id,
    });
    out.write(`retry: 2000\n: connected\n\n`);

    const readAccess = createAccessReader(services, request);
    let isOpen = true;
    let reading: Promise<void> | undefined;
    let isWokenAgain = false;
    const close = () => {
      if (!isOpen) return;
      isOpen = false;
      openStreams.delete(close);
      unsubscribe();
      clearInterval(heartbeat);
      clearTimeout(ending);
      out.end();
    };
    const send = async () => {
      do {
        isWokenAgain = false;
        const access = await readAccess();
        for (;;) {
          const page = await readVisibleEvents(db, { access, afterId: lastId, limit: STREAM_BATCH });
          if (!isOpen) return;
          for (const event of page.data) out.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
          // Events the caller may not see move the position too; a comment carries it to the client.
          if (page.data.length === 0 && page.lastId !== lastId) out.write(`id: ${page.lastId}\n: skipped\n\n`);
          lastId = page.lastId;
          if (!page.hasMore) break;
        }
      } while (isWokenAgain && isOpen);
    };
    const onWake = () => {
      if (reading) {
        isWokenAgain = true;
        return;
      }
      reading = send()
        .catch((error: unknown) => {
          request.log.debug({ err: error }, 'event stream ended');
          close();
        })
        .finally(() => (reading = undefined));
    };
    const unsubscribe = services.events.subscribe(workspace.id, onWake);
    const heartbeat = setInterval(() => out.write(': heartbeat\n\n'), heartbeatMs);
    const ending = setTimeout(close, maxStreamMs);
    openStreams.add(close);
    request.raw.on('close', close);
    // Events since Last-Event-ID (or `after`) come at once.
    onWake();
  });
};
