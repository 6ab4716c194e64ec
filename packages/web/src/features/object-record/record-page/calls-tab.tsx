import { Anchor, Badge, Button, Group, NumberInput, Paper, Select, Skeleton, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { IconPhoneIncoming, IconPhoneOutgoing } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ObjectDefinition } from '@rapport/common';
import { api } from '../../../api/client.ts';
import { problemMessage } from '../../../api/problem-messages.ts';
import { queryKeys, type WorkspaceUser } from '../../../api/queries.ts';
import type { ApiRecord } from '../../../api/types.ts';
import { useFormat } from '../../../i18n/use-format.ts';
import { useLabels } from '../labels.ts';
import { paths } from '../metadata.ts';
import { callDurationOf, fromLocalInput, nameOf, textToHtml, toLocalInput } from './activity-model.ts';
import { useActivities } from './use-activities.ts';
import classes from './activity-panel.module.css';

const choicesOf = (object: ObjectDefinition | undefined, field: string, label: (value: string, fallback: string) => string) =>
  (object?.fields.find((candidate) => candidate.name === field)?.options?.choices ?? []).map((choice) => ({ value: choice.value, label: label(choice.value, choice.label) }));

/** Logging a call by hand: direction, when, how long, how it went, what was said; the newest calls below. */
export const CallsTab = ({ link, recordId, linkValue, users, callObject }: { link: string; recordId: string; linkValue: Record<string, unknown>; users: readonly WorkspaceUser[]; callObject: ObjectDefinition | undefined }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const calls = useActivities('call', link, recordId, '-startedAt');
  const choiceLabel = (field: string) => (value: string, fallback: string) => {
    const definition = callObject?.fields.find((candidate) => candidate.name === field);
    return callObject && definition ? labels.choice(callObject, definition, { value, label: fallback }) : fallback;
  };
  const [direction, setDirection] = useState<string | null>('outbound');
  const [outcome, setOutcome] = useState<string | null>('connected');
  const [startedAt, setStartedAt] = useState(() => toLocalInput(new Date().toISOString()));
  const [minutes, setMinutes] = useState<string | number>('');
  const [notes, setNotes] = useState('');
  const create = useMutation({
    mutationFn: () =>
      api.post<ApiRecord>('/records/call', {
        ...linkValue,
        direction,
        outcome,
        startedAt: fromLocalInput(startedAt),
        ...(typeof minutes === 'number' ? { durationSeconds: Math.round(minutes * 60) } : {}),
        ...(notes.trim() ? { notes: textToHtml(notes) } : {}),
      }),
    onSuccess: () => {
      setNotes('');
      setMinutes('');
      void queryClient.invalidateQueries({ queryKey: queryKeys.records('call') });
    },
  });

  return (
    <Stack gap="sm">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <Stack gap="xs">
          <Group grow gap="xs" align="flex-start">
            <Select label={t('activities.direction')} data={choicesOf(callObject, 'direction', choiceLabel('direction'))} value={direction} onChange={setDirection} allowDeselect={false} />
            <Select label={t('activities.outcome')} data={choicesOf(callObject, 'outcome', choiceLabel('outcome'))} value={outcome} onChange={setOutcome} clearable />
          </Group>
          <Group grow gap="xs" align="flex-start">
            <TextInput type="datetime-local" label={t('activities.callStartedAt')} value={startedAt} onChange={(event) => setStartedAt(event.currentTarget.value)} />
            <NumberInput label={t('activities.durationMinutes')} value={minutes} onChange={setMinutes} min={0} decimalScale={1} />
          </Group>
          <Textarea label={t('activities.callNotes')} value={notes} onChange={(event) => setNotes(event.currentTarget.value)} autosize minRows={2} />
          {create.error ? (
            <Text size="sm" c="red" role="alert">
              {problemMessage(t, create.error)}
            </Text>
          ) : null}
          <Group justify="flex-end">
            <Button size="xs" type="submit" loading={create.isPending}>
              {t('activities.logCall')}
            </Button>
          </Group>
        </Stack>
      </form>
      {calls.isLoading ? (
        <Skeleton height={60} />
      ) : (calls.data?.data.length ?? 0) === 0 ? (
        <Text size="sm" c="dimmed">
          {t('activities.noCalls')}
        </Text>
      ) : (
        <Stack gap={6} component="ul" className={classes.list} aria-label={t('activities.calls')}>
          {calls.data!.data.map((call) => {
            const Icon = call.direction === 'inbound' ? IconPhoneIncoming : IconPhoneOutgoing;
            const outcomeChoice = choicesOf(callObject, 'outcome', choiceLabel('outcome')).find((choice) => choice.value === call.outcome);
            const duration = callDurationOf(call.durationSeconds);
            const caller = nameOf(users, call.owner);
            return (
              <Paper key={call.id} component="li" withBorder radius="sm" p="sm">
                <Group gap={6} wrap="nowrap">
                  <Icon size={14} aria-label={choiceLabel('direction')(String(call.direction), String(call.direction))} />
                  <Anchor component={Link} to={paths.record('call', call.id)} size="sm" fw={500}>
                    {typeof call.startedAt === 'string' ? format.dateTime(call.startedAt) : t('fieldValue.untitled')}
                  </Anchor>
                  {outcomeChoice ? <Badge size="sm" variant="light" tt="none" color={call.outcome === 'missed' ? 'red' : 'gray'}>{outcomeChoice.label}</Badge> : null}
                </Group>
                <Text size="xs" c="dimmed" mt={2}>
                  {[duration, caller].filter(Boolean).join(' · ')}
                </Text>
              </Paper>
            );
          })}
        </Stack>
      )}
    </Stack>
  );
};
