import { Alert, Button, Group, List, Paper, Progress, Skeleton, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { ObjectDefinition } from '@rapport/common';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconBulb, IconRefresh, IconTrendingDown, IconTrendingUp } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { useIsAdmin } from '../settings/use-is-admin.ts';
import { salesKeys, trainWinModel, useDealInsights, type DealInsights } from './sales-api.ts';
import { historyNeedOf } from './sales-model.ts';

const Insights = ({ insights }: { insights: DealInsights }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const win = insights.winProbability;
  return (
    <Stack gap="sm">
      {win.status === 'trained' ? (
        <div data-win-probability={win.probability}>
          <Group justify="space-between" align="baseline">
            <Text size="sm" fw={500}>{t('sales.insights.winProbability')}</Text>
            <Text fz={24} fw={700} lh={1}>{format.percent(win.probability * 100, 0)}</Text>
          </Group>
          <Progress value={win.probability * 100} mt={6} size="sm" color={win.probability >= 0.6 ? 'teal' : win.probability >= 0.3 ? 'blue' : 'orange'} aria-label={t('sales.insights.winProbability')} />
          {win.factors.length > 0 ? (
            <>
              <Text size="sm" fw={500} mt="sm" mb={4}>{t('sales.insights.factors')}</Text>
              <Stack gap={4} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
                {win.factors.slice(0, 3).map((factor) => (
                  <Group key={factor.feature} gap={8} wrap="nowrap" component="li" data-factor={factor.feature}>
                    <ThemeIcon size="sm" variant="light" color={factor.direction === 'up' ? 'teal' : 'red'} aria-hidden>
                      {factor.direction === 'up' ? <IconTrendingUp size={14} /> : <IconTrendingDown size={14} />}
                    </ThemeIcon>
                    <Text size="sm">
                      {factor.label}
                      <Text span c="dimmed" size="xs">
                        {' '}
                        ({t(factor.direction === 'up' ? 'sales.insights.raises' : 'sales.insights.lowers')})
                      </Text>
                    </Text>
                  </Group>
                ))}
              </Stack>
            </>
          ) : null}
          <Text size="xs" c="dimmed" mt="xs">
            {t('sales.insights.model', {
              date: format.dateTime(win.model.trainedAt),
              accuracy: win.model.accuracy === null ? '—' : format.percent(win.model.accuracy * 100, 0),
              count: win.model.heldOut ?? 0,
              formatted: format.number(win.model.heldOut ?? 0),
            })}
          </Text>
        </div>
      ) : win.status === 'closed' ? (
        <Text size="sm" c="dimmed" data-win-probability="closed">
          {t(win.probability >= 1 ? 'sales.insights.closedWon' : 'sales.insights.closedLost')}
        </Text>
      ) : (
        <Text size="sm" c="dimmed" data-win-probability="insufficient">
          {t('sales.insights.notEnough', { closed: format.number(historyNeedOf(win).closed), needed: format.number(historyNeedOf(win).needed) })}
        </Text>
      )}
      {insights.hints.length > 0 ? (
        <div>
          <Text size="sm" fw={500} mb={4}>{t('sales.insights.hints')}</Text>
          <List size="sm" spacing={4} icon={<ThemeIcon size="sm" variant="light" color="yellow" aria-hidden><IconBulb size={14} /></ThemeIcon>}>
            {insights.hints.map((hint) => (
              <List.Item key={hint.code} data-hint={hint.code}>{hint.message}</List.Item>
            ))}
          </List>
        </div>
      ) : null}
    </Stack>
  );
};

/** Administrators: retrains the workspace's win-probability model, then asks this deal's insights again. */
const RetrainButton = ({ recordId }: { recordId: string }) => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const retrain = useMutation({
    mutationFn: trainWinModel,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: salesKeys.insights(recordId) }),
  });
  return (
    <Stack gap={6} mt="sm" align="flex-start">
      <Button size="xs" variant="default" leftSection={<IconRefresh size={14} aria-hidden />} loading={retrain.isPending} onClick={() => retrain.mutate()}>
        {t('sales.insights.retrain')}
      </Button>
      {retrain.error ? (
        <Alert color="red" role="alert" p="xs" w="100%">
          {problemMessage(t, retrain.error)}
        </Alert>
      ) : null}
    </Stack>
  );
};

const Panel = ({ recordId }: { recordId: string }) => {
  const { t } = useTranslation();
  const insights = useDealInsights(recordId);
  const isAdmin = useIsAdmin();
  // A server without the insights route yet, or a role that may not read them: the panel stays away.
  if (isApiError(insights.error, 'ROUTE_NOT_FOUND') || isApiError(insights.error, 'FORBIDDEN')) return null;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="deal-insights-title">
      <Title order={2} size="h4" id="deal-insights-title" mb="sm">
        {t('sales.insights.title')}
      </Title>
      {insights.isLoading ? <Skeleton height={80} /> : null}
      {insights.error ? <Alert color="red">{problemMessage(t, insights.error)}</Alert> : null}
      {insights.data ? <Insights insights={insights.data} /> : null}
      {isAdmin && !insights.isLoading ? <RetrainButton recordId={recordId} /> : null}
    </Paper>
  );
};

/** The record page's "Deal insights" (win probability, its main factors, hints), on opportunities only. */
export const DealInsightsPanel = ({ object, recordId }: { object: ObjectDefinition; recordId: string }) =>
  object.name === 'opportunity' ? <Panel recordId={recordId} /> : null;
