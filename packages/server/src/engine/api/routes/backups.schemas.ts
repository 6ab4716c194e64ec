import { jsonBody, jsonResponse, problemResponses } from '../openapi/components.ts';
import type { OpenApiPathItem } from '../openapi/openapi-types.ts';

export const BACKUPS_TAG = 'Backups';
export const BACKUPS_OPERATION_IDS = ['getBackups', 'runBackup', 'updateBackupSettings'] as const;

export const backupSettingsSchema = {
  type: 'object',
  properties: {
    isEnabled: { type: 'boolean', description: 'Scheduled backups run when true.' },
    cron: { type: 'string', minLength: 1, maxLength: 100, description: 'When they run: 5-field cron (`30 3 * * *`) or `@daily`, in `timezone`.', examples: ['30 3 * * *'] },
    timezone: { type: 'string', minLength: 1, maxLength: 64, description: 'IANA time zone of `cron`.', examples: ['Europe/Paris'] },
    keepDays: { type: 'integer', minimum: 1, maximum: 3650, description: 'Backup files older than this many days are deleted after each verified run...' },
    keepLast: { type: 'integer', minimum: 1, maximum: 1000, description: '...except the newest `keepLast` verified backups, kept whatever their age.' },
  },
  required: ['isEnabled', 'cron', 'timezone', 'keepDays', 'keepLast'],
  additionalProperties: false,
} as const;

export const backupRunSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    trigger: { type: 'string', enum: ['scheduled', 'manual'] },
    status: { type: 'string', enum: ['queued', 'running', 'completed', 'failed'], description: '`completed` means written and verified; `failed` carries `error`.' },
    jobId: { type: ['string', 'null'], description: 'The background job running it.' },
    file: { type: ['string', 'null'], description: 'The backup file on the server.' },
    bytes: { type: ['integer', 'null'] },
    isVerified: { type: 'boolean', description: 'Restored into a scratch database, every table matched the manifest (rows and checksum).' },
    problems: { type: 'array', items: { type: 'string' }, description: 'The tables that did not match, when verification failed.' },
    error: { type: ['string', 'null'] },
    backupMs: { type: ['integer', 'null'] },
    verifyMs: { type: ['integer', 'null'] },
    pruned: { type: 'array', items: { type: 'string' }, description: 'Older backup files this run deleted (retention).' },
    createdAt: { type: 'string', format: 'date-time' },
    startedAt: { type: ['string', 'null'], format: 'date-time' },
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
  },
  required: ['id', 'trigger', 'status', 'jobId', 'file', 'bytes', 'isVerified', 'problems', 'error', 'backupMs', 'verifyMs', 'pruned', 'createdAt', 'startedAt', 'finishedAt'],
} as const;

export const backupsOverviewSchema = {
  type: 'object',
  properties: {
    engine: { type: 'string', enum: ['pglite', 'postgres'] },
    folder: { type: ['string', 'null'], description: 'Where backups are written (RAPPORT_BACKUP_DIR, or `backups` in the data folder).' },
    settings: backupSettingsSchema,
    nextRunAt: { type: ['string', 'null'], format: 'date-time', description: 'The next scheduled run; null when scheduled backups are off.' },
    lastVerified: { anyOf: [backupRunSchema, { type: 'null' }], description: 'The newest verified backup.' },
    isOverdue: { type: 'boolean', description: 'Scheduled backups are on and the newest verified backup is older than two scheduled intervals (at least a day), or there is none yet.' },
    runs: { type: 'array', items: backupRunSchema, description: 'The last 20 runs, newest first.' },
  },
  required: ['engine', 'folder', 'settings', 'nextRunAt', 'lastVerified', 'isOverdue', 'runs'],
} as const;

const tags = [BACKUPS_TAG];
const adminNote = "Instance-wide: for the administrators of the instance's first workspace.";

export const BACKUPS_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/backups': {
    get: {
      operationId: 'getBackups',
      summary: 'Backups: settings, last verified backup and recent runs',
      description: `The schedule and retention of backups, the newest verified backup and the last runs. ${adminNote}`,
      tags,
      responses: { 200: jsonResponse('Backups of the instance.', backupsOverviewSchema), ...problemResponses([401, 403]) },
    },
    post: {
      operationId: 'runBackup',
      summary: 'Back up now',
      description: `Queues a backup run: the whole database is written to the backup folder, verified by restoring it into a scratch database, then retention applies. Follow it with GET /backups (the run's status) or GET /jobs/{jobId}. ${adminNote}`,
      tags,
      responses: { 202: jsonResponse('The queued run.', backupRunSchema), ...problemResponses([401, 403, 409]) },
    },
  },
  '/api/v1/backups/settings': {
    put: {
      operationId: 'updateBackupSettings',
      summary: 'Set the backup schedule and retention',
      description: adminNote,
      tags,
      requestBody: jsonBody(backupSettingsSchema, { isEnabled: true, cron: '30 3 * * *', timezone: 'UTC', keepDays: 14, keepLast: 7 }),
      responses: { 200: jsonResponse('The saved settings.', backupSettingsSchema), ...problemResponses([400, 401, 403, 415, 422]) },
    },
  },
};
