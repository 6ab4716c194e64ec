import type { ObjectDefinition } from '@rapport/common';
import { FORECAST_CATEGORY_CHOICES } from './forecast-categories.ts';
import { opportunityProductFields } from '../products/opportunity-line-item.object.ts';

export const opportunityObject: ObjectDefinition = {
  name: 'opportunity',
  labelSingular: 'Opportunity',
  labelPlural: 'Opportunities',
  icon: 'target',
  labelField: 'name',
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true, isSearchable: true },
    // Converted to the workspace currency at the rate of its close date.
    { name: 'amount', type: 'currency', label: 'Amount', options: { conversionDateField: 'closeDate' } },
    {
      name: 'pipeline',
      type: 'relation',
      label: 'Pipeline',
      helpText: 'Left empty, a new deal goes to the default pipeline (the first active one).',
      options: { target: 'pipeline', kind: 'manyToOne', inverseName: 'opportunities', inverseLabel: 'Opportunities', onDelete: 'restrict' },
    },
    {
      name: 'stage',
      type: 'relation',
      label: 'Stage',
      helpText: "Left empty, a new deal starts in its pipeline's first stage.",
      options: { target: 'pipelineStage', kind: 'manyToOne', inverseName: 'opportunities', inverseLabel: 'Opportunities', onDelete: 'restrict' },
    },
    { name: 'probability', type: 'percent', label: 'Probability', options: { min: 0, max: 100 } },
    { name: 'closeDate', type: 'date', label: 'Close date' },
    {
      name: 'company',
      type: 'relation',
      label: 'Company',
      options: { target: 'company', kind: 'manyToOne', inverseName: 'opportunities', inverseLabel: 'Opportunities', onDelete: 'setNull' },
    },
    {
      name: 'contacts',
      type: 'relation',
      label: 'Contacts',
      options: { target: 'person', kind: 'manyToMany', inverseName: 'opportunities', inverseLabel: 'Opportunities' },
    },
    { name: 'owner', type: 'owner', label: 'Owner' },
    {
      name: 'forecastCategory',
      type: 'select',
      label: 'Forecast category',
      helpText: "Follows the stage; the deal's owner or a manager may change it.",
      options: { choices: FORECAST_CATEGORY_CHOICES },
    },
    {
      name: 'managerForecastCategory',
      type: 'select',
      label: "Manager's forecast category",
      helpText: "When set, the forecast counts the deal here instead of the owner's category.",
      options: { choices: FORECAST_CATEGORY_CHOICES },
    },
    {
      name: 'lossReason',
      type: 'select',
      label: 'Loss reason',
      helpText: 'Required to enter a lost stage.',
      options: {
        choices: [
          { value: 'price', label: 'Price', color: 'orange' },
          { value: 'competitor', label: 'Lost to a competitor', color: 'red' },
          { value: 'noBudget', label: 'No budget', color: 'yellow' },
          { value: 'timing', label: 'Timing', color: 'blue' },
          { value: 'noDecision', label: 'No decision', color: 'gray' },
          { value: 'productFit', label: 'Product fit', color: 'violet' },
          { value: 'other', label: 'Other', color: 'gray' },
        ],
      },
    },
    { name: 'stageEnteredAt', type: 'datetime', label: 'In stage since', helpText: 'Set when the deal enters a stage.' },
    {
      name: 'stalledReasons',
      type: 'multiSelect',
      label: 'Needs attention',
      helpText: "Set by the pipeline's stalled-deal rules and cleared when the condition ends.",
      options: {
        choices: [
          { value: 'noActivity', label: 'No recent activity', color: 'orange' },
          { value: 'longInStage', label: 'Long in stage', color: 'yellow' },
          { value: 'closeDatePassed', label: 'Close date passed', color: 'red' },
        ],
      },
    },
    { name: 'lastActivityAt', type: 'datetime', label: 'Last activity', helpText: 'The latest task or note about the deal (kept by the stalled-deal check).' },
    ...opportunityProductFields,
  ],
  validationRules: [
    {
      expression: '!has(record.amount) || record.amount >= 0.0',
      message: 'The amount cannot be negative.',
      field: 'amount',
    },
  ],
};
