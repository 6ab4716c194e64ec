import type { BackupRun, BackupSettings } from '@rapport/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordAudit, requestFacts } from '../../audit/audit.ts';
import { AppError } from '../../errors.ts';
import { assertWorkspaceAdmin } from '../../permissions/guards.ts';
import { isInstanceAuditWorkspace } from '../../audit/instance-audit.ts';
import { getBackupSettings, lastVerifiedBackup, listBackupRuns, nextScheduledRun, requestBackupRun, saveBackupSettings } from '../../backup/backup-runs.ts';
import { computeNextRunAt } from '../../jobs/index.ts';
import { getContext, type EngineServices } from '../context.ts';
import { backupRunSchema, backupSettingsSchema, backupsOverviewSchema } from './backups.schemas.ts';

const DAY_MS = 86_400_000;

/**
 * Overdue: scheduled backups are on and the newest verified one is older than two intervals of the
 * schedule (at least a day), or there is none yet.
 */
export const isBackupOverdue = (settings: BackupSettings, lastVerified: BackupRun | null, now = new Date()): boolean => {
  if (!settings.isEnabled) return false;
  let intervalMs = DAY_MS;
  try {
    const first = computeNextRunAt({ cron: settings.cron, timezone: settings.timezone, after: now });
    intervalMs = Math.max(computeNextRunAt({ cron: settings.cron, timezone: settings.timezone, after: first }).getTime() - first.getTime(), 60_000);
  } catch {
    // A bad cron was refused when saved; keep a day.
  }
  const allowed = Math.max(2 * intervalMs, DAY_MS);
  if (!lastVerified) return true;
  return now.getTime() - new Date(lastVerified.finishedAt ?? lastVerified.createdAt).getTime() > allowed;
};

/** Backups of the whole instance: for administrators of its first workspace (as the instance audit scope). */
export const registerBackupRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  const instanceAdmin = async (request: FastifyRequest) => {
    const { principal, workspace } = getContext(request);
    await assertWorkspaceAdmin(db, principal);
    if (!(await isInstanceAuditWorkspace(db, workspace.id))) throw new AppError('FORBIDDEN', "Backups are managed by the administrators of the instance's first workspace.");
  };

  app.get('/backups', { config: { licenceFeatures: ['admin'] }, preHandler: instanceAdmin, schema: { response: { 200: backupsOverviewSchema } } }, async () => {
    const [settings, lastVerified, runs, nextRunAt] = await Promise.all([getBackupSettings(db), lastVerifiedBackup(db), listBackupRuns(db), nextScheduledRun(db)]);
    return { engine: services.database.engine, folder: services.backupDir ?? null, settings, nextRunAt, lastVerified, isOverdue: isBackupOverdue(settings, lastVerified), runs };
  });

  app.put<{ Body: BackupSettings }>(
    '/backups/settings',
    { config: { licenceFeatures: ['admin'] }, preHandler: instanceAdmin, schema: { body: backupSettingsSchema, response: { 200: backupSettingsSchema } } },
    async (request) => {
      const { workspace, actorId } = getContext(request);
      const settings = await saveBackupSettings(db, request.body);
      await recordAudit(db, { workspaceId: workspace.id, actorId, action: 'backup.settings_changed', ...requestFacts(request), details: { ...settings } });
      return settings;
    },
  );

  app.post('/backups', { config: { licenceFeatures: ['admin'] }, preHandler: instanceAdmin, schema: { response: { 202: backupRunSchema } } }, async (request, reply) => {
    const { workspace, actorId } = getContext(request);
    if (!services.backupDir) throw new AppError('CONFLICT', 'This server has no backup folder: set RAPPORT_BACKUP_DIR (or RAPPORT_DATA_DIR) and restart it.');
    const run = await requestBackupRun(db, { requestedBy: actorId });
    await recordAudit(db, { workspaceId: workspace.id, actorId, action: 'backup.requested', ...requestFacts(request), details: { runId: run.id } });
    return reply.code(202).send(run);
  });
};
