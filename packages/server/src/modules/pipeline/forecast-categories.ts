import type { SelectChoice } from '@rapport/common';

/** The forecast categories of a deal, of its manager's override and of a stage's default (cumulative in the forecast). */
export const FORECAST_CATEGORY_CHOICES: SelectChoice[] = [
  { value: 'pipeline', label: 'Pipeline', color: 'gray' },
  { value: 'bestCase', label: 'Best case', color: 'blue' },
  { value: 'commit', label: 'Commit', color: 'violet' },
  { value: 'closed', label: 'Closed', color: 'green' },
  { value: 'omitted', label: 'Omitted', color: 'red' },
];

/** The category a deal takes when it enters a stage: closed when won, omitted when lost, else the stage's own. */
export const categoryOnEntering = (stage: { kind: 'open' | 'won' | 'lost'; forecastCategory: string | null }): string =>
  stage.kind === 'won' ? 'closed' : stage.kind === 'lost' ? 'omitted' : (stage.forecastCategory ?? 'pipeline');

/** The win probability (%) a deal takes when it enters a stage: 100 when won, 0 when lost, else the stage's (null: none set). */
export const probabilityOnEntering = (stage: { kind: 'open' | 'won' | 'lost'; probability: number | null }): number | null =>
  stage.kind === 'won' ? 100 : stage.kind === 'lost' ? 0 : stage.probability;
