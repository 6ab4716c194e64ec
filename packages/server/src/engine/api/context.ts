import type { FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { MetadataCache } from '../metadata/metadata-store.ts';
import type { ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import type { IdentityServices } from '../identity/identity-settings.ts';
import type { Principal } from '../identity/principal.ts';
import type { AccessProfileCache } from '../permissions/access-cache.ts';
import type { Access } from '../permissions/access.ts';
import type { EventHub } from '../events/event-hub.ts';
import type { NotificationConsumer } from '../notifications/notification-consumer.ts';
import type { Authenticator } from './auth.ts';
import type { EventsRouteOptions } from './routes/events.route.ts';

/** What every route needs from the engine; built once at start. */
export interface EngineServices {
  database: Database;
  metadata: MetadataCache;
  authenticator: Authenticator;
  /** Secrets, mail, rate limits and settings of sign-in, invitations and 2FA. */
  identity: IdentityServices;
  /** Tell other servers (and this one) that a workspace's metadata changed. */
  onMetadataChanged(workspaceId: string): void;
  /** Access profiles (role, teams, owners, rules) per workspace and user, cached. */
  accessProfiles: AccessProfileCache;
  /**
   * Tell other servers (and this one) that who may see what changed in a workspace: roles, teams,
   * territories, sharing rules, a member's role or status. Call it after the change commits.
   */
  onAccessChanged(workspaceId: string): void;
  /** Wakes the change-feed streams and event consumers of this server when events commit. */
  events: EventHub;
  /** Heartbeat and length of `GET /events/stream` (defaults: 15 s, 5 min). */
  eventStream?: EventsRouteOptions;
  /** Turns committed events into notifications (mentions, assignments) and reminder jobs. */
  notifications: NotificationConsumer;
  /** Where backups are written (engine/backup); absent: backups cannot be run through the API. */
  backupDir?: string;
}

export interface RequestContext {
  principal: Principal;
  workspace: WorkspaceMeta;
  /** The user acting (recorded as createdBy/updatedBy and in history), null for a key without a user. */
  actorId: string | null;
  /** What the caller may do: pass it to every read and write (engine/permissions). */
  access: Access;
}

declare module 'fastify' {
  interface FastifyRequest {
    rapport?: RequestContext;
  }
}

export const getContext = (request: FastifyRequest): RequestContext => {
  if (!request.rapport) throw new AppError('UNAUTHENTICATED', 'Authentication required.');
  return request.rapport;
};

export const getObjectOrThrow = (workspace: WorkspaceMeta, name: string): ObjectMeta => {
  const object = workspace.objects.get(name);
  if (!object) {
    throw new AppError('OBJECT_NOT_FOUND', `There is no object "${name}". Objects: ${[...workspace.objects.keys()].join(', ')}.`);
  }
  return object;
};

/** `If-Match: 3`, `"3"` or `W/"3"` → 3. */
export const parseIfMatch = (header: string | undefined): number | undefined => {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!match) throw new AppError('INVALID_REQUEST', 'If-Match must be the record version from its ETag, e.g. "3".', { errors: [{ field: 'If-Match', code: 'invalidFormat', message: 'Expected a version number.' }] });
  return Number(match[1]);
};
