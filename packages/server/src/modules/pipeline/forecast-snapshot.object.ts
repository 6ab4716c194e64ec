import type { FieldDefinition, ObjectDefinition } from '@rapport/common';

const money = (name: string, label: string): FieldDefinition => ({ name, type: 'number', label, options: { precision: 2 } });

/**
 * The forecast of a period as it stood on a day: taken every week for the company and each rep (forecast-snapshots.ts),
 * so the forecast screen shows how commit and best case moved. A rep's snapshot is theirs (owner).
 */
export const forecastSnapshotObject: ObjectDefinition = {
  name: 'forecastSnapshot',
  labelSingular: 'Forecast snapshot',
  labelPlural: 'Forecast snapshots',
  icon: 'chart-line',
  labelField: 'name',
  fields: [
    { name: 'name', type: 'text', label: 'Name' },
    { name: 'period', type: 'text', label: 'Period', required: true },
    { name: 'takenOn', type: 'date', label: 'Taken on', required: true },
    {
      name: 'scope',
      type: 'select',
      label: 'For',
      required: true,
      options: { choices: [{ value: 'company', label: 'The company', color: 'gray' }, { value: 'rep', label: 'A rep', color: 'green' }] },
    },
    { name: 'owner', type: 'owner', label: 'Rep' },
    {
      name: 'pipeline',
      type: 'relation',
      label: 'Pipeline',
      options: { target: 'pipeline', kind: 'manyToOne', inverseName: 'forecastSnapshots', inverseLabel: 'Forecast snapshots', onDelete: 'cascade' },
    },
    money('quota', 'Quota'),
    money('closedWon', 'Closed won'),
    money('commit', 'Commit'),
    money('bestCase', 'Best case'),
    money('weightedPipeline', 'Weighted pipeline'),
    money('worstCase', 'Worst case'),
    money('bestOutcome', 'Best outcome'),
    { name: 'currency', type: 'text', label: 'Currency' },
  ],
};
