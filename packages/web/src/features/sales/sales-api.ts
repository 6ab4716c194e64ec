import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { queryKeys } from '../../api/queries.ts';
import type { RecordPage } from '../../api/types.ts';
import { createLimiter, scopeQuery, type SalesScope } from './sales-model.ts';

export interface PeriodInfo {
  key: string;
  start: string;
  end: string;
}

/** `GET /forecast`: every amount in the workspace currency. */
export interface Forecast {
  period: PeriodInfo;
  currency: string;
  quota: number | null;
  closedWon: number;
  commit: number;
  bestCase: number;
  weightedPipeline: number;
  worstCase: number;
  bestOutcome: number;
  expected: number;
  rangeMethod: 'exact' | 'monteCarlo' | 'normal';
  deals: { won: number; lost: number; open: number };
  unconverted: { currency: string; count: number }[];
  /** The weekly snapshots of the same period and scope, oldest first (none for a team or a pipeline). */
  trend?: ForecastSnapshot[];
}

/** One weekly snapshot of a forecast (taken every Monday). */
export interface ForecastSnapshot {
  takenOn: string;
  commit: number;
  bestCase: number;
  closedWon: number;
  weightedPipeline: number;
  quota: number | null;
}

export interface KpiFigures {
  winRate: number | null;
  conversionRate: number | null;
  averageDealSize: number | null;
  salesCycleDays: number | null;
  pipelineVelocity: number | null;
  coverage: number | null;
  closedWon: number;
  openPipeline: number;
  quota: number | null;
  counts: { won: number; lost: number; created: number; createdWon: number; open: number };
}

/** `GET /analytics/kpis`: ratios are 0..1 (null when there is nothing to divide). */
export interface SalesKpis extends KpiFigures {
  currency: string;
  period: PeriodInfo;
  previous: KpiFigures & { period: PeriodInfo };
}

export interface LeaderboardRow {
  userId: string;
  name: string;
  rank: number;
  points: number;
  dealsWon: number;
  revenueWon: number | null;
  badges: { key: string; label: string }[];
}

export interface Leaderboard {
  period: PeriodInfo | string;
  currency: string;
  enabled: boolean;
  data: LeaderboardRow[];
}

export interface SalesAlert {
  code: string;
  severity: 'info' | 'warning';
  message: string;
  ownerId: string | null;
}

export interface WinFactor {
  feature: string;
  label: string;
  direction: 'up' | 'down';
  effect: number;
}

export interface DealInsights {
  winProbability:
    | { status: 'trained'; probability: number; factors: WinFactor[]; model: { trainedAt: string; accuracy: number | null; auc: number | null; heldOut: number | null } }
    /** `history` and `needed` as objects (`{closed, won, lost}`, `{closed, eachOutcome}`), or plain counts. */
    | { status: 'insufficientHistory'; closed?: number; needed?: number | { closed: number; eachOutcome?: number }; history?: { closed: number; won?: number; lost?: number } }
    /** A won or lost deal: 1 or 0. */
    | { status: 'closed'; probability: number };
  hints: { code: string; message: string }[];
}

export interface SalesTeam {
  id: string;
  name: string;
  memberIds: string[];
}

// Under the opportunities' keys: a deal changed here or by someone else (live events) refreshes the figures.
export const salesKeys = {
  all: [...queryKeys.records('opportunity'), 'sales'] as const,
  forecast: (query: Record<string, string>) => [...queryKeys.records('opportunity'), 'sales', 'forecast', query] as const,
  kpis: (query: Record<string, string>) => [...queryKeys.records('opportunity'), 'sales', 'kpis', query] as const,
  leaderboard: (period: string, teamId: string | null) => [...queryKeys.records('opportunity'), 'sales', 'leaderboard', period, teamId] as const,
  alerts: (query: Record<string, string>) => [...queryKeys.records('opportunity'), 'sales', 'alerts', query] as const,
  goals: (period: string) => [...queryKeys.records('opportunity'), 'sales', 'goals', period] as const,
  insights: (id: string) => [...queryKeys.records('opportunity'), 'sales', 'insights', id] as const,
  openDeals: (filter: unknown) => [...queryKeys.records('opportunity'), 'sales', 'openDeals', filter] as const,
  teams: ['sales', 'teams'] as const,
};

