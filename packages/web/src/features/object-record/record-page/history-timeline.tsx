import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { Button, Group, Paper, Skeleton, Text, Timeline, Title } from '@mantine/core';
import { IconArrowBackUp, IconArrowMerge, IconArrowsSplit, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../../api/problem-messages.ts';
import { useObjects, useRecordHistory, useUsers } from '../../../api/queries.ts';
import type { HistoryEntry } from '../../../api/types.ts';
import { useFormat } from '../../../i18n/use-format.ts';
import { FieldValue } from '../../field-types/field-value.tsx';
import { useLabels } from '../labels.ts';
import { nameOf } from './activity-model.ts';

export const HISTORY_ICONS = { created: IconPlus, updated: IconPencil, deleted: IconTrash, restored: IconArrowBackUp, merged: IconArrowMerge, unmerged: IconArrowsSplit } as const;

/**
 * A many-to-one relation's history holds bare ids: shown as a reference to a record of its target, the record is
 * named by its title (read in one batch per object) instead of an id.
 */
const asShown = (field: FieldDefinition, value: unknown): { field: FieldDefinition; value: unknown } => {
  const target = field.options?.target;
  if (field.type !== 'relation' || (field.options?.kind ?? 'manyToOne') !== 'manyToOne' || !target || typeof value !== 'string') return { field, value };
  return { field: { ...field, type: 'reference', options: { targets: [target] } }, value: { object: target, id: value } };
};

const EntryBody = ({ object, entry }: { object: ObjectDefinition; entry: HistoryEntry }) => {
  const { t } = useTranslation();
  const { data: objects = [] } = useObjects();
  const field = object.fields.find((candidate) => candidate.name === entry.field);
  if (entry.changeType !== 'updated' || !field) return null;
  const [before, after] = [asShown(field, entry.oldValue), asShown(field, entry.newValue)];
  return (
    <Group gap={6} wrap="wrap" align="center">
      <FieldValue object={object} field={before.field} value={before.value} objects={objects} isCompact />
      <Text span c="dimmed" aria-label={t('history.changedTo')}>
        →
      </Text>
      <FieldValue object={object} field={after.field} value={after.value} objects={objects} isCompact />
    </Group>
  );
};

/** A change of the record as a timeline item: what changed (old → new), when and by whom. */
export const useHistoryItem = (object: ObjectDefinition) => {
  const { t } = useTranslation();
  const labels = useLabels();
  const format = useFormat();
  const { data: users = [] } = useUsers();

  const titleOf = (entry: HistoryEntry) => {
    // Merges of duplicates (features/duplicates) keep their texts in that feature's namespace.
    if (entry.changeType === 'merged' || entry.changeType === 'unmerged') return t(`duplicates.history.${entry.changeType}`);
    if (entry.changeType !== 'updated') return t(`history.${entry.changeType}`);
    const field = object.fields.find((candidate) => candidate.name === entry.field);
    return t('history.updatedField', { field: field ? labels.field(object, field) : (entry.field ?? '') });
  };
  const actorOf = (entry: HistoryEntry) => (entry.actorId ? (nameOf(users, entry.actorId) ?? t('history.someone')) : t('history.viaApi'));

  return (entry: HistoryEntry) => {
    const Icon = HISTORY_ICONS[entry.changeType];
    return (
      <Timeline.Item key={`history-${entry.id}`} bullet={<Icon size={12} aria-hidden />} title={<Text size="sm" fw={500} component="h3" m={0}>{titleOf(entry)}</Text>}>
        <EntryBody object={object} entry={entry} />
        <Text size="xs" c="dimmed" mt={4}>
          <time dateTime={entry.occurredAt}>{format.dateTime(entry.occurredAt)}</time> · {actorOf(entry)}
        </Text>
      </Timeline.Item>
    );
  };
};

/** Every change of the record, newest first, from the field history (the activities panel's History tab). */
export const HistoryEntries = ({ object, recordId }: { object: ObjectDefinition; recordId: string }) => {
  const { t } = useTranslation();
  const history = useRecordHistory({ object: object.name, id: recordId });
  const renderEntry = useHistoryItem(object);
  const entries = history.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <>
      {history.isLoading ? (
        <Skeleton height={80} />
      ) : history.error ? (
        <Text size="sm" c="red" role="alert">{problemMessage(t, history.error)}</Text>
      ) : entries.length === 0 ? (
        <Text size="sm" c="dimmed">{t('history.empty')}</Text>
      ) : (
        <Timeline bulletSize={24} lineWidth={2}>
          {entries.map(renderEntry)}
        </Timeline>
      )}
      {history.hasNextPage ? (
        <Button variant="subtle" size="xs" mt="sm" onClick={() => void history.fetchNextPage()} loading={history.isFetchingNextPage}>
          {t('history.older')}
        </Button>
      ) : null}
    </>
  );
};

/** The history in a section of its own, for records no note or task can link to. */
export const HistoryTimeline = ({ object, recordId }: { object: ObjectDefinition; recordId: string }) => {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
      <Title order={2} size="h4" id={headingId} mb="md">
        {t('history.title')}
      </Title>
      <HistoryEntries object={object} recordId={recordId} />
    </Paper>
  );
};
