import { Anchor, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { KpiCards, type KpiName } from './kpi-cards.tsx';
import { LeaderboardTable } from './leaderboard-table.tsx';
import { useKpis, useLeaderboard } from './sales-api.ts';
import { currentQuarterKey, parseSalesPeriod } from './sales-model.ts';
import { salesPaths } from './sales-paths.ts';
import { usePeriodLabel } from './scope-bar.tsx';

const HOME_KPIS: readonly KpiName[] = ['winRate', 'averageDealSize', 'salesCycleDays', 'coverage'];

/** The home screen's sales summary: this quarter's KPIs and the top five reps (loaded on first use, `home-sales-slot.tsx`). */
export const HomeSalesSummary = () => {
  const { t } = useTranslation();
  const periodLabel = usePeriodLabel();
  const period = currentQuarterKey();
  const kpis = useKpis({ period, pipeline: null, teamId: null, ownerId: null });
  const board = useLeaderboard(period, null);
  // Someone whose role hides a field the figures read gets a 403: the home screen then leaves sales out.
  if (kpis.error) return null;
  const showBoard = board.data?.enabled && board.data.data.length > 0;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="home-sales-title">
      <Group justify="space-between" wrap="wrap" mb="sm">
        <Title order={2} size="h4" id="home-sales-title">
          {t('sales.home.title', { period: periodLabel(parseSalesPeriod(period)) })}
        </Title>
        <Anchor component={Link} to={salesPaths.dashboard()} size="sm">
          {t('sales.home.open')}
        </Anchor>
      </Group>
      <SimpleGrid cols={{ base: 1, lg: showBoard ? 3 : 1 }} spacing="md">
        <div style={{ gridColumn: showBoard ? 'span 2' : undefined }}>
          {kpis.data ? <KpiCards kpis={kpis.data} names={HOME_KPIS} cols={{ base: 1, xs: 2 }} showHelp={false} /> : <Skeleton height={180} />}
        </div>
        {showBoard ? (
          <Stack gap={4}>
            <Group justify="space-between">
              <Text fw={600} size="sm" component="h3" m={0}>
                {t('sales.home.topReps')}
              </Text>
              <Anchor component={Link} to={salesPaths.leaderboard()} size="xs">
                {t('sales.home.openLeaderboard')}
              </Anchor>
            </Group>
            <LeaderboardTable board={board.data!} limit={5} />
          </Stack>
        ) : null}
      </SimpleGrid>
    </Paper>
  );
};
