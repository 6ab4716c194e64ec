import type { ObjectDefinition } from '@rapport/common';

/** The KPIs a goal can measure: from the deals, and from the calls and meetings of the activities module (analytics/goal-progress.ts). */
export const GOAL_KPIS = ['revenueWon', 'dealsWon', 'newDeals', 'pipelineCreated', 'callsMade', 'meetingsHeld'] as const;
export type GoalKpi = (typeof GOAL_KPIS)[number];

/**
 * A target on a KPI for a period, for the whole company, a team or a rep (the goal's owner). A revenue goal of a
 * rep for a quarter is that rep's quota in the forecast.
 */
export const goalObject: ObjectDefinition = {
  name: 'goal',
  labelSingular: 'Goal',
  labelPlural: 'Goals',
  icon: 'flag',
  labelField: 'name',
  fields: [
    { name: 'name', type: 'text', label: 'Name', helpText: 'Left empty, named after its KPI, period and who it is for.', isSearchable: true },
    {
      name: 'kpi',
      type: 'select',
      label: 'KPI',
      required: true,
      defaultValue: 'revenueWon',
      options: {
        choices: [
          { value: 'revenueWon', label: 'Revenue won', color: 'green' },
          { value: 'dealsWon', label: 'Deals won', color: 'teal' },
          { value: 'newDeals', label: 'New deals', color: 'blue' },
          { value: 'pipelineCreated', label: 'Pipeline created', color: 'violet' },
          { value: 'callsMade', label: 'Calls made', color: 'cyan' },
          { value: 'meetingsHeld', label: 'Meetings held', color: 'indigo' },
        ],
      },
    },
    { name: 'period', type: 'text', label: 'Period', required: true, helpText: 'A year, quarter or month: 2026, 2026-Q4, 2026-11.' },
    { name: 'periodStart', type: 'date', label: 'Period start', helpText: 'Set from the period.' },
    { name: 'periodEnd', type: 'date', label: 'Period end', helpText: 'The last day of the period, set from it.' },
    { name: 'target', type: 'number', label: 'Target', required: true, helpText: 'Revenue and pipeline goals are in the workspace currency.', options: { min: 0 } },
    {
      name: 'scope',
      type: 'select',
      label: 'For',
      required: true,
      defaultValue: 'rep',
      options: {
        choices: [
          { value: 'company', label: 'The company', color: 'gray' },
          { value: 'team', label: 'A team', color: 'blue' },
          { value: 'rep', label: 'A rep (the owner)', color: 'green' },
        ],
      },
    },
    { name: 'owner', type: 'owner', label: 'Rep', helpText: 'For a rep goal: the rep. Otherwise who keeps the goal.' },
    { name: 'team', type: 'text', label: 'Team id', helpText: 'For a team goal: the id of the team (Settings → Teams).' },
    {
      name: 'pipeline',
      type: 'relation',
      label: 'Pipeline',
      helpText: 'Left empty, the goal counts every pipeline.',
      options: { target: 'pipeline', kind: 'manyToOne', inverseName: 'goals', inverseLabel: 'Goals', onDelete: 'setNull' },
    },
  ],
};
