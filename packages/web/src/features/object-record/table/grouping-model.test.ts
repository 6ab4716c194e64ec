import type { ObjectDefinition } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import type { ApiRecord } from '../../../api/types.ts';
import { buildTableItems, groupableFieldsOf, NO_GROUP, totalFieldsOf, totalMetricsOf, totalsByGroup, totalsOfRow } from './grouping-model.ts';

const deal: ObjectDefinition = {
  name: 'opportunity',
  labelSingular: 'Opportunity',
  labelPlural: 'Opportunities',
  labelField: 'name',
  fields: [
    { name: 'name', type: 'text', label: 'Name', position: 0 },
    { name: 'amount', type: 'currency', label: 'Amount', position: 1 },
    { name: 'stage', type: 'select', label: 'Stage', options: { choices: [{ value: 'won', label: 'Won' }] }, position: 2 },
    { name: 'company', type: 'relation', label: 'Company', options: { kind: 'manyToOne', target: 'company' }, position: 3 },
    { name: 'contacts', type: 'relation', label: 'Contacts', options: { kind: 'manyToMany', target: 'person' }, position: 4 },
    { name: 'owner', type: 'owner', label: 'Owner', position: 5 },
    { name: 'probability', type: 'percent', label: 'Probability', position: 6 },
  ],
};

const record = (id: string, values: Record<string, unknown>) => ({ id, version: 1, createdAt: '', updatedAt: '', ...values }) as ApiRecord;

describe('table grouping and totals', () => {
  it('should group by selects, owners and many-to-one relations, and total numbers and currencies', () => {
    expect(groupableFieldsOf(deal).map((field) => field.name)).toEqual(['stage', 'company', 'owner']);
    expect(totalFieldsOf(deal).map((field) => field.name)).toEqual(['amount', 'probability']);
    expect(totalMetricsOf(totalFieldsOf(deal))).toEqual([
      { op: 'count' },
      { op: 'sum', field: 'amount' },
      { op: 'avg', field: 'amount' },
      { op: 'sum', field: 'probability' },
      { op: 'avg', field: 'probability' },
    ]);
  });

  it('should put a header before each run of a group and hide the rows of collapsed groups', () => {
    const records = [
      record('1', { stage: 'won' }),
      record('2', { stage: 'won' }),
      record('3', { stage: null }),
      record('4', { company: { id: 'c1' } }),
    ];
    const items = buildTableItems({ records, groupBy: 'stage', collapsed: new Set([NO_GROUP]) });
    expect(items.map((item) => (item.type === 'group' ? `[${item.key}${item.isCollapsed ? ' -' : ''}]` : item.index))).toEqual(['[won]', 0, 1, `[${NO_GROUP} -]`]);
    const byCompany = buildTableItems({ records, groupBy: 'company', collapsed: new Set() });
    expect(byCompany.filter((item) => item.type === 'group').map((item) => item.type === 'group' && item.key)).toEqual([NO_GROUP, 'c1']);
    expect(buildTableItems({ records, groupBy: undefined, collapsed: new Set() })).toHaveLength(4);
  });

  it('should read aggregate rows into totals per group, numbers given as text too', () => {
    const fields = totalFieldsOf(deal);
    const rows = [
      { stage: 'won', count: 2, sum_amount: '3000.5', avg_amount: 1500.25, sum_probability: null, avg_probability: null },
      { stage: null, count: '1', sum_amount: 10, avg_amount: 10 },
    ];
    const totals = totalsByGroup(rows, 'stage', fields);
    expect(totals.get('won')).toEqual({ count: 2, values: { amount: { sum: 3000.5, avg: 1500.25 }, probability: { sum: null, avg: null } } });
    expect(totals.get(NO_GROUP)?.count).toBe(1);
    expect(totalsOfRow(undefined, fields).count).toBe(0);
  });
});