export const fetchForecast = (query: Record<string, string>, signal?: AbortSignal) => api.get<Forecast>('/forecast', query, signal);

export const useForecast = (scope: SalesScope) => {
  const query = scopeQuery(scope);
  return useQuery({ queryKey: salesKeys.forecast(query), queryFn: ({ signal }) => fetchForecast(query, signal), placeholderData: keepPreviousData, staleTime: 15_000 });
};

export const useKpis = (scope: SalesScope, enabled = true) => {
  const query = scopeQuery(scope);
  return useQuery({
    queryKey: salesKeys.kpis(query),
    queryFn: ({ signal }) => api.get<SalesKpis>('/analytics/kpis', query, signal),
    placeholderData: keepPreviousData,
    staleTime: 15_000,
    enabled,
  });
};

export const useLeaderboard = (period: string, teamId: string | null, enabled = true) =>
  useQuery({
    queryKey: salesKeys.leaderboard(period, teamId),
    queryFn: ({ signal }) => api.get<Leaderboard>('/leaderboard', { period, ...(teamId ? { teamId } : {}) }, signal),
    placeholderData: keepPreviousData,
    staleTime: 15_000,
    retry: false,
    enabled,
  });

export const useAlerts = (scope: SalesScope) => {
  const query = scopeQuery(scope);
  return useQuery({
    queryKey: salesKeys.alerts(query),
    queryFn: ({ signal }) => api.get<{ data: SalesAlert[] }>('/analytics/alerts', query, signal),
    select: (answer) => answer.data,
    staleTime: 30_000,
    retry: false,
  });
};

/** A goal of the period with what was reached (GET /analytics/goals). */
export interface GoalProgress {
  id: string;
  name: string;
  kpi: 'revenueWon' | 'dealsWon' | 'newDeals' | 'pipelineCreated' | 'callsMade' | 'meetingsHeld';
  period: string;
  scope: 'company' | 'team' | 'rep';
  ownerId: string | null;
  target: number;
  actual: number;
  progress: number | null;
  currency: string;
}

export const useGoalProgress = (period: string) =>
  useQuery({
    queryKey: salesKeys.goals(period),
    queryFn: ({ signal }) => api.get<{ data: GoalProgress[] }>('/analytics/goals', { period }, signal),
    select: (answer) => answer.data,
    staleTime: 30_000,
    retry: false,
  });

export const useDealInsights = (id: string) =>
  useQuery({
    queryKey: salesKeys.insights(id),
    queryFn: ({ signal }) => api.get<DealInsights>(`/records/opportunity/${encodeURIComponent(id)}/insights`, undefined, signal),
    staleTime: 60_000,
    retry: false,
  });

/** `POST /win-probability/train` (administrators): retrains the workspace's win-probability model. */
export const trainWinModel = () =>
  api.post<{ status: string; evaluation?: unknown; history: unknown; trainedAt: string }>('/win-probability/train');

/** The workspace's teams (everyone may list them). */
export const useSalesTeams = () =>
  useQuery({
    queryKey: salesKeys.teams,
    queryFn: async ({ signal }) => (await api.get<{ data: SalesTeam[] }>('/teams', undefined, signal)).data,
    staleTime: 60_000,
  });

/** The pipelines, in order, for the pipeline selector. */
export const useSalesPipelines = () =>
  useQuery({
    queryKey: [...queryKeys.records('pipeline'), 'sales'] as const,
    queryFn: async ({ signal }) =>
      (await api.post<RecordPage>('/records/pipeline/query', { sort: ['position'], limit: 200, fields: ['name', 'position', 'isActive'] }, { signal })).data.map((record) => ({
        id: record.id,
        name: typeof record.name === 'string' ? record.name : record.id,
      })),
    staleTime: 60_000,
  });

/** The rep table asks one forecast per rep: four at a time, whatever the team's size. */
export const repForecastLimiter = createLimiter(4);
