import type { ObjectDefinition } from '@rapport/common';

/** A sales process: its stages are `pipelineStage` records; every opportunity belongs to one pipeline. */
export const pipelineObject: ObjectDefinition = {
  name: 'pipeline',
  labelSingular: 'Pipeline',
  labelPlural: 'Pipelines',
  icon: 'git-branch',
  labelField: 'name',
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true, unique: true, isSearchable: true },
    { name: 'description', type: 'longText', label: 'Description' },
    // The first active pipeline by position is the default of a new opportunity.
    { name: 'position', type: 'number', label: 'Position', defaultValue: 1, options: { precision: 0 } },
    { name: 'isActive', type: 'boolean', label: 'Active', defaultValue: true },
    // Stalled-deal rules: an open opportunity matching one is flagged (a field left empty is a rule switched off).
    { name: 'stalledAfterDaysWithoutActivity', type: 'number', label: 'Stalled after days without activity', options: { precision: 0, min: 1 } },
    { name: 'stalledAfterDaysInStage', type: 'number', label: 'Stalled after days in one stage', options: { precision: 0, min: 1 } },
    { name: 'stalledWhenCloseDatePassed', type: 'boolean', label: 'Stalled when the close date has passed', defaultValue: true },
  ],
};
