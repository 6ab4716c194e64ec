import { Alert, Anchor, Badge, Group, Paper, Progress, Select, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useInViewport } from '@mantine/hooks';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconInfoCircle } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { useUsers } from '../../api/queries.ts';
import type { ApiRecord, RecordPage } from '../../api/types.ts';
import { notify } from '../../components/ui/notify.ts';
import { LoadingScreen } from '../../components/ui/screens.tsx';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { paths } from '../object-record/metadata.ts';
import { FigureCard } from './figure-card.tsx';
import { RangeBar } from './range-bar.tsx';
import { fetchForecast, repForecastLimiter, salesKeys, useForecast, useSalesTeams, type Forecast } from './sales-api.ts';
import { attainmentOf, openDealsFilter, parseSalesPeriod, periodBounds, scopeQuery, trendGapOf, type SalesScope } from './sales-model.ts';
import { ScopeBar, usePeriodLabel, useSalesScope } from './scope-bar.tsx';
import classes from './sales.module.css';

export const FORECAST_CATEGORIES = ['pipeline', 'bestCase', 'commit', 'closed', 'omitted'] as const;

const usePercent = () => {
  const format = useFormat();
  return (ratio: number | null) => (ratio === null ? '—' : format.percent(ratio * 100, 0));
};

/** The five figures of a forecast, with the quota's attainment. */
const ForecastCards = ({ forecast }: { forecast: Forecast }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const percent = usePercent();
  const money = (value: number) => format.currency(value, forecast.currency, 0);
  const attainment = attainmentOf(forecast.closedWon, forecast.quota);
  const ofQuota = (value: number) => {
    const ratio = attainmentOf(value, forecast.quota);
    return ratio === null ? undefined : t('sales.forecast.ofQuota', { percent: percent(ratio) });
  };
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 3, lg: 5 }} spacing="md">
      <FigureCard
        figure="quota"
        label={t('sales.forecast.quota')}
        value={forecast.quota === null ? t('sales.forecast.noQuota') : money(forecast.quota)}
        hint={attainment === null ? t('sales.forecast.noQuotaHint') : t('sales.forecast.attainment', { percent: percent(attainment) })}
      >
        {attainment !== null ? (
          <Progress value={Math.min(attainment * 100, 100)} color={attainment >= 1 ? 'teal' : 'blue'} mt={8} size="sm" aria-label={t('sales.forecast.attainment', { percent: percent(attainment) })} />
        ) : null}
      </FigureCard>
      <FigureCard figure="closedWon" label={t('sales.forecast.closedWon')} value={money(forecast.closedWon)} hint={t('sales.forecast.dealsWon', { count: forecast.deals.won, formatted: format.number(forecast.deals.won) })} />
      <FigureCard figure="commit" label={t('sales.forecast.commit')} value={money(forecast.commit)} hint={ofQuota(forecast.commit) ?? t('sales.forecast.commitHint')} />
      <FigureCard figure="bestCase" label={t('sales.forecast.bestCase')} value={money(forecast.bestCase)} hint={ofQuota(forecast.bestCase) ?? t('sales.forecast.bestCaseHint')} />
      <FigureCard figure="weightedPipeline" label={t('sales.forecast.weightedPipeline')} value={money(forecast.weightedPipeline)} hint={t('sales.forecast.openDeals', { count: forecast.deals.open, formatted: format.number(forecast.deals.open) })} />
    </SimpleGrid>
  );
};

