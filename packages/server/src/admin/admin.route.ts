import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { EngineServices } from '../engine/api/context.ts';
import type { Database } from '../engine/db/database.ts';
import { AppError } from '../engine/errors.ts';
import { ADMIN_COMMANDS, runAdminCommand, type AdminCommand } from './commands.ts';

const isLoopback = (ip: string) => ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';

/** Lets the CLI on this machine run admin commands while the server holds the embedded database. */
export const registerAdminRoute = (app: FastifyInstance, options: { database: Database; adminToken: string; services: EngineServices }) => {
  const expected = Buffer.from(options.adminToken);
  app.post<{ Body: AdminCommand }>(
    '/api/admin/command',
    { schema: { body: { type: 'object', properties: { command: { type: 'string', enum: [...ADMIN_COMMANDS] } }, required: ['command'] } } },
    async (request) => {
      const given = Buffer.from(String(request.headers['x-rapport-admin-token'] ?? ''));
      if (!isLoopback(request.ip) || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new AppError('FORBIDDEN', 'Admin commands are only accepted from the rapport CLI on this machine.');
      }
      // The server's own keyring: it holds the master key; a new data key reaches its metadata cache at once.
      const { services } = options;
      return runAdminCommand(options.database, request.body, { ...(services.metadata.fieldKeys ? { fieldKeys: services.metadata.fieldKeys } : {}), onMetadataChanged: (id) => services.onMetadataChanged(id), onAccessChanged: (id) => services.onAccessChanged(id), loadWorkspace: (id) => services.metadata.get(id) });
    },
  );
};
