import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { Alert, Anchor, Button, Group, List, Paper, Radio, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowMerge } from '@tabler/icons-react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { queryKeys, useRecord } from '../../api/queries.ts';
import type { ApiRecord } from '../../api/types.ts';
import { LoadingScreen, NotFoundScreen } from '../../components/ui/screens.tsx';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { FieldValue } from '../field-types/field-value.tsx';
import { useLabels } from '../object-record/labels.ts';
import { includesOf, paths, recordTitleOf } from '../object-record/metadata.ts';
import { useObjectRoute } from '../object-record/use-object-route.ts';
import { duplicateKeys, mergeRecords, undoMerge, useMergePreview, type MergeResult } from './duplicates-api.ts';
import { defaultChoices, differingFields, isEmptyValue, mergeableFieldsOf, mergeValuesOf, type MergeChoices } from './merge-model.ts';
import classes from './merge-page.module.css';

const UNDO_MS = 15_000;

const refresh = (queryClient: QueryClient, object: string) =>
  Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.records(object) }), queryClient.invalidateQueries({ queryKey: duplicateKeys.all })]);

/** After a merge: a notification whose Undo puts everything back (`POST /merges/{id}/undo`). */
const notifyMerged = ({ result, t, queryClient, onUndone }: { result: MergeResult; t: TFunction; queryClient: QueryClient; onUndone(): void }) => {
  const id = `merge-${result.merge.id}`;
  const undo = async () => {
    notifications.hide(id);
    try {
      await undoMerge(result.merge.id);
      await refresh(queryClient, result.merge.object);
      notifications.show({ color: 'green', message: t('duplicates.merge.undone'), closeButtonProps: { 'aria-label': t('common.close') } });
      onUndone();
    } catch (error) {
      notifications.show({ color: 'red', message: problemMessage(t, error), closeButtonProps: { 'aria-label': t('common.close') } });
    }
  };
  notifications.show({
    id,
    color: 'green',
    autoClose: UNDO_MS,
    closeButtonProps: { 'aria-label': t('common.close') },
    message: (
      <Group justify="space-between" gap="sm" wrap="nowrap">
        <span>{t('duplicates.merge.done', { count: result.merge.movedRelations })}</span>
        <Button size="compact-sm" variant="light" onClick={() => void undo()}>
          {t('duplicates.merge.undo')}
        </Button>
      </Group>
    ),
  });
};

const ValueCell = ({ object, objects, field, record, name, isChosen, onChoose, title }: {
  object: ObjectDefinition; objects: readonly ObjectDefinition[]; field: FieldDefinition; record: ApiRecord; name: string; isChosen: boolean; onChoose(): void; title: string;
}) => {
  const { t } = useTranslation();
  const labels = useLabels();
  const value = record[field.name];
  return (
    <Table.Td className={isChosen ? classes.chosen : undefined}>
      <label className={classes.choice}>
        <Radio name={name} checked={isChosen} onChange={onChoose} aria-label={t('duplicates.merge.keepValue', { field: labels.field(object, field), name: title })} />
        <span className={classes.value}>
          {isEmptyValue(value) ? <Text span size="sm" c="dimmed">{t('duplicates.merge.empty')}</Text> : <FieldValue object={object} field={field} value={value} objects={objects} />}
        </span>
      </label>
    </Table.Td>
  );
};

