import type { BackupRun, BackupSettings, BackupsOverview } from '@rapport/common';
import { useQuery } from '@tanstack/react-query';
import { api, isApiError } from '../../api/client.ts';

export type { BackupRun, BackupSettings, BackupsOverview } from '@rapport/common';

export const backupsQueryKey = ['settings', 'backups'] as const;

export const isRunActive = (run: BackupRun) => run.status === 'queued' || run.status === 'running';

/**
 * GET /backups: null when the caller may not manage backups (only the administrators of the instance's
 * first workspace may). Polled every second while a run is queued or running.
 */
export const useBackups = () =>
  useQuery({
    queryKey: backupsQueryKey,
    queryFn: async ({ signal }) => {
      try {
        return await api.get<BackupsOverview>('/backups', undefined, signal);
      } catch (error) {
        if (isApiError(error) && error.status === 403) return null;
        throw error;
      }
    },
    retry: false,
    refetchInterval: (query) => (query.state.data?.runs.some(isRunActive) ? 1000 : false),
  });

export const saveBackupSettings = (settings: BackupSettings) => api.put<BackupSettings>('/backups/settings', settings);
export const startBackup = () => api.post<BackupRun>('/backups');

/** 1536 → "1.5 KB" (decimal units, as disks are sold). */
export const formatBytes = (bytes: number, formatNumber: (value: number, precision?: number) => string): string => {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${formatNumber(value, unit === 0 ? 0 : 1)} ${units[unit]}`;
};
