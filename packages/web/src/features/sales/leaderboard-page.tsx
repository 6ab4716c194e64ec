import { Alert, Paper, Stack, Text, Title } from '@mantine/core';
import { IconTrophyOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { EmptyScreen, LoadingScreen } from '../../components/ui/screens.tsx';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { LeaderboardTable } from './leaderboard-table.tsx';
import { useLeaderboard } from './sales-api.ts';
import { parseSalesPeriod } from './sales-model.ts';
import { ScopeBar, usePeriodLabel, useSalesScope } from './scope-bar.tsx';

/** `/sales/leaderboard`: reps ranked by points for a period, for everyone or one team; a note when it is turned off. */
export const LeaderboardPage = () => {
  const { t } = useTranslation();
  const { scope, update } = useSalesScope();
  const periodLabel = usePeriodLabel();
  const [params] = useSearchParams();
  const board = useLeaderboard(scope.period, params.get('team') || null);
  useDocumentTitle(t('sales.leaderboard.title'));
  const data = board.data;
  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <Title order={1} size="h2" tabIndex={-1} data-page-title>
          {t('sales.leaderboard.title')}
        </Title>
        <Text c="dimmed" mt={4}>
          {t('sales.leaderboard.intro', { period: periodLabel(parseSalesPeriod(scope.period)) })}
        </Text>
      </div>
      <ScopeBar scope={scope} onChange={(changes) => update({ ...changes, rep: null })} show={{ pipeline: false, team: true, rep: false }} />
      {board.error ? (
        isApiError(board.error, 'ROUTE_NOT_FOUND') ? (
          <Alert color="gray" icon={<IconTrophyOff size={18} aria-hidden />}>{t('sales.leaderboard.unavailable')}</Alert>
        ) : (
          <Alert color="red" role="alert" title={t('sales.loadFailed')}>
            {problemMessage(t, board.error)}
          </Alert>
        )
      ) : null}
      {!data && board.isLoading ? <LoadingScreen /> : null}
      {data && !data.enabled ? (
        <Alert color="gray" icon={<IconTrophyOff size={18} aria-hidden />} title={t('sales.leaderboard.disabledTitle')} data-leaderboard-disabled>
          {t('sales.leaderboard.disabled')}
        </Alert>
      ) : null}
      {data && data.enabled ? (
        data.data.length === 0 ? (
          <EmptyScreen title={t('sales.leaderboard.emptyTitle')} description={t('sales.leaderboard.empty')} />
        ) : (
          <Paper withBorder radius="md" p="md" aria-busy={board.isFetching || undefined}>
            <LeaderboardTable board={data} />
          </Paper>
        )
      ) : null}
    </Stack>
  );
};
