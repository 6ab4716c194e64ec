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

const SHOWN = 10;

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
      <Group justify="space-between" mb="sm">
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
