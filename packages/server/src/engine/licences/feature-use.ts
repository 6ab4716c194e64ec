import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { requestFeatures } from './licence-gate.ts';

export interface FeatureUse {
  workspaceId: string;
  userId: string;
  feature: string;
}

/** Uses are counted in memory and written this often: one upsert per user, feature and day per flush. */
export const FEATURE_USE_FLUSH_MS = 5000;

interface Recorder {
  /** `workspaceId|userId|feature|day` → uses since the last flush. */
  pending: Map<string, number>;
  timer: NodeJS.Timeout | undefined;
  flushing: Promise<void>;
}

// One recorder per database: modules call recordFeatureUse(db, ...) without holding a handle.
const recorders = new WeakMap<Db, Recorder>();

const recorderOf = (db: Db): Recorder => {
  let recorder = recorders.get(db);
  if (!recorder) {
    recorder = { pending: new Map(), timer: undefined, flushing: Promise.resolve() };
    recorders.set(db, recorder);
  }
  return recorder;
};

const writePending = async (db: Db, batch: Map<string, number>) => {
  if (batch.size === 0) return;
  const rows = [...batch].map(([key, uses]) => {
    const [workspaceId, userId, feature, day] = key.split('|') as [string, string, string, string];
    return sql`(${workspaceId}::uuid, ${userId}::uuid, ${feature}, ${day}::date, ${uses}::int)`;
  });
  // Users removed since the use was counted are skipped, not an error.
  await sql`insert into rapport.feature_use (workspace_id, user_id, feature, day, uses)
    select v.workspace_id, v.user_id, v.feature, v.day, v.uses
    from (values ${sql.join(rows)}) as v (workspace_id, user_id, feature, day, uses)
    where exists (select 1 from rapport.user u where u.id = v.user_id) and exists (select 1 from rapport.workspace w where w.id = v.workspace_id)
    on conflict (workspace_id, user_id, feature, day) do update set uses = rapport.feature_use.uses + excluded.uses`.execute(db);
};

/** Writes what is counted so far (tests and shutdown call it; a timer does otherwise). */
export const flushFeatureUse = async (db: Db): Promise<void> => {
  const recorder = recorderOf(db);
  if (recorder.timer) clearTimeout(recorder.timer);
  recorder.timer = undefined;
  const batch = recorder.pending;
  recorder.pending = new Map();
  recorder.flushing = recorder.flushing.then(() => writePending(db, batch));
  await recorder.flushing;
};

/** Counts one use of a licence feature by a user today (UTC); cheap: nothing is written until the next flush. */
export const recordFeatureUse = (db: Db, use: FeatureUse): void => {
  const recorder = recorderOf(db);
  const key = `${use.workspaceId}|${use.userId}|${use.feature}|${new Date().toISOString().slice(0, 10)}`;
  recorder.pending.set(key, (recorder.pending.get(key) ?? 0) + 1);
  if (!recorder.timer) {
    recorder.timer = setTimeout(() => {
      // Lost counts are acceptable (the report is a usage estimate); a failing request is not.
      flushFeatureUse(db).catch(() => undefined);
    }, FEATURE_USE_FLUSH_MS);
    recorder.timer.unref();
  }
};

/**
 * Counts, for every successful request made by a user (not by a user-less API key), the features the
 * licence gate asked of it (`requestFeatures`: the route's declared features, and `api` for a user's key),
 * so the utilisation report and the gate cannot disagree.
 */
export const registerFeatureUseHook = (app: FastifyInstance, db: Db) => {
  app.addHook('onResponse', async (request: FastifyRequest, reply) => {
    const context = request.rapport;
    if (!context?.principal.userId || reply.statusCode >= 400) return;
    for (const feature of requestFeatures(request)) recordFeatureUse(db, { workspaceId: context.workspace.id, userId: context.principal.userId, feature });
  });
  app.addHook('onClose', async () => flushFeatureUse(db).catch(() => undefined));
};
