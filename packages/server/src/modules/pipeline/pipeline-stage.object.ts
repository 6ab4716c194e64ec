import type { ObjectDefinition } from '@rapport/common';
import { FORECAST_CATEGORY_CHOICES } from './forecast-categories.ts';

/**
 * One step of a pipeline. `kind` says whether a deal in it is still open, won or lost; `requiredFields` names the
 * opportunity fields a deal must have to enter it (the write path refuses otherwise, see stage-rules.ts).
 */
export const pipelineStageObject: ObjectDefinition = {
  name: 'pipelineStage',
  labelSingular: 'Pipeline stage',
  labelPlural: 'Pipeline stages',
  icon: 'columns',
  labelField: 'name',
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true, isSearchable: true },
    {
      name: 'pipeline',
      type: 'relation',
      label: 'Pipeline',
      required: true,
      options: { target: 'pipeline', kind: 'manyToOne', inverseName: 'stages', inverseLabel: 'Stages', onDelete: 'cascade' },
    },
    { name: 'position', type: 'number', label: 'Position', required: true, defaultValue: 1, options: { precision: 0 } },
    { name: 'probability', type: 'percent', label: 'Probability', helpText: 'The win probability a deal takes when it enters the stage.', options: { min: 0, max: 100 } },
    {
      name: 'kind',
      type: 'select',
      label: 'Kind',
      required: true,
      defaultValue: 'open',
      options: {
        choices: [
          { value: 'open', label: 'Open', color: 'blue' },
          { value: 'won', label: 'Won', color: 'green' },
          { value: 'lost', label: 'Lost', color: 'red' },
        ],
      },
    },
    {
      name: 'forecastCategory',
      type: 'select',
      label: 'Forecast category',
      helpText: 'The forecast category a deal takes when it enters the stage.',
      options: { choices: FORECAST_CATEGORY_CHOICES },
    },
    {
      name: 'requiredFields',
      type: 'json',
      label: 'Required to enter',
      helpText: 'Names of the opportunity fields a deal must have to enter this stage, e.g. ["amount", "closeDate"].',
    },
  ],
};
