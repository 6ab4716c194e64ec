import type { FastifyBaseLogger } from 'fastify';
import type { Database } from './engine/db/database.ts';
import { startWorker, upsertSchedule, type JobHandler, type JobLogger } from './engine/jobs/index.ts';
import { purgeExpired } from './engine/metadata/purge.ts';
import { createEncryptFieldJobHandler, ENCRYPT_FIELD_JOB } from './engine/records/encrypt-field.job.ts';
import { createDuplicateScanJobHandler, DUPLICATE_SCAN_CRON, DUPLICATE_SCAN_JOB } from './engine/duplicates/duplicates.job.ts';
import type { EngineServices } from './engine/api/context.ts';
import { createImportJobHandlers } from './engine/imports/import.job.ts';
import { REMINDER_JOB } from './engine/notifications/notification-consumer.ts';
import { createReminderJobHandler } from './engine/notifications/reminder.job.ts';
import { NOTIFICATION_DIGEST_CRON, NOTIFICATION_DIGEST_JOB, sendNotificationDigests } from './engine/notifications/notification-preferences.ts';
import { listWorkspaces } from './engine/workspaces/workspace.service.ts';
import { createRetentionJobHandler, RETENTION_JOB } from './engine/privacy/retention.job.ts';
import { BACKUP_JOB, createBackupJobHandler } from './engine/backup/backup-runs.ts';
import { moduleJobHandlers, moduleSchedules, reminderRules } from './modules/index.ts';

/** Job types of the platform; modules add theirs here. The purge logs what it had to leave for a later run. */
export const jobHandlers = (logger: JobLogger) => ({
  'platform.purgeExpired': async ({ db }: { db: Database['db'] }) => purgeExpired(db, new Date(), logger),
});

/** Metadata jobs that need the master key's field keyring: encrypting an existing field. */
export const metadataJobHandlers = (services: Pick<EngineServices, 'metadata' | 'onMetadataChanged'>): Record<string, JobHandler> => {
  const { fieldKeys } = services.metadata;
  return fieldKeys ? { [ENCRYPT_FIELD_JOB]: createEncryptFieldJobHandler({ fieldKeys, onMetadataChanged: (id) => services.onMetadataChanged(id) }) } : {};
};

/** Jobs that use the app's services: reminders (scheduled by the notifications consumer) and the daily email digests. */
export const notificationJobHandlers = (services: Pick<EngineServices, 'metadata' | 'accessProfiles'> & { identity?: Pick<EngineServices['identity'], 'mailer' | 'settings'> }) => ({
  [REMINDER_JOB]: createReminderJobHandler({ metadata: services.metadata, accessProfiles: services.accessProfiles, reminderRules }),
  ...(services.identity
    ? {
        [NOTIFICATION_DIGEST_JOB]: (async ({ db }) => {
          let sent = 0;
          for (const workspace of await listWorkspaces(db)) sent += await sendNotificationDigests(db, { workspaceId: workspace.id, mailer: services.identity!.mailer, publicUrl: services.identity!.settings.publicUrl });
          return { sent };
        }) satisfies JobHandler,
      }
    : {}),
});

/** The scheduled duplicate scan (engine/duplicates): incremental, bounded per run. */
export const duplicateJobHandlers = (services: Pick<EngineServices, 'metadata'>): Record<string, JobHandler> => ({
  [DUPLICATE_SCAN_JOB]: createDuplicateScanJobHandler({ metadata: services.metadata }),
});

/** Imports and their undo: run as the user who started them, with the server's metadata (and field keys). */
export const importJobHandlers = (services: Pick<EngineServices, 'metadata'>): Record<string, JobHandler> =>
  createImportJobHandlers({ loadWorkspace: (id) => services.metadata.get(id) });

const CATCH_UP_MS = 30_000;

// Even when nobody follows the feed, reminders get their jobs and mentions their bells within half a minute.
const startNotificationCatchUp = ({ database, logger, services }: { database: Database; logger: FastifyBaseLogger; services: EngineServices }) => {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= (async () => {
      for (const workspace of await listWorkspaces(database.db)) await services.notifications.catchUp(workspace.id);
    })()
      .catch((error: unknown) => logger.warn({ err: error }, 'notifications could not be made'))
      .finally(() => (running = undefined));
  }, CATCH_UP_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
};

/** The platform's recurring jobs (job type, cron in UTC); each schedule is named after its job. Backups have their own, set in Settings. */
const PLATFORM_SCHEDULES: [type: string, cron: string][] = [
  ['platform.purgeExpired', '17 3 * * *'],
  [RETENTION_JOB, '40 3 * * *'],
  [DUPLICATE_SCAN_JOB, DUPLICATE_SCAN_CRON],
  [NOTIFICATION_DIGEST_JOB, NOTIFICATION_DIGEST_CRON],
  ...moduleSchedules,
];

/** The job worker and the platform's recurring jobs, in this process. */
export const startBackgroundWork = async ({ database, logger, services }: { database: Database; logger: FastifyBaseLogger; services: EngineServices }) => {
  for (const [type, cron] of PLATFORM_SCHEDULES) await upsertSchedule(database.db, { name: type, cron, type, payload: {}, timezone: 'UTC' });
  const worker = startWorker({
    db: database.db,
    handlers: { ...jobHandlers(logger), ...notificationJobHandlers(services), ...metadataJobHandlers(services), ...duplicateJobHandlers(services), ...importJobHandlers(services), [RETENTION_JOB]: createRetentionJobHandler({ metadata: services.metadata }), [BACKUP_JOB]: createBackupJobHandler({ database, backupDir: services.backupDir }), ...moduleJobHandlers(services) },
    concurrency: database.engine === 'pglite' ? 1 : 4,
    logger,
  });
  const stopCatchUp = startNotificationCatchUp({ database, logger, services });
  return {
    ...worker,
    async stop() {
      await stopCatchUp();
      await worker.stop();
    },
  };
};
