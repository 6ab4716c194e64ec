import { Badge, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconArrowDownRight, IconArrowRight, IconArrowUpRight } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/use-format.ts';
import { FigureCard } from './figure-card.tsx';
import type { KpiFigures, SalesKpis } from './sales-api.ts';
import { parseSalesPeriod, trendOf } from './sales-model.ts';
import { usePeriodLabel } from './scope-bar.tsx';

export const KPI_NAMES = ['winRate', 'conversionRate', 'averageDealSize', 'salesCycleDays', 'pipelineVelocity', 'coverage'] as const;
export type KpiName = (typeof KPI_NAMES)[number];

const RATIOS: ReadonlySet<KpiName> = new Set(['winRate', 'conversionRate']);

/** How one KPI reads: its value in words and its trend against the period before. */
export const useKpiText = () => {
  const { t } = useTranslation();
  const format = useFormat();
  return (name: KpiName, figures: KpiFigures, currency: string): string => {
    const value = figures[name];
    if (value === null) return '—';
    switch (name) {
      case 'winRate':
      case 'conversionRate':
        return format.percent(value * 100, 0);
      case 'averageDealSize':
        return format.currency(value, currency, 0);
      case 'salesCycleDays':
        return t('sales.kpis.days', { count: Math.round(value), formatted: format.number(value, value < 10 && !Number.isInteger(value) ? 1 : 0) });
      case 'pipelineVelocity':
        return t('sales.kpis.perDay', { amount: format.currency(value, currency, 0) });
      case 'coverage':
        return `${format.number(value, 1)}×`;
      default:
        return name satisfies never;
    }
  };
};

const TrendBadge = ({ name, kpis }: { name: KpiName; kpis: SalesKpis }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const periodLabel = usePeriodLabel();
  const previousLabel = periodLabel(parseSalesPeriod(kpis.previous.period.key), kpis.previous.period.key);
  const trend = trendOf(kpis[name], kpis.previous[name], { isRatio: RATIOS.has(name), lowerIsBetter: name === 'salesCycleDays' });
  if (!trend) return <span>{t('sales.kpis.noTrend', { period: previousLabel })}</span>;
  const sign = trend.change > 0 ? '+' : trend.change < 0 ? '−' : '±';
  const amount = RATIOS.has(name) ? t('sales.kpis.points', { value: format.number(Math.abs(trend.change) * 100, 0) }) : format.percent(Math.abs(trend.change) * 100, 0);
  const label = t('sales.kpis.trend', { change: `${sign}${amount}`, period: previousLabel });
  const Icon = trend.direction === 'up' ? IconArrowUpRight : trend.direction === 'down' ? IconArrowDownRight : IconArrowRight;
  return (
    <Badge
      variant="light"
      tt="none"
      fw={600}
      color={trend.better === null ? 'gray' : trend.better ? 'teal' : 'red'}
      leftSection={<Icon size={12} aria-hidden />}
      data-trend={trend.direction}
    >
      {label}
    </Badge>
  );
};

/** KPI cards with their trend; `names` picks and orders them (the home screen shows a few). */
export const KpiCards = ({ kpis, names = KPI_NAMES, cols = { base: 1, xs: 2, md: 3 }, showHelp = true }: { kpis: SalesKpis; names?: readonly KpiName[]; cols?: Record<string, number>; showHelp?: boolean }) => {
  const { t } = useTranslation();
  const text = useKpiText();
  return (
    <SimpleGrid cols={cols} spacing="md">
      {names.map((name) => (
        <FigureCard
          key={name}
          figure={name}
          label={t(`sales.kpis.${name}`)}
          value={text(name, kpis, kpis.currency)}
          hint={
            <Stack gap={6} align="flex-start">
              <TrendBadge name={name} kpis={kpis} />
              {showHelp ? <Text size="xs" c="dimmed">{t(`sales.kpis.help.${name}`)}</Text> : null}
            </Stack>
          }
        />
      ))}
    </SimpleGrid>
  );
};
