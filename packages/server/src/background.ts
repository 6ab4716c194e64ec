import type { FastifyBaseLogger } from 'fastify';
import type { Database } from './engine/db/database.ts';
import { startWorker, upsertSchedule } from './engine/jobs/index.ts';
import { purgeExpired } from './engine/metadata/purge.ts';

/** Job types of the platform; modules add theirs here. */
export const jobHandlers = {
  'platform.purgeExpired': async ({ db }: { db: Database['db'] }) => purgeExpired(db),
};

/** The job worker and the platform's recurring jobs, in this process. */
export const startBackgroundWork = async ({ database, logger }: { database: Database; logger: FastifyBaseLogger }) => {
  await upsertSchedule(database.db, { name: 'platform.purgeExpired', cron: '17 3 * * *', type: 'platform.purgeExpired', payload: {}, timezone: 'UTC' });
  return startWorker({
    db: database.db,
    handlers: jobHandlers,
    concurrency: database.engine === 'pglite' ? 1 : 4,
    logger,
  });
};
