import { describe, expect, it } from 'vitest';
import { formatBytes, isRunActive, type BackupRun } from './backups-api.ts';

const number = (value: number, precision?: number) => value.toFixed(precision ?? 0);

describe('backups helpers', () => {
  it('should show sizes in decimal units', () => {
    expect(formatBytes(512, number)).toBe('512 B');
    expect(formatBytes(156_050, number)).toBe('156.1 KB');
    expect(formatBytes(5_501_885, number)).toBe('5.5 MB');
    expect(formatBytes(3_200_000_000, number)).toBe('3.2 GB');
  });

  it('should poll only while a run is queued or running', () => {
    const run = (status: BackupRun['status']) => ({ status }) as BackupRun;
    expect(['queued', 'running', 'completed', 'failed'].map((status) => isRunActive(run(status as BackupRun['status'])))).toEqual([true, true, false, false]);
  });
});
