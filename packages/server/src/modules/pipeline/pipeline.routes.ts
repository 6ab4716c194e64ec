import type { FastifyInstance } from 'fastify';
import { getContext, getObjectOrThrow, type EngineServices } from '../../engine/api/context.ts';
import type { ModuleApi } from '../../engine/api/module-api.ts';
import { PIPELINE_PATHS, PIPELINE_TAG } from './pipeline.schemas.ts';
import { assertId } from '../../engine/api/routes/query-params.ts';
import { readStageHistory } from './stage-history.ts';
import { readDealScope, type DealScopeQuery } from './analytics/deal-scope.ts';
import { computeForecast } from './analytics/forecast.ts';
import { computeSalesKpis } from './analytics/kpis.ts';
import { computeLeaderboard } from './analytics/leaderboard.ts';
import { readDealInsights } from './insights.ts';
import { computeSalesAlerts } from './analytics/alerts.ts';
import { readForecastTrend } from './forecast-snapshots.ts';
import { computeGoalProgress } from './analytics/goal-progress.ts';
import { readWinModel, trainWorkspaceWinModel } from './win-probability/win-store.ts';
import { AppError } from '../../engine/errors.ts';

// Period, pipeline and rep or team: every sales figure is asked for with these.
const scopeQuerystring = {
  type: 'object',
  properties: {
    period: { type: 'string', maxLength: 20, description: 'A year, quarter, month or ISO week: 2026, 2026-Q4, 2026-11, 2026-W48.' },
    pipeline: { type: 'string', maxLength: 100 },
    ownerId: { type: 'string', maxLength: 100 },
    teamId: { type: 'string', maxLength: 100 },
  },
  additionalProperties: false,
} as const;

const leaderboardQuerystring = {
  type: 'object',
  properties: { period: scopeQuerystring.properties.period, teamId: scopeQuerystring.properties.teamId },
  additionalProperties: false,
} as const;

const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 100 } }, required: ['id'], additionalProperties: false } as const;

/** The pipeline module's routes: what the records API cannot express. */
const registerPipelineRoutes = (api: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  api.get<{ Params: { id: string } }>(
    '/records/opportunity/:id/stage-history',
    { config: { licenceFeatures: ['records.read'] }, schema: { params: idParams } },
    async (request) => {
      const { workspace, access } = getContext(request);
      assertId(request.params.id, 'opportunity');
      return readStageHistory({ db, workspace, object: getObjectOrThrow(workspace, 'opportunity'), access }, request.params.id);
    },
  );

  api.get<{ Params: { id: string } }>(
    '/records/opportunity/:id/insights',
    { config: { licenceFeatures: ['records.read'] }, schema: { params: idParams } },
    async (request) => {
      const { workspace, access } = getContext(request);
      assertId(request.params.id, 'opportunity');
      return readDealInsights({ db, workspace, object: getObjectOrThrow(workspace, 'opportunity'), access }, request.params.id);
    },
  );

  // The workspace's win-probability model: how it scored, or why there is none.
  api.get('/win-probability/model', { config: { licenceFeatures: ['records.read'] } }, async (request) => {
    const { workspace } = getContext(request);
    const stored = await readWinModel(db, workspace.id);
    if (!stored) return { status: 'untrained' };
    const { model: _model, ...answer } = stored as typeof stored & { model?: unknown };
    return answer;
  });

  api.post('/win-probability/train', { config: { licenceFeatures: ['admin'] } }, async (request) => {
    const { workspace, access } = getContext(request);
    if (!access.isAdmin) throw new AppError('FORBIDDEN', 'Only administrators retrain the win-probability model.');
    const stored = await trainWorkspaceWinModel(db, workspace);
    // The model itself stays on the server; its scores and history are what a client needs.
    const { model: _model, ...answer } = stored as typeof stored & { model?: unknown };
    return answer;
  });

  api.get<{ Querystring: DealScopeQuery }>(
    '/forecast',
    { config: { licenceFeatures: ['records.read'] }, schema: { querystring: scopeQuerystring } },
    async (request) => {
      const { workspace, access } = getContext(request);
      const scope = await readDealScope(db, workspace, request.query);
      // With the weekly snapshots of the same period and scope: how the forecast moved.
      return { ...(await computeForecast(db, access, scope)), trend: await readForecastTrend(db, access, scope) };
    },
  );

  api.get<{ Querystring: DealScopeQuery }>(
    '/analytics/kpis',
    { config: { licenceFeatures: ['records.read'] }, schema: { querystring: scopeQuerystring } },
    async (request) => {
      const { workspace, access } = getContext(request);
      const scope = await readDealScope(db, workspace, request.query);
      return computeSalesKpis(db, access, scope);
    },
  );

  api.get<{ Querystring: { period?: string } }>(
    '/analytics/goals',
    { config: { licenceFeatures: ['records.read'] }, schema: { querystring: { type: 'object', properties: { period: scopeQuerystring.properties.period }, additionalProperties: false } } },
    async (request) => {
      const { workspace, access } = getContext(request);
      const scope = await readDealScope(db, workspace, request.query);
      return { data: await computeGoalProgress(db, access, scope.period) };
    },
  );

  api.get<{ Querystring: DealScopeQuery }>(
    '/analytics/alerts',
    { config: { licenceFeatures: ['records.read'] }, schema: { querystring: scopeQuerystring } },
    async (request) => {
      const { workspace, access } = getContext(request);
      const scope = await readDealScope(db, workspace, request.query);
      return { data: await computeSalesAlerts(db, access, scope) };
    },
  );

  api.get<{ Querystring: { period?: string; teamId?: string } }>(
    '/leaderboard',
    { config: { licenceFeatures: ['records.read'] }, schema: { querystring: leaderboardQuerystring } },
    async (request) => {
      const { workspace, access } = getContext(request);
      const scope = await readDealScope(db, workspace, request.query);
      return computeLeaderboard(db, access, { period: scope.period, ...(scope.teamId ? { teamId: scope.teamId } : {}) });
    },
  );
};

export const pipelineApi: ModuleApi = { tag: PIPELINE_TAG, paths: PIPELINE_PATHS, register: registerPipelineRoutes };
