import { Group, Select } from '@mantine/core';
import { IconCalendar } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useUsers } from '../../api/queries.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { useSalesPipelines, useSalesTeams } from './sales-api.ts';
import { currentQuarterKey, periodChoices, scopeOfParams, type SalesPeriod, type SalesScope } from './sales-model.ts';

/** "Q4 2026" or "November 2026" in the interface language. */
export const usePeriodLabel = () => {
  const { t } = useTranslation();
  const format = useFormat();
  return useMemo(() => {
    const monthFormat = new Intl.DateTimeFormat(format.locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
    return (period: SalesPeriod | undefined, fallback = '') => {
      if (!period) return fallback;
      if (period.kind === 'quarter') return t('sales.scope.quarter', { quarter: period.index, year: period.year });
      return monthFormat.format(new Date(Date.UTC(period.year, period.index - 1, 1)));
    };
  }, [t, format.locale]);
};

/** The scope in the address, and a way to change parts of it (the other parameters stay). */
export const useSalesScope = () => {
  const [params, setParams] = useSearchParams();
  const scope = useMemo(() => scopeOfParams(params), [params]);
  const update = (changes: Partial<Record<'period' | 'pipeline' | 'team' | 'rep', string | null>>) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        for (const [key, value] of Object.entries(changes)) if (value) next.set(key, value); else next.delete(key);
        return next;
      },
      { replace: true },
    );
  return { scope, update };
};

export interface ScopeBarProps {
  scope: SalesScope;
  onChange(changes: Partial<Record<'period' | 'pipeline' | 'team' | 'rep', string | null>>): void;
  /** Which selectors to show; the period always shows. */
  show?: { pipeline?: boolean; team?: boolean; rep?: boolean };
}

/** Period (quarters and months), pipeline, team or rep: what every sales figure is asked for. */
export const ScopeBar = ({ scope, onChange, show = { pipeline: true, team: true, rep: true } }: ScopeBarProps) => {
  const { t } = useTranslation();
  const periodLabel = usePeriodLabel();
  const pipelines = useSalesPipelines();
  const teams = useSalesTeams();
  const users = useUsers();
  const [params] = useSearchParams();
  // The team stays in the address while a rep is chosen: it narrows the reps offered.
  const teamParam = params.get('team') || null;
  const choices = useMemo(() => periodChoices(currentQuarterKey(), scope.period), [scope.period]);
  const periodData = [
    { group: t('sales.scope.quarters'), items: choices.quarters.map((period) => ({ value: period.key, label: periodLabel(period) })) },
    { group: t('sales.scope.months'), items: choices.months.map((period) => ({ value: period.key, label: periodLabel(period) })) },
  ];
  const team = teams.data?.find((entry) => entry.id === teamParam);
  // With a team chosen, its members; otherwise every active member.
  const reps = (users.data ?? [])
    .filter((user) => (user as { status?: string }).status !== 'deactivated')
    .filter((user) => !team || team.memberIds.includes(user.id))
    .map((user) => ({ value: user.id, label: user.name || user.email || user.id }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return (
    <Group gap="sm" wrap="wrap" align="flex-end" role="group" aria-label={t('sales.scope.label')}>
      <Select
        label={t('sales.scope.period')}
        leftSection={<IconCalendar size={16} aria-hidden />}
        data={periodData}
        value={scope.period}
        onChange={(value) => value && onChange({ period: value })}
        allowDeselect={false}
        w={190}
        maxDropdownHeight={320}
      />
      {show.pipeline !== false ? (
        <Select
          label={t('sales.scope.pipeline')}
          placeholder={t('sales.scope.allPipelines')}
          data={(pipelines.data ?? []).map((pipeline) => ({ value: pipeline.id, label: pipeline.name }))}
          value={scope.pipeline}
          onChange={(value) => onChange({ pipeline: value })}
          clearable
          w={200}
        />
      ) : null}
      {show.team !== false ? (
        <Select
          label={t('sales.scope.team')}
          placeholder={t('sales.scope.allTeams')}
          data={(teams.data ?? []).map((entry) => ({ value: entry.id, label: entry.name }))}
          value={teamParam}
          onChange={(value) => onChange({ team: value, rep: null })}
          clearable
          w={200}
        />
      ) : null}
      {show.rep !== false ? (
        <Select
          label={t('sales.scope.rep')}
          placeholder={t('sales.scope.allReps')}
          data={reps}
          value={scope.ownerId}
          // A rep replaces the team in the figures (one or the other); the team stays in the address to narrow the list.
          onChange={(value) => onChange({ rep: value })}
          searchable
          clearable
          w={220}
        />
      ) : null}
    </Group>
  );
};
