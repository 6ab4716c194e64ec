import type { FieldError } from '@rapport/common';
import { isUuid } from '../../engine/fields/types/relation.field.ts';
import { listTeams } from '../../engine/permissions/team.service.ts';
import type { RecordBehaviour } from '../../engine/records/record-behaviours.ts';
import { parsePeriod } from './analytics/periods.ts';

const lastDay = (end: string) => new Date(Date.parse(`${end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * A goal's period is a year, quarter or month: its first and last days are kept beside it (`periodStart`,
 * `periodEnd`) so goals filter and sort by date. A team goal names a team of the workspace; a goal without a name
 * is named after its KPI and period.
 */
export const goalRules: RecordBehaviour = {
  object: 'goal',
  async beforeWrite({ trx, workspace, object }, records) {
    const errors: FieldError[] = [];
    const named = records.some((record) => isUuid(record.after.team));
    const teams = new Map(named ? (await listTeams(trx, workspace.id)).map((team) => [team.id, team.name]) : []);
    for (const record of records) {
      const error = (field: string, code: string, message: string) => errors.push({ field: `${record.path}${field}`, code, message });
      const period = typeof record.after.period === 'string' ? parsePeriod(record.after.period) : undefined;
      if (!period || period.kind === 'week') {
        if (record.after.period !== null && record.after.period !== undefined) error('period', 'invalidFormat', 'A year, quarter or month: 2026, 2026-Q4 or 2026-11.');
        continue;
      }
      if (record.after.period !== period.key) record.set('period', period.key);
      record.set('periodStart', period.start);
      record.set('periodEnd', lastDay(period.end));
      const team = record.after.team;
      if (record.after.scope === 'team') {
        if (typeof team !== 'string' || team === '') error('team', 'required', 'A team goal names its team.');
        else if (!teams.has(team.toLowerCase())) error('team', 'notFound', 'No team of this workspace has this id.');
      } else if (team !== null && team !== undefined && team !== '') {
        error('team', 'invalidChoice', 'Only a team goal names a team.');
      }
      if (record.after.name === null || record.after.name === undefined || record.after.name === '') {
        const kpi = object.fieldsByName.get('kpi')?.options?.choices?.find((choice) => choice.value === record.after.kpi)?.label ?? String(record.after.kpi);
        const who = record.after.scope === 'company' ? 'company' : record.after.scope === 'team' ? (teams.get(String(team).toLowerCase()) ?? 'team') : 'rep';
        record.set('name', `${kpi} · ${period.key} · ${who}`);
      }
    }
    return errors;
  },
};
