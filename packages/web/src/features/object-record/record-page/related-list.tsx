import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { Anchor, Badge, Button, Group, Paper, Skeleton, Table, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../../api/client.ts';
import { problemMessage } from '../../../api/problem-messages.ts';
import { queryKeys } from '../../../api/queries.ts';
import type { RecordPage } from '../../../api/types.ts';
import { useFormat } from '../../../i18n/use-format.ts';
import { FieldValue } from '../../field-types/field-value.tsx';
import { useLabels, useSentenceLabels } from '../labels.ts';
import { findObject, includesOf, paths, recordTitleOf, tableFieldsOf, titleFieldOf } from '../metadata.ts';
import { rollupFieldsOf, rollupOf, rollupQueryOf, type Rollup } from './rollup-model.ts';
import classes from './record-page.module.css';

const SHOWN = 10;

/**
 * The related records' count and totals (rollup-model.ts) from `POST /records/{target}/aggregate`
 * filtered on the relation: every related record the caller may read, not only the ten listed.
 */
const useRollup = (target: ObjectDefinition | undefined, inverseName: string, recordId: string) => {
  const fields = useMemo(() => (target ? rollupFieldsOf(target) : []), [target]);
  return useQuery({
    queryKey: [...queryKeys.records(target?.name ?? ''), 'related-rollup', inverseName, recordId, fields.map((field) => field.name)],
    enabled: Boolean(target && inverseName) && fields.length > 0,
    queryFn: ({ signal }) =>
      api.post<{ data: Record<string, unknown>[] }>(`/records/${encodeURIComponent(target!.name)}/aggregate`, rollupQueryOf(fields, { field: inverseName, op: 'eq', value: recordId }), { signal }),
    select: (result) => rollupOf(result.data, fields),
  });
};

/** "Total amount: €1,200 · $300" for each field with a value, each currency apart. */
const RollupTotals = ({ target, rollup, objects }: { target: ObjectDefinition; rollup: Rollup; objects: readonly ObjectDefinition[] }) => {
  const { t } = useTranslation();
  const labels = useLabels();
  const sentence = useSentenceLabels();
  if (rollup.totals.length === 0) return null;
  return (
    <dl className={classes.rollups}>
      {rollup.totals.map(({ field, amounts }) => (
        <div key={field.name} className={classes.rollup}>
          <dt>{t('record.rollupTotal', { field: sentence.text(labels.field(target, field)) })}</dt>
          {amounts.map((amount) => (
            <dd key={amount.currency ?? ''}>
              <FieldValue object={target} field={field} value={amount.currency ? { amount: amount.value, currency: amount.currency } : amount.value} objects={objects} isCompact />
            </dd>
          ))}
        </div>
      ))}
    </dl>
  );
};

/** The records of another object that point to this one (a company's people), newest first. */
export const RelatedList = ({ object, field, objects, recordId }: { object: ObjectDefinition; field: FieldDefinition; objects: readonly ObjectDefinition[]; recordId: string }) => {
  const { t } = useTranslation();
  const labels = useLabels();
  const sentence = useSentenceLabels();
  const format = useFormat();
  const headingId = useId();
  const target = findObject(objects, field.options?.target);
  const inverseName = field.options?.inverseName ?? '';
  // Two columns besides the title: enough to tell records apart in a narrow panel.
  const columns = useMemo(() => (target ? tableFieldsOf(target).filter((candidate) => candidate.name !== titleFieldOf(target) && candidate.name !== inverseName).slice(0, 2) : []), [target, inverseName]);
  const rollup = useRollup(target, inverseName, recordId);
  const related = useQuery({
    queryKey: [...queryKeys.records(target?.name ?? ''), 'related', inverseName, recordId],
    enabled: Boolean(target && inverseName),
    queryFn: ({ signal }) =>
      api.post<RecordPage>(
        `/records/${encodeURIComponent(target!.name)}/query`,
        { filter: { field: inverseName, op: 'eq', value: recordId }, limit: SHOWN, count: true, include: includesOf(columns) },
        { signal },
      ),
  });
  if (!target) return null;
  const label = labels.field(object, field);
  const total = related.data?.totalCount ?? 0;
  const records = related.data?.data ?? [];

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
      <Group justify="space-between" mb={rollup.data?.totals.length ? 4 : 'sm'}>
        <Group gap="xs">
          <Title order={2} size="h4" id={headingId}>
            {label}
          </Title>
          {related.data ? <Badge variant="light" color="gray">{format.number(total)}</Badge> : null}
        </Group>
        <Button
          component={Link}
          to={`${paths.create(target.name)}?${new URLSearchParams({ [inverseName]: recordId }).toString()}`}
          size="xs"
          variant="subtle"
          leftSection={<IconPlus size={14} aria-hidden />}
        >
          {t('record.addRelated', { name: labels.objectSingular(target) })}
        </Button>
      </Group>
      {rollup.data ? <RollupTotals target={target} rollup={rollup.data} objects={objects} /> : null}
      {related.isLoading ? (
        <Skeleton height={60} />
      ) : related.error ? (
        <Text size="sm" c="red" role="alert">{problemMessage(t, related.error)}</Text>
      ) : records.length === 0 ? (
        <Text size="sm" c="dimmed">{t('record.noRelated', { name: sentence.text(label) })}</Text>
      ) : (
        <Table.ScrollContainer minWidth={360}>
          <Table verticalSpacing={6} highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{labels.field(target, target.fields.find((candidate) => candidate.name === titleFieldOf(target)) ?? { name: 'title', type: 'text', label: t('record.title') })}</Table.Th>
                {columns.map((column) => (
                  <Table.Th key={column.name} scope="col">{labels.field(target, column)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {records.map((record) => (
                <Table.Tr key={record.id}>
                  <Table.Td>
                    <Anchor component={Link} to={paths.record(target.name, record.id)} size="sm">
                      {recordTitleOf(target, record) ?? t('fieldValue.untitled')}
                    </Anchor>
                  </Table.Td>
                  {columns.map((column) => (
                    <Table.Td key={column.name}>
                      <FieldValue object={target} field={column} value={record[column.name]} objects={objects} isCompact />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {total > records.length ? (
        <Text size="xs" c="dimmed" mt="xs">
          {t('record.moreRelated', { count: total - records.length })}
        </Text>
      ) : null}
    </Paper>
  );
};
