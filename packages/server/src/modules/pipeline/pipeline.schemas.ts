import { jsonResponse, problemResponses } from '../../engine/api/openapi/components.ts';
import type { OpenApiPathItem } from '../../engine/api/openapi/openapi-types.ts';

export const PIPELINE_TAG = { name: 'Sales', description: 'Stage history, forecasts, KPIs and leaderboards computed from the deals you may see.' };

const money = { type: 'number', description: 'In the workspace currency (`currency`).' } as const;
const nullableMoney = { type: ['number', 'null'], description: 'In the workspace currency; null when not set.' } as const;

export const scopeParameters = [
  { name: 'period', in: 'query' as const, required: true, description: 'A year, quarter, month or ISO week: `2026`, `2026-Q4`, `2026-11`, `2026-W48`.', schema: { type: 'string' } },
  { name: 'pipeline', in: 'query' as const, required: false, description: 'Only this pipeline\'s deals.', schema: { type: 'string', format: 'uuid' } },
  { name: 'ownerId', in: 'query' as const, required: false, description: 'Only this rep\'s deals (their goals are the quota).', schema: { type: 'string', format: 'uuid' } },
  { name: 'teamId', in: 'query' as const, required: false, description: 'Only the deals of this team\'s members (the team\'s goals are the quota).', schema: { type: 'string', format: 'uuid' } },
];

const stageSpell = {
  type: 'object',
  properties: {
    stage: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, name: { type: ['string', 'null'] }, kind: { type: ['string', 'null'], enum: ['open', 'won', 'lost', null] } } },
    enteredAt: { type: 'string', format: 'date-time' },
    leftAt: { type: ['string', 'null'], format: 'date-time' },
    durationSeconds: { type: 'number' },
    durationDays: { type: 'number' },
    actorId: { type: ['string', 'null'], format: 'uuid' },
  },
  required: ['stage', 'enteredAt', 'leftAt', 'durationSeconds', 'durationDays', 'actorId'],
} as const;

export const forecastSchema = {
  type: 'object',
  properties: {
    period: { type: 'object', properties: { key: { type: 'string' }, start: { type: 'string', format: 'date' }, end: { type: 'string', format: 'date', description: 'The day after the period.' } } },
    pipeline: { type: ['string', 'null'] },
    ownerId: { type: ['string', 'null'] },
    teamId: { type: ['string', 'null'] },
    currency: { type: 'string', description: 'The workspace currency every figure is in.' },
    quota: nullableMoney,
    closedWon: money,
    commit: { ...money, description: 'Closed won plus the open deals in the commit category.' },
    bestCase: { ...money, description: 'Commit plus the open deals in the best case category.' },
    weightedPipeline: { ...money, description: 'Σ amount × probability of the open deals not omitted.' },
    worstCase: { ...money, description: 'Closed won plus the 10% quantile of what the open deals bring in, each won or lost with its probability.' },
    bestOutcome: { ...money, description: 'Closed won plus the 90% quantile of the same.' },
    expected: { ...money, description: 'Closed won plus the weighted pipeline.' },
    rangeMethod: { type: 'string', enum: ['exact', 'monteCarlo', 'normal'] },
    deals: { type: 'object', properties: { won: { type: 'integer' }, lost: { type: 'integer' }, open: { type: 'integer' } } },
    unconverted: { type: 'array', items: { type: 'object', properties: { currency: { type: 'string' }, count: { type: 'integer' } } } },
    trend: {
      type: 'array',
      description: 'The weekly snapshots of the same period and scope (company or rep, all pipelines), oldest first.',
      items: { type: 'object', properties: { takenOn: { type: 'string', format: 'date' }, commit: money, bestCase: money, closedWon: money, weightedPipeline: money, quota: nullableMoney } },
    },
  },
  required: ['quota', 'closedWon', 'commit', 'bestCase', 'weightedPipeline', 'worstCase', 'currency'],
} as const;

const ratio = { type: ['number', 'null'], description: 'A share between 0 and 1; null when nothing to divide.' } as const;
const kpiFigures = {
  winRate: { ...ratio, description: 'Won ÷ (won + lost) of the deals closed in the period.' },
  conversionRate: { ...ratio, description: 'Of the deals created in the period, the share won since.' },
  averageDealSize: { ...nullableMoney, description: 'Mean amount of the deals won in the period.' },
  salesCycleDays: { type: ['number', 'null'], description: 'Mean days from creation to the win of the deals won in the period.' },
  pipelineVelocity: { ...nullableMoney, description: 'Open deals × win rate × average deal size ÷ sales cycle days: revenue per day.' },
  coverage: { type: ['number', 'null'], description: 'Open pipeline closing in the period ÷ quota still to reach.' },
  closedWon: money,
  openPipeline: money,
  quota: nullableMoney,
  counts: { type: 'object', properties: { won: { type: 'integer' }, lost: { type: 'integer' }, created: { type: 'integer' }, createdWon: { type: 'integer' }, open: { type: 'integer' } } },
} as const;

