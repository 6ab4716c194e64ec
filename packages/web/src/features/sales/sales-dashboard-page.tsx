import { Alert, Group, Paper, SimpleGrid, Skeleton, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../api/problem-messages.ts';
import { isApiError } from '../../api/client.ts';
import { useUsers } from '../../api/queries.ts';
import { LoadingScreen } from '../../components/ui/screens.tsx';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { ClosedWonChart, type ChartPoint } from './closed-won-chart.tsx';
import { KpiCards } from './kpi-cards.tsx';
import { GoalsProgress } from './goals-progress.tsx';
import { useAlerts, useKpis } from './sales-api.ts';
import { parseSalesPeriod, shiftPeriod, type SalesScope } from './sales-model.ts';
import { ScopeBar, usePeriodLabel, useSalesScope } from './scope-bar.tsx';

/** What needs a manager's attention in the period (the API's alerts), warnings first. */
const AlertsList = ({ scope }: { scope: SalesScope }) => {
  const { t } = useTranslation();
  const alerts = useAlerts(scope);
  const users = useUsers();
  const names = useMemo(() => new Map((users.data ?? []).map((user) => [user.id, user.name || user.email || user.id])), [users.data]);
  const list = [...(alerts.data ?? [])].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'warning' ? -1 : 1));
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="sales-alerts-title">
      <Title order={2} size="h4" id="sales-alerts-title" mb="sm">
        {t('sales.alerts.title')}
      </Title>
      {alerts.isLoading ? (
        <Skeleton height={60} />
      ) : alerts.error ? (
        <Text size="sm" c="dimmed">{isApiError(alerts.error, 'ROUTE_NOT_FOUND') ? t('sales.alerts.unavailable') : problemMessage(t, alerts.error)}</Text>
      ) : list.length === 0 ? (
        <Text size="sm" c="dimmed">{t('sales.alerts.none')}</Text>
      ) : (
        <Stack gap="xs" component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {list.map((alert, index) => (
            <Group key={`${alert.code}-${index}`} gap="sm" wrap="nowrap" align="flex-start" component="li" data-alert={alert.code}>
              <ThemeIcon variant="light" color={alert.severity === 'warning' ? 'orange' : 'blue'} size="md" aria-hidden>
                {alert.severity === 'warning' ? <IconAlertTriangle size={16} /> : <IconInfoCircle size={16} />}
              </ThemeIcon>
              <div>
                <Text size="sm">
                  <Text span fw={600} size="sm">{alert.severity === 'warning' ? t('sales.alerts.warning') : t('sales.alerts.info')}: </Text>
                  {alert.message}
                </Text>
                {alert.ownerId ? <Text size="xs" c="dimmed">{names.get(alert.ownerId) ?? ''}</Text> : null}
              </div>
            </Group>
          ))}
        </Stack>
      )}
    </Paper>
  );
};

/** `/sales`: the KPIs of a period with their trends, closed won against quota over four periods, and alerts. */
export const SalesDashboardPage = () => {
  const { t } = useTranslation();
  const { scope, update } = useSalesScope();
  const periodLabel = usePeriodLabel();
  const kpis = useKpis(scope);
  // Two periods earlier: its answer holds that period and the one before, so four periods in two calls.
  const period = parseSalesPeriod(scope.period)!;
  const earlier = useKpis({ ...scope, period: shiftPeriod(period, -2).key });
  useDocumentTitle(t('sales.dashboard.title'));
  const data = kpis.data;
  const points: ChartPoint[] = useMemo(() => {
    const list: ChartPoint[] = [];
    const add = (key: string, figures: { closedWon: number; quota: number | null } | undefined) =>
      list.push({ label: periodLabel(parseSalesPeriod(key), key), closedWon: figures ? figures.closedWon : null, quota: figures?.quota ?? null });
    const earlierData = earlier.data;
    add(shiftPeriod(period, -3).key, earlierData?.previous);
    add(shiftPeriod(period, -2).key, earlierData);
    add(shiftPeriod(period, -1).key, data?.previous);
    add(period.key, data);
    return list;
  }, [data, earlier.data, period.key, periodLabel]);

  return (
    <Stack gap="lg" maw={1400}>
      <div>
        <Title order={1} size="h2" tabIndex={-1} data-page-title>
          {t('sales.dashboard.title')}
        </Title>
        <Text c="dimmed" mt={4}>
          {t('sales.dashboard.intro', { period: periodLabel(period) })}
        </Text>
      </div>
      <ScopeBar scope={scope} onChange={update} />
      {kpis.error ? (
        <Alert color="red" role="alert" title={t('sales.loadFailed')}>
          {problemMessage(t, kpis.error)}
        </Alert>
      ) : null}
      {!data && kpis.isLoading ? <LoadingScreen /> : null}
      {data ? (
        <div aria-busy={kpis.isFetching || undefined}>
          <KpiCards kpis={data} />
        </div>
      ) : null}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Paper withBorder radius="md" p="md" component="section" aria-labelledby="sales-chart-title">
          <Title order={2} size="h4" id="sales-chart-title" mb="sm">
            {t('sales.chart.title')}
          </Title>
          {data ? <ClosedWonChart points={points} currency={data.currency} title={t('sales.chart.title')} /> : <Skeleton height={260} />}
        </Paper>
        <AlertsList scope={scope} />
      </SimpleGrid>
      <GoalsProgress period={scope.period} />
    </Stack>
  );
};
