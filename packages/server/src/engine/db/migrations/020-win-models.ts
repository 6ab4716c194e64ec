import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * The win-probability model of each workspace (the pipeline module trains it from the workspace's closed deals):
 * the model as JSON, how it scored on held-out deals, or why there is none yet.
 */
export const winModelsMigration: Migration = {
  name: '020-win-models',
  async up(db) {
    await sql`
      create table rapport.win_model (
        workspace_id uuid primary key references rapport.workspace(id) on delete cascade,
        status text not null check (status in ('trained', 'insufficientHistory')),
        model jsonb,
        evaluation jsonb,
        history jsonb not null,
        trained_at timestamptz not null default now()
      )`.execute(db);
  },
};