export const kpisSchema = {
  type: 'object',
  properties: {
    period: forecastSchema.properties.period,
    pipeline: { type: ['string', 'null'] },
    ownerId: { type: ['string', 'null'] },
    teamId: { type: ['string', 'null'] },
    currency: { type: 'string' },
    ...kpiFigures,
    previous: { type: 'object', description: 'The same figures for the period before.', properties: { period: forecastSchema.properties.period, ...kpiFigures } },
  },
  required: ['winRate', 'conversionRate', 'averageDealSize', 'salesCycleDays', 'pipelineVelocity', 'coverage', 'currency', 'previous'],
} as const;

export const PIPELINE_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/records/opportunity/{id}/stage-history': {
    get: {
      operationId: 'getOpportunityStageHistory',
      summary: "A deal's stages with the time spent in each",
      description: 'Oldest first, from the field history the write path keeps; the cycle runs from creation to entering a won or lost stage.',
      tags: [PIPELINE_TAG.name],
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      responses: {
        200: jsonResponse('The stage history.', {
          type: 'object',
          properties: {
            data: { type: 'array', items: stageSpell },
            cycle: { type: 'object', properties: { createdAt: { type: 'string', format: 'date-time' }, closedAt: { type: ['string', 'null'], format: 'date-time' }, days: { type: ['number', 'null'] } } },
          },
          required: ['data', 'cycle'],
        }),
        ...problemResponses([400, 401, 403, 404]),
      },
    },
  },
  '/api/v1/forecast': {
    get: {
      operationId: 'getForecast',
      summary: 'The forecast of a period',
      description:
        'Deals whose close date is in the period, as you may see them, converted to the workspace currency at the rate of their close date. Categories are cumulative. The range treats each open deal as won or lost independently with its probability: simulated (10,000 seeded runs) up to 2,000 open deals, the normal approximation above.',
      tags: [PIPELINE_TAG.name],
      parameters: scopeParameters,
      responses: { 200: jsonResponse('The forecast figures.', forecastSchema), ...problemResponses([400, 401, 403, 422]) },
    },
  },
  '/api/v1/analytics/kpis': {
    get: {
      operationId: 'getSalesKpis',
      summary: 'Sales KPIs of a period',
      description: 'Win rate, conversion, average deal size, sales cycle, pipeline velocity and coverage, per period, pipeline, rep or team, from the deals you may see; with the period before for trends.',
      tags: [PIPELINE_TAG.name],
      parameters: scopeParameters,
      responses: { 200: jsonResponse('The KPIs.', kpisSchema), ...problemResponses([400, 401, 403, 422]) },
    },
  },
  '/api/v1/leaderboard': {
    get: {
      operationId: 'getLeaderboard',
      summary: 'Points and badges of a period',
      description:
        'Everyone on the board (a team, else everyone for those who read every record, else the members of your teams) ranked by the points of the active point rules: deals won (close date in the period) and created, tasks completed, notes added. Points count every record; revenue only the deals you may read. `enabled` is false when no rule gives points.',
      tags: [PIPELINE_TAG.name],
      parameters: [scopeParameters[0]!, scopeParameters[3]!],
      responses: {
        200: jsonResponse('The leaderboard.', {
          type: 'object',
          properties: {
            period: forecastSchema.properties.period,
            currency: { type: 'string' },
            enabled: { type: 'boolean' },
            rules: { type: 'array', items: { type: 'object', properties: { event: { type: 'string' }, points: { type: 'number' } } } },
            data: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  userId: { type: 'string', format: 'uuid' },
                  name: { type: 'string' },
                  rank: { type: 'integer' },
                  points: { type: 'number' },
                  counts: { type: 'object', additionalProperties: { type: 'integer' } },
                  dealsWon: { type: 'integer' },
                  revenueWon: nullableMoney,
                  badges: { type: 'array', items: { type: 'object', properties: { key: { type: 'string' }, label: { type: 'string' } } } },
                },
              },
            },
          },
          required: ['period', 'currency', 'enabled', 'data'],
        }),
        ...problemResponses([400, 401, 403, 422]),
      },
    },
  },
  '/api/v1/records/opportunity/{id}/insights': {
    get: {
      operationId: 'getOpportunityInsights',
      summary: "A deal's win probability and next best actions",
      description:
        'The probability comes from a logistic regression trained on the workspace\'s newest 20,000 closed deals (stage last held, amount, age, activities, days since the last activity, industry, pipeline), with the three features that move this deal most. With fewer than 40 closed deals (or fewer than 10 won or lost) it says `insufficientHistory` instead of guessing.',
      tags: [PIPELINE_TAG.name],
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      responses: {
        200: jsonResponse('Win probability and hints.', {
          type: 'object',
          properties: {
            winProbability: {
              type: 'object',
              properties: {
                status: { type: 'string', enum: ['trained', 'insufficientHistory', 'closed'] },
                probability: { type: 'number' },
                factors: { type: 'array', items: { type: 'object', properties: { feature: { type: 'string' }, label: { type: 'string' }, value: {}, effect: { type: 'number' }, direction: { type: 'string', enum: ['up', 'down'] } } } },
                model: { type: 'object', properties: { trainedAt: { type: 'string', format: 'date-time' }, heldOut: { type: 'integer' }, accuracy: { type: 'number' }, auc: { type: 'number' }, trainedOn: { type: 'integer' } } },
                history: { type: 'object', properties: { closed: { type: 'integer' }, won: { type: 'integer' }, lost: { type: 'integer' } } },
              },
              required: ['status'],
            },
            hints: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } },
          },
          required: ['winProbability', 'hints'],
        }),
        ...problemResponses([400, 401, 403, 404]),
      },
    },
  },
  '/api/v1/win-probability/model': {
    get: {
      operationId: 'getWinProbabilityModel',
      summary: 'How the win-probability model scored',
      description: 'Accuracy, AUC and Brier score on the held-out fifth of the closed deals it was trained on, or why there is no model yet.',
      tags: [PIPELINE_TAG.name],
      responses: { 200: jsonResponse('The model\'s status and evaluation.', { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] }), ...problemResponses([401, 403]) },
    },
  },
  '/api/v1/win-probability/train': {
    post: {
      operationId: 'trainWinProbabilityModel',
      summary: 'Retrain the win-probability model now',
      description: 'Administrators only; it also retrains every Sunday night.',
      tags: [PIPELINE_TAG.name],
      responses: { 200: jsonResponse('The new model\'s status and evaluation.', { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] }), ...problemResponses([401, 403]) },
    },
  },
  '/api/v1/analytics/alerts': {
    get: {
      operationId: 'getSalesAlerts',
      summary: 'What needs a manager\'s eye',
      description: 'Pipeline coverage below the quota still to reach, reps whose activity dropped by more than half over two weeks, discounts far above the usual.',
      tags: [PIPELINE_TAG.name],
      parameters: scopeParameters,
      responses: {
        200: jsonResponse('The alerts.', {
          type: 'object',
          properties: { data: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, severity: { type: 'string', enum: ['info', 'warning'] }, message: { type: 'string' }, ownerId: { type: ['string', 'null'] }, recordId: { type: 'string' } } } } },
          required: ['data'],
        }),
        ...problemResponses([400, 401, 403, 422]),
      },
    },
  },
  '/api/v1/analytics/goals': {
    get: {
      operationId: 'getGoalProgress',
      summary: 'Goals of a period with their progress',
      description: 'The goals you may read whose period overlaps the given one, each with what was reached in its own period and scope (revenue and deals won by close date, new deals and pipeline created by creation date), over the deals you may read.',
      tags: [PIPELINE_TAG.name],
      parameters: [scopeParameters[0]!],
      responses: {
        200: jsonResponse('The goals and their progress.', {
          type: 'object',
          properties: {
            data: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  id: { type: 'string', format: 'uuid' }, name: { type: 'string' }, kpi: { type: 'string' }, period: { type: 'string' }, scope: { type: 'string', enum: ['company', 'team', 'rep'] },
                  ownerId: { type: ['string', 'null'] }, teamId: { type: ['string', 'null'] }, pipeline: { type: ['string', 'null'] },
                  target: { type: 'number' }, actual: { type: 'number' }, progress: { type: ['number', 'null'] }, currency: { type: 'string' },
                },
              },
            },
          },
          required: ['data'],
        }),
        ...problemResponses([400, 401, 403, 422]),
      },
    },
  },
};
