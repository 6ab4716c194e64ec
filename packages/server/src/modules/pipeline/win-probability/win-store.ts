import { sql } from 'kysely';
import type { Db } from '../../../engine/db/database.ts';
import type { JobHandler } from '../../../engine/jobs/index.ts';
import type { MetadataCache } from '../../../engine/metadata/metadata-store.ts';
import type { WorkspaceMeta } from '../../../engine/metadata/types.ts';
import { listWorkspaces } from '../../../engine/workspaces/workspace.service.ts';
import { readDealFeatures, WIN_FEATURES } from './deal-features.ts';
import { MIN_HISTORY, predictWin, trainWinModel, type WinEvaluation, type WinModel } from './win-model.ts';

/** Closed deals a model learns from: the newest by close date. */
export const TRAINING_DEALS = 20_000;

export type StoredWinModel =
  | { status: 'trained'; model: WinModel; evaluation: WinEvaluation; history: { closed: number; won: number; lost: number }; trainedAt: string }
  | { status: 'insufficientHistory'; history: { closed: number; won: number; lost: number }; needed: typeof MIN_HISTORY; trainedAt: string };

/** Trains the workspace's model on its newest closed deals and keeps it (or why there is none). */
export const trainWorkspaceWinModel = async (db: Db, workspace: WorkspaceMeta): Promise<StoredWinModel> => {
  const deals = await readDealFeatures(db, workspace, { closed: TRAINING_DEALS });
  const examples = deals.map((deal) => ({ features: deal.features, won: deal.won === true }));
  const result = trainWinModel(examples, { features: WIN_FEATURES.map(({ name, kind }) => ({ name, kind })) });
  const history = result.status === 'trained' ? result.model.trainedOn : { closed: result.closed, won: result.won, lost: result.lost };
  const { rows } = await sql<{ trained_at: string }>`
    insert into rapport.win_model (workspace_id, status, model, evaluation, history, trained_at)
    values (${workspace.id}, ${result.status}, ${result.status === 'trained' ? JSON.stringify(result.model) : null}::jsonb,
      ${result.status === 'trained' ? JSON.stringify(result.evaluation) : null}::jsonb, ${JSON.stringify(history)}::jsonb, now())
    on conflict (workspace_id) do update set status = excluded.status, model = excluded.model, evaluation = excluded.evaluation,
      history = excluded.history, trained_at = excluded.trained_at
    returning trained_at`.execute(db);
  const trainedAt = new Date(rows[0]!.trained_at).toISOString();
  models.delete(workspace.id);
  return result.status === 'trained'
    ? { status: 'trained', model: result.model, evaluation: result.evaluation, history, trainedAt }
    : { status: 'insufficientHistory', history, needed: MIN_HISTORY, trainedAt };
};

// Models per workspace, read once per server until retrained here or 10 minutes old (another server may retrain).
const models = new Map<string, { at: number; stored: StoredWinModel | undefined }>();
const MODEL_TTL_MS = 10 * 60_000;

export const readWinModel = async (db: Db, workspaceId: string): Promise<StoredWinModel | undefined> => {
  const cached = models.get(workspaceId);
  if (cached && Date.now() - cached.at < MODEL_TTL_MS) return cached.stored;
  const { rows } = await sql<{ status: StoredWinModel['status']; model: WinModel | null; evaluation: WinEvaluation | null; history: { closed: number; won: number; lost: number }; trained_at: string }>`
    select status, model, evaluation, history, trained_at from rapport.win_model where workspace_id = ${workspaceId}`.execute(db);
  const row = rows[0];
  const stored: StoredWinModel | undefined = !row
    ? undefined
    : row.status === 'trained' && row.model && row.evaluation
      ? { status: 'trained', model: row.model, evaluation: row.evaluation, history: row.history, trainedAt: new Date(row.trained_at).toISOString() }
      : { status: 'insufficientHistory', history: row.history, needed: MIN_HISTORY, trainedAt: new Date(row.trained_at).toISOString() };
  models.set(workspaceId, { at: Date.now(), stored });
  return stored;
};

export interface WinProbabilityAnswer {
  status: 'trained' | 'insufficientHistory' | 'closed';
  probability?: number;
  factors?: { feature: string; label: string; value: unknown; effect: number; direction: 'up' | 'down' }[];
  model?: { trainedAt: string; heldOut: number; accuracy: number; auc: number; trainedOn: number };
  history?: { closed: number; won: number; lost: number };
  needed?: typeof MIN_HISTORY;
}

const LABELS = new Map(WIN_FEATURES.map((feature) => [feature.name, feature.label]));

/** The chance an open deal is won, with the three features that move it most; a model is trained on first use. */
export const predictDealWin = async (db: Db, workspace: WorkspaceMeta, dealId: string): Promise<WinProbabilityAnswer> => {
  const kept = await readWinModel(db, workspace.id);
  // Without a model, or without enough history an hour ago, it trains now (the history may have grown since).
  const isStale = kept?.status === 'insufficientHistory' && Date.now() - Date.parse(kept.trainedAt) > 3_600_000;
  const stored = kept && !isStale ? kept : await trainWorkspaceWinModel(db, workspace);
  if (stored.status === 'insufficientHistory') return { status: 'insufficientHistory', history: stored.history, needed: stored.needed };
  const [deal] = await readDealFeatures(db, workspace, { ids: [dealId] });
  if (!deal) return { status: 'insufficientHistory', history: stored.history, needed: MIN_HISTORY };
  if (deal.won !== null) return { status: 'closed', probability: deal.won ? 1 : 0 };
  const prediction = predictWin(stored.model, deal.features);
  return {
    status: 'trained',
    probability: Math.round(prediction.probability * 1000) / 1000,
    factors: prediction.factors.map((factor) => ({ ...factor, label: LABELS.get(factor.feature) ?? factor.feature, effect: Math.round(factor.effect * 1000) / 1000 })),
    model: { trainedAt: stored.trainedAt, heldOut: stored.evaluation.heldOut, accuracy: stored.evaluation.accuracy, auc: stored.evaluation.auc, trainedOn: stored.history.closed },
  };
};

export const WIN_MODEL_JOB = 'pipeline.trainWinModels';
/** Every Sunday night: models follow the workspace's newest closed deals. */
export const WIN_MODEL_CRON = '30 2 * * 0';

export const createWinModelJobHandler = ({ metadata }: { metadata: MetadataCache }): JobHandler => async ({ db, signal }) => {
  const results: Record<string, string> = {};
  for (const { id } of await listWorkspaces(db)) {
    if (signal.aborted) break;
    results[id] = (await trainWorkspaceWinModel(db, await metadata.get(id))).status;
  }
  return results;
};
