import type { Migration } from '../migrate.ts';
import { workspacesMigration } from './001-workspaces.ts';
import { jobsMigration } from './002-jobs.ts';
import { identityMigration } from './003-identity.ts';

export const systemMigrations: Migration[] = [workspacesMigration, jobsMigration, identityMigration];