/** "How the forecast moved": the weekly snapshots of the same period and scope, oldest first, or why there are none. */
const ForecastTrend = ({ forecast, scope }: { forecast: Forecast; scope: SalesScope }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const money = (value: number) => format.currency(value, forecast.currency, 0);
  const gap = trendGapOf(scope, forecast.trend);
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="forecast-trend-title">
      <Title order={2} size="h4" id="forecast-trend-title" mb="sm">
        {t('sales.trend.title')}
      </Title>
      {gap ? (
        <Text c="dimmed" size="sm" data-trend-empty={gap}>
          {t(gap === 'scope' ? 'sales.trend.noneForScope' : 'sales.trend.none')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={480} type="native" tabIndex={0}>
          <Table striped verticalSpacing={4} data-trend-table aria-labelledby="forecast-trend-title">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('sales.trend.takenOn')}</Table.Th>
                <Table.Th scope="col" className={classes.numeric}>{t('sales.forecast.closedWon')}</Table.Th>
                <Table.Th scope="col" className={classes.numeric}>{t('sales.forecast.commit')}</Table.Th>
                <Table.Th scope="col" className={classes.numeric}>{t('sales.forecast.bestCase')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {forecast.trend!.map((snapshot) => (
                <Table.Tr key={snapshot.takenOn} data-snapshot={snapshot.takenOn}>
                  <Table.Th scope="row" fw={500}>{format.date(snapshot.takenOn)}</Table.Th>
                  <Table.Td className={classes.numeric}>{money(snapshot.closedWon)}</Table.Td>
                  <Table.Td className={classes.numeric}>{money(snapshot.commit)}</Table.Td>
                  <Table.Td className={classes.numeric}>{money(snapshot.bestCase)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
};

interface Rep {
  id: string;
  name: string;
}

/** One row per rep, each with its own forecast: asked only once the table is on screen, four at a time. */
const RepTable = ({ scope, reps, onPick }: { scope: SalesScope; reps: Rep[]; onPick(id: string): void }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const percent = usePercent();
  const { ref, inViewport } = useInViewport();
  const [wasSeen, setWasSeen] = useState(false);
  if (inViewport && !wasSeen) setWasSeen(true);
  const results = useQueries({
    queries: reps.map((rep) => {
      const query = scopeQuery({ ...scope, teamId: null, ownerId: rep.id });
      return {
        queryKey: salesKeys.forecast(query),
        queryFn: ({ signal }: { signal: AbortSignal }) => repForecastLimiter(() => fetchForecast(query, signal)),
        enabled: wasSeen,
        staleTime: 15_000,
      };
    }),
  });
  return (
    <Paper withBorder radius="md" p="md" ref={ref} component="section" aria-labelledby="forecast-reps-title">
      <Title order={2} size="h4" id="forecast-reps-title" mb="sm">
        {t('sales.reps.title')}
      </Title>
      {reps.length === 0 ? (
        <Text c="dimmed" size="sm">{t('sales.reps.none')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={720} type="native" tabIndex={0}>
          <Table striped highlightOnHover verticalSpacing="xs" data-rep-table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('sales.reps.rep')}</Table.Th>
                <Table.Th scope="col" className={classes.numeric}>{t('sales.forecast.quota')}</Table.Th>
                <Table.Th scope="col" className={classes.numeric}>{t('sales.forecast.closedWon')}</Table.Th>
                <Table.Th scope="col" className={classes.numeric}>{t('sales.forecast.commit')}</Table.Th>
                <Table.Th scope="col" className={classes.numeric}>{t('sales.forecast.bestCase')}</Table.Th>
                <Table.Th scope="col" className={classes.numeric}>{t('sales.forecast.weightedPipeline')}</Table.Th>
                <Table.Th scope="col" className={classes.numeric}>{t('sales.reps.attainment')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {reps.map((rep, index) => {
                const result = results[index];
                const figures = result?.data;
                const money = (value: number | null | undefined) => (value === null || value === undefined || !figures ? '—' : format.currency(value, figures.currency, 0));
                const cell = (value: number | null | undefined) =>
                  result?.isLoading || !wasSeen ? <Skeleton height={12} width={70} ml="auto" /> : money(value);
                return (
                  <Table.Tr key={rep.id} data-rep={rep.id} aria-current={scope.ownerId === rep.id ? 'true' : undefined}>
                    <Table.Th scope="row" fw={scope.ownerId === rep.id ? 700 : 500}>
                      <Anchor component="button" type="button" size="sm" onClick={() => onPick(rep.id)}>
                        {rep.name}
                      </Anchor>
                    </Table.Th>
                    {result?.error ? (
                      <Table.Td colSpan={6}>
                        <Text size="sm" c="red">{problemMessage(t, result.error)}</Text>
                      </Table.Td>
                    ) : (
                      <>
                        <Table.Td className={classes.numeric}>{cell(figures?.quota)}</Table.Td>
                        <Table.Td className={classes.numeric}>{cell(figures?.closedWon)}</Table.Td>
                        <Table.Td className={classes.numeric}>{cell(figures?.commit)}</Table.Td>
                        <Table.Td className={classes.numeric}>{cell(figures?.bestCase)}</Table.Td>
                        <Table.Td className={classes.numeric}>{cell(figures?.weightedPipeline)}</Table.Td>
                        <Table.Td className={classes.numeric}>{figures ? percent(attainmentOf(figures.closedWon, figures.quota)) : cell(null)}</Table.Td>
                      </>
                    )}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
};

const categoryLabel = (t: (key: string) => string, value: string) => ((FORECAST_CATEGORIES as readonly string[]).includes(value) ? t(`sales.categories.${value}`) : value);

/** The period's open deals in the scope, each with its forecast category to change in place. */
const OpenDeals = ({ scope, teamMembers, isReady, names }: { scope: SalesScope; teamMembers: string[] | undefined; isReady: boolean; names: Map<string, string> }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [saving, setSaving] = useState<string | null>(null);
  const period = parseSalesPeriod(scope.period)!;
  const filter = openDealsFilter(scope, periodBounds(period), teamMembers);
  const deals = useQuery({
    queryKey: salesKeys.openDeals(filter ?? null),
    queryFn: async ({ signal }) =>
      filter
        ? await api.post<RecordPage>('/records/opportunity/query', { filter, sort: ['closeDate'], limit: 200, count: true, include: ['stage'] }, { signal })
        : ({ data: [], pageInfo: { nextCursor: null, hasNextPage: false }, totalCount: 0 } satisfies RecordPage),
    staleTime: 15_000,
    enabled: isReady,
  });
  const change = async (deal: ApiRecord, category: string) => {
    setSaving(deal.id);
    try {
      await api.patch(`/records/opportunity/${encodeURIComponent(deal.id)}`, { forecastCategory: category }, { ifMatch: deal.version });
      notify({ message: t('sales.deals.saved', { name: String(deal.name ?? ''), category: categoryLabel(t as (key: string) => string, category) }) });
    } catch (error) {
      notify({ message: problemMessage(t, error), color: 'red' });
    } finally {
      setSaving(null);
      // The figures, the rep table and this list: all under the opportunities' keys.
      await queryClient.invalidateQueries({ queryKey: salesKeys.all });
    }
  };
  const options = FORECAST_CATEGORIES.map((value) => ({ value, label: categoryLabel(t as (key: string) => string, value) }));
  const rows = deals.data?.data ?? [];
  const total = deals.data?.totalCount ?? rows.length;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="forecast-deals-title">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={2} size="h4" id="forecast-deals-title">
          {t('sales.deals.title')}
        </Title>
        {total > rows.length ? <Text size="sm" c="dimmed">{t('sales.deals.firstOnly', { shown: format.number(rows.length), total: format.number(total) })}</Text> : null}
      </Group>
      {deals.error ? <Alert color="red" role="alert">{problemMessage(t, deals.error)}</Alert> : null}
      {deals.isLoading ? (
        <Skeleton height={120} />
      ) : rows.length === 0 ? (
        <Text c="dimmed" size="sm">{t('sales.deals.none')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={760} type="native" tabIndex={0}>
          <Table verticalSpacing="xs" highlightOnHover data-deals-table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('sales.deals.deal')}</Table.Th>
                <Table.Th scope="col">{t('sales.deals.owner')}</Table.Th>
                <Table.Th scope="col">{t('sales.deals.stage')}</Table.Th>
                <Table.Th scope="col">{t('sales.deals.closeDate')}</Table.Th>
                <Table.Th scope="col" className={classes.numeric}>{t('sales.deals.amount')}</Table.Th>
                <Table.Th scope="col" className={classes.numeric}>{t('sales.deals.probability')}</Table.Th>
                <Table.Th scope="col">{t('sales.deals.category')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((deal) => {
                const name = typeof deal.name === 'string' ? deal.name : t('fieldValue.untitled');
                const amount = deal.amount as { amount?: number; currency?: string } | null;
                const stage = deal.stage as { name?: string } | string | null;
                const owner = typeof deal.owner === 'string' ? (names.get(deal.owner) ?? '—') : '—';
                return (
                  <Table.Tr key={deal.id} data-deal={name}>
                    <Table.Th scope="row" fw={500}>
                      <Anchor component={Link} to={paths.record('opportunity', deal.id)} size="sm">
                        {name}
                      </Anchor>
                    </Table.Th>
                    <Table.Td>{owner}</Table.Td>
                    <Table.Td>{stage && typeof stage === 'object' ? (stage.name ?? '—') : '—'}</Table.Td>
                    <Table.Td>{typeof deal.closeDate === 'string' ? format.date(deal.closeDate) : '—'}</Table.Td>
                    <Table.Td className={classes.numeric}>{amount && typeof amount.amount === 'number' ? format.currency(amount.amount, amount.currency ?? 'EUR', 0) : '—'}</Table.Td>
                    <Table.Td className={classes.numeric}>{typeof deal.probability === 'number' ? format.percent(deal.probability, 0) : '—'}</Table.Td>
                    <Table.Td>
                      <Select
                        size="xs"
                        w={150}
                        aria-label={t('sales.deals.categoryOf', { name })}
                        data={options}
                        value={typeof deal.forecastCategory === 'string' ? deal.forecastCategory : 'pipeline'}
                        onChange={(value) => value && value !== deal.forecastCategory && void change(deal, value)}
                        allowDeselect={false}
                        disabled={saving === deal.id}
                        comboboxProps={{ withinPortal: true }}
                      />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
};

/** `/sales/forecast`: the period's quota, closed won, commit, best case and weighted pipeline, its likely range, per rep, and the deals. */
export const ForecastPage = () => {
  const { t } = useTranslation();
  const { scope, update } = useSalesScope();
  const periodLabel = usePeriodLabel();
  const forecast = useForecast(scope);
  const teams = useSalesTeams();
  const users = useUsers();
  useDocumentTitle(t('sales.forecast.title'));
  const names = useMemo(() => new Map((users.data ?? []).map((user) => [user.id, user.name || user.email || user.id])), [users.data]);
  const [params] = useSearchParams();
  // The team narrows the rep table even while one rep's figures show.
  const team = teams.data?.find((entry) => entry.id === params.get('team'));
  const reps: Rep[] = useMemo(
    () =>
      (users.data ?? [])
        .filter((user) => (user as { status?: string }).status !== 'deactivated')
        .filter((user) => !team || team.memberIds.includes(user.id))
        .map((user) => ({ id: user.id, name: user.name || user.email || user.id }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    [users.data, team],
  );
  const data = forecast.data;
  return (
    <Stack gap="lg" maw={1400}>
      <div>
        <Title order={1} size="h2" tabIndex={-1} data-page-title>
          {t('sales.forecast.title')}
        </Title>
        <Text c="dimmed" mt={4}>
          {t('sales.forecast.intro', { period: periodLabel(parseSalesPeriod(scope.period)) })}
        </Text>
      </div>
      <ScopeBar scope={scope} onChange={update} />
      {forecast.error ? (
        <Alert color="red" role="alert" title={t('sales.loadFailed')}>
          {problemMessage(t, forecast.error)}
        </Alert>
      ) : null}
      {!data && forecast.isLoading ? <LoadingScreen /> : null}
      {data ? (
        <>
          {data.unconverted.length > 0 ? (
            <Alert color="yellow" icon={<IconInfoCircle size={18} aria-hidden />}>
              {t('sales.forecast.unconverted', {
                count: data.unconverted.reduce((sum, entry) => sum + entry.count, 0),
                currencies: data.unconverted.map((entry) => entry.currency).join(', '),
              })}
            </Alert>
          ) : null}
          <div aria-busy={forecast.isFetching || undefined}>
            <ForecastCards forecast={data} />
          </div>
          <Paper withBorder radius="md" p="md" component="section" aria-labelledby="forecast-range-title">
            <Group justify="space-between" wrap="wrap" mb={4}>
              <Title order={2} size="h4" id="forecast-range-title">
                {t('sales.range.title')}
              </Title>
              <Badge variant="light" color="gray" tt="none">
                {t(`sales.range.method.${data.rangeMethod}`)}
              </Badge>
            </Group>
            <RangeBar forecast={data} />
          </Paper>
          <ForecastTrend forecast={data} scope={scope} />
        </>
      ) : null}
      <RepTable scope={scope} reps={reps} onPick={(id) => update({ rep: id })} />
      <OpenDeals scope={scope} teamMembers={team?.memberIds} isReady={!scope.teamId || teams.isSuccess} names={names} />
      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="forecast-how-title">
        <Title order={2} size="h4" id="forecast-how-title" mb="xs">
          {t('sales.how.title')}
        </Title>
        <Stack gap={6}>
          <Text size="sm">{t('sales.how.scope')}</Text>
          <Text size="sm">{t('sales.how.categories')}</Text>
          <Text size="sm">{t('sales.how.weighted')}</Text>
          <Text size="sm">{t('sales.how.range')}</Text>
          <Text size="sm">{t('sales.how.quota')}</Text>
        </Stack>
      </Paper>
    </Stack>
  );
};
