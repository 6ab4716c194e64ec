/** The backups API's shapes (FEATURES I7), shared by the server and the web app. */

export interface BackupSettings {
  isEnabled: boolean;
  /** 5-field cron (or @daily...), in `timezone`. */
  cron: string;
  timezone: string;
  /** Backups older than this many days are deleted... */
  keepDays: number;
  /** ...except the newest `keepLast` verified ones, always kept. */
  keepLast: number;
}

export type BackupRunStatus = 'queued' | 'running' | 'completed' | 'failed';

/** One backup: asked for by a person or the schedule, written, then verified by a restore into a scratch database. */
export interface BackupRun {
  id: string;
  trigger: 'scheduled' | 'manual';
  status: BackupRunStatus;
  jobId: string | null;
  file: string | null;
  bytes: number | null;
  isVerified: boolean;
  problems: string[];
  error: string | null;
  backupMs: number | null;
  verifyMs: number | null;
  pruned: string[];
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** `GET /backups`. */
export interface BackupsOverview {
  engine: 'pglite' | 'postgres';
  folder: string | null;
  settings: BackupSettings;
  nextRunAt: string | null;
  lastVerified: BackupRun | null;
  isOverdue: boolean;
  runs: BackupRun[];
}
