import { Group, Paper, Progress, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../api/problem-messages.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { useGoalProgress, type GoalProgress } from './sales-api.ts';

const isMoney = (goal: GoalProgress) => goal.kpi === 'revenueWon' || goal.kpi === 'pipelineCreated';

/** The goals of the period (company, teams, reps) with how far each got. */
export const GoalsProgress = ({ period }: { period: string }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const goals = useGoalProgress(period);
  const amount = (goal: GoalProgress, value: number) => (isMoney(goal) ? format.currency(value, goal.currency) : format.number(value));
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="sales-goals-title">
      <Title order={2} size="h4" id="sales-goals-title" mb="sm">
        {t('sales.goals.title')}
      </Title>
      {goals.isLoading ? (
        <Skeleton height={60} />
      ) : goals.error ? (
        <Text size="sm" c="dimmed">{problemMessage(t, goals.error)}</Text>
      ) : (goals.data ?? []).length === 0 ? (
        <Text size="sm" c="dimmed">{t('sales.goals.none')}</Text>
      ) : (
        <Stack gap="sm" component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {(goals.data ?? []).map((goal) => {
            const percent = goal.progress === null ? 0 : Math.round(goal.progress * 100);
            return (
              <li key={goal.id} data-goal={goal.id}>
                <Group justify="space-between" gap="xs" wrap="nowrap">
                  <Text size="sm" fw={600} truncate>{goal.name}</Text>
                  <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    {t('sales.goals.reached', { actual: amount(goal, goal.actual), target: amount(goal, goal.target), percent })}
                  </Text>
                </Group>
                <Progress value={Math.min(percent, 100)} color={percent >= 100 ? 'green' : 'blue'} aria-label={t('sales.goals.progressOf', { name: goal.name, percent })} mt={4} />
              </li>
            );
          })}
        </Stack>
      )}
    </Paper>
  );
};
