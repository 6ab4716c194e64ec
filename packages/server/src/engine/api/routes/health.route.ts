import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { EngineServices } from '../context.ts';

export const registerHealthRoutes = (app: FastifyInstance, services: EngineServices) => {
  app.get('/healthz', { schema: { hide: true } as Record<string, unknown> }, async () => {
    await sql`select 1`.execute(services.database.db);
    return { status: 'ok' };
  });
};