/** `/objects/:object/:id/merge/:other`: two records side by side, a value chosen per field, then one merge. */
export const MergePage = () => {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { id = '', other = '' } = useParams();
  const { object, objects, objectName, isLoading } = useObjectRoute();
  const fields = useMemo(() => (object ? mergeableFieldsOf(object) : []), [object]);
  const include = useMemo(() => includesOf(fields), [fields]);
  const first = useRecord({ object: objectName, id, include });
  const second = useRecord({ object: objectName, id: other, include });
  const [survivorId, setSurvivorId] = useState(id);
  const [choices, setChoices] = useState<MergeChoices>({});
  const [error, setError] = useState<unknown>(null);
  const [isMerging, setIsMerging] = useState(false);
  const records = first.data && second.data ? [first.data, second.data] : undefined;
  const survivor = records?.find((record) => record.id === survivorId);
  const merged = records?.find((record) => record.id !== survivorId);
  const preview = useMergePreview({ object: objectName, survivorId, mergedId: merged?.id ?? other });
  useDocumentTitle(object ? t('duplicates.merge.title', { name: labels.objectSingular(object) }) : undefined);

  // The defaults follow the record kept: its value where it has one, else the other's.
  useEffect(() => {
    if (survivor && merged) setChoices(defaultChoices(fields, survivor, merged));
  }, [fields, survivor, merged]);

  if (isLoading || first.isLoading || second.isLoading) return <LoadingScreen />;
  if (!object || !records || !survivor || !merged || isApiError(first.error, 'RECORD_NOT_FOUND') || isApiError(second.error, 'RECORD_NOT_FOUND')) return <NotFoundScreen />;
  const differing = differingFields(fields, records[0]!, records[1]!);
  const shown = fields.filter((field) => differing.has(field.name));
  const titleOf = (record: ApiRecord) => recordTitleOf(object, record) ?? t('fieldValue.untitled');

  const onMerge = async () => {
    setIsMerging(true);
    setError(null);
    try {
      const result = await mergeRecords(object.name, { survivorId: survivor.id, mergedIds: [merged.id], values: mergeValuesOf(fields, choices, survivor, merged), survivorVersion: survivor.version });
      await refresh(queryClient, object.name);
      notifyMerged({ result, t, queryClient, onUndone: () => void navigate(paths.record(object.name, result.merge.survivorId)) });
      void navigate(paths.record(object.name, survivor.id));
    } catch (caught) {
      setError(caught);
      await queryClient.invalidateQueries({ queryKey: queryKeys.records(object.name) });
    } finally {
      setIsMerging(false);
    }
  };

  return (
    <Stack gap="lg">
      <div>
        <Text size="sm" c="dimmed">
          <Anchor component={Link} to={paths.list(object.name)} c="dimmed">{labels.objectPlural(object)}</Anchor>
        </Text>
        <Title order={1} size="h2" tabIndex={-1} data-page-title>
          {t('duplicates.merge.title', { name: labels.objectSingular(object) })}
        </Title>
        <Text c="dimmed" size="sm" mt={4}>{t('duplicates.merge.description')}</Text>
      </div>
      {error ? <Alert color="red" role="alert" title={t('duplicates.merge.failed')}>{problemMessage(t, error)}</Alert> : null}
      <Paper withBorder radius="md" p={0} className={classes.card}>
        <Table verticalSpacing="sm" horizontalSpacing="md" className={classes.table}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" className={classes.fieldColumn}>{t('duplicates.merge.field')}</Table.Th>
              {records.map((record) => (
                <Table.Th scope="col" key={record.id}>
                  <Stack gap={4}>
                    <Anchor component={Link} to={paths.record(object.name, record.id)} fw={600}>{titleOf(record)}</Anchor>
                    <Radio name="survivor" checked={record.id === survivorId} onChange={() => setSurvivorId(record.id)} label={t('duplicates.merge.keepRecord')}
                      aria-label={t('duplicates.merge.keepRecordNamed', { name: titleOf(record) })} size="sm" />
                  </Stack>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((field) => (
              <Table.Tr key={field.name}>
                <Table.Th scope="row" className={classes.fieldColumn}>{labels.field(object, field)}</Table.Th>
                {records.map((record) => (
                  <ValueCell key={record.id} object={object} objects={objects} field={field} record={record} name={`field-${field.name}`} title={titleOf(record)}
                    isChosen={choices[field.name] === record.id} onChoose={() => setChoices((previous) => ({ ...previous, [field.name]: record.id }))} />
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {fields.length > shown.length ? (
          <Text size="sm" c="dimmed" px="md" py="sm" className={classes.footer}>{t('duplicates.merge.identical', { count: fields.length - shown.length })}</Text>
        ) : null}
      </Paper>
      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="merge-relations">
        <Title order={2} size="h4" id="merge-relations" mb="xs">{t('duplicates.merge.relationsTitle')}</Title>
        {preview.data && preview.data.length > 0 ? (
          <>
            <Text size="sm" mb="xs">{t('duplicates.merge.relationsMove', { name: titleOf(survivor) })}</Text>
            <List size="sm">
              {preview.data.map((relation) => {
                const target = objects.find((candidate) => candidate.name === relation.object);
                const field = target?.fields.find((candidate) => candidate.name === relation.field);
                return (
                  <List.Item key={`${relation.object}.${relation.field}`}>
                    {t('duplicates.merge.relationLine', { count: relation.count, object: target ? labels.objectPlural(target) : relation.object, field: target && field ? labels.field(target, field) : relation.field })}
                  </List.Item>
                );
              })}
            </List>
          </>
        ) : (
          <Text size="sm" c="dimmed">{preview.isLoading ? t('duplicates.merge.relationsLoading') : t('duplicates.merge.relationsNone')}</Text>
        )}
        <Text size="sm" c="dimmed" mt="sm">{t('duplicates.merge.trashNote', { name: titleOf(merged) })}</Text>
      </Paper>
      <Group justify="flex-end">
        <Button variant="default" component={Link} to={paths.record(object.name, id)}>{t('common.cancel')}</Button>
        <Button onClick={() => void onMerge()} loading={isMerging} leftSection={<IconArrowMerge size={16} aria-hidden />}>
          {t('duplicates.merge.submit')}
        </Button>
      </Group>
    </Stack>
  );
};
