import type { FastifyInstance } from 'fastify';
import type { EngineServices } from './context.ts';
import type { OpenApiPathItem } from './openapi/openapi-types.ts';

/**
 * A module's own API: the routes CRUD cannot express (a deal's stage history, the forecast) and their OpenAPI
 * description. Registered in the authenticated `/api/v1` surface; every route declares its licence features like
 * the engine's own.
 */
export interface ModuleApi {
  /** The OpenAPI tag of its operations. */
  tag: { name: string; description: string };
  /** Full paths (`/api/v1/...`), each operation with its `operationId`. */
  paths: Record<string, OpenApiPathItem>;
  register(api: FastifyInstance, services: EngineServices): void;
  /**
   * Routes reached without a credential (a public booking page, a calendar feed, a provider's signed webhook), under
   * `/api/v1` too: each finds its workspace itself (from an unguessable token or a signature), is rate limited and
   * reveals nothing beyond what it serves.
   */
  registerPublic?(publicApi: FastifyInstance, services: EngineServices): void;
}

const installed: ModuleApi[] = [];

/** Installed by whatever composes the modules (modules/index.ts, on import); installing one twice does nothing. */
export const installModuleApis = (apis: readonly ModuleApi[]) => {
  for (const api of apis) if (!installed.includes(api)) installed.push(api);
};

export const moduleApis = (): readonly ModuleApi[] => installed;

/** The operationIds of the installed modules' paths (they are reserved before objects name theirs). */
export const moduleOperationIds = (): string[] =>
  installed.flatMap((api) => Object.values(api.paths).flatMap((item) => Object.values(item as Record<string, { operationId?: string }>).map((operation) => operation?.operationId).filter((id): id is string => typeof id === 'string')));
