import type { Migration } from '../migrate.ts';
import { workspacesMigration } from './001-workspaces.ts';
import { jobsMigration } from './002-jobs.ts';

export const systemMigrations: Migration[] = [workspacesMigration, jobsMigration];
