import type { ObjectDefinition } from '@rapport/common';
import { Alert, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { IconAlertCircle, IconCircleCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { fieldErrorMessage } from '../../api/problem-messages.ts';
import { FieldValue } from '../field-types/field-value.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { relationKindOf } from '../object-record/metadata.ts';
import { errorsByCell, previewColumnsOf, previewValueAt, targetLabelOf, type ImportPreview, type ImportTarget, type PreviewCellError } from './import-model.ts';
import classes from './imports.module.css';

export interface PreviewStepProps {
  object: ObjectDefinition;
  objects: ObjectDefinition[];
  preview: ImportPreview;
  targets: ImportTarget[];
  isStarting: boolean;
  error: string | null;
  onBack(): void;
  onDryRun(): void;
  onImport(): void;
}

const asText = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // A related record as the API shows it: its title; else the value's parts.
    for (const key of ['label', 'name', 'title']) if (typeof record[key] === 'string') return record[key];
    return Array.isArray(value) ? value.map(asText).join(', ') : Object.values(record).filter((part) => part !== null && part !== '').map(asText).join(', ');
  }
  return String(value);
};

/** A cell's problems, in the interface language as the forms show them (English keeps the API's own words). */
const CellErrors = ({ errors }: { errors: PreviewCellError[] }) => {
  const { t, i18n } = useTranslation();
  return (
    <>
      {errors.map((error, index) => (
        <span key={index} className={classes.cellError}>
          <IconAlertCircle size={14} aria-hidden style={{ flex: 'none', marginTop: 1 }} />
          {fieldErrorMessage(t, i18n.resolvedLanguage ?? i18n.language, error)}
        </span>
      ))}
    </>
  );
};

/** Step 3: the first rows as they will be stored, each problem on its cell; then a dry run or the import. */
export const PreviewStep = ({ object, objects, preview, targets, isStarting, error, onBack, onDryRun, onImport }: PreviewStepProps) => {
  const { t } = useTranslation();
  const format = useFormat();
  const columns = previewColumnsOf(preview.headers, preview.mapping);
  const columnTargets = new Set(columns.map((column) => column.target));
  const rows = preview.sampleRows.map((row) => ({ row, ...errorsByCell(row, preview.mapping, columnTargets) }));
  const badRows = preview.sampleRows.filter((row) => row.errors.length > 0).length;
  const fieldOf = (target: string) => object.fields.find((field) => field.name === target);

  return (
    <Stack gap="md">
      <Group gap="sm">
        <Text size="sm" c="dimmed">
          {t('imports.preview.intro', { count: preview.sampleRows.length, formatted: format.number(preview.sampleRows.length) })}
        </Text>
        {badRows > 0 ? (
          <Badge color="red" variant="light" leftSection={<IconAlertCircle size={14} aria-hidden />}>
            {t('imports.preview.badRows', { count: badRows, formatted: format.number(badRows) })}
          </Badge>
        ) : (
          <Badge color="green" variant="light" leftSection={<IconCircleCheck size={14} aria-hidden />}>
            {t('imports.preview.noProblems')}
          </Badge>
        )}
      </Group>
      {preview.sampleRows.length === 0 ? (
        <Alert color="yellow">{t('imports.preview.noRows')}</Alert>
      ) : (
        <div className={classes.tableScroll} tabIndex={0} role="region" aria-label={t('imports.preview.tableLabel')}>
          <Table className={classes.previewTable} verticalSpacing={6} withColumnBorders>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('imports.preview.row')}</Table.Th>
                {columns.map((column) => (
                  <Table.Th key={column.target}>
                    <Text size="sm" fw={600} component="span" display="block">
                      {targetLabelOf(targets, column.target)}
                    </Text>
                    <Text size="xs" c="dimmed" component="span" display="block" fw={400}>
                      {t('imports.preview.fromColumn', { column: column.column })}
                    </Text>
                  </Table.Th>
                ))}
                <Table.Th>{t('imports.preview.problems')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map(({ row, cells, rest: rowErrors }) => {
                return (
                  <Table.Tr key={row.rowNumber} data-invalid={row.errors.length > 0 || undefined}>
                    <Table.Td className={classes.rowNumber}>{format.number(row.rowNumber)}</Table.Td>
                    {columns.map((column) => {
                      const errors = cells.get(column.target) ?? [];
                      const field = fieldOf(column.target);
                      const value = previewValueAt(row, column.target);
                      const useRenderer = field && !relationKindOf(field) && value !== undefined;
                      return (
                        <Table.Td key={column.target} className={errors.length > 0 ? classes.badCell : undefined} data-target={column.target} aria-invalid={errors.length > 0 || undefined}>
                          {useRenderer ? <FieldValue object={object} field={field} value={value} objects={objects} isCompact /> : <Text size="sm">{asText(value)}</Text>}
                          <CellErrors errors={errors} />
                        </Table.Td>
                      );
                    })}
                    <Table.Td>
                      {row.errors.length === 0 ? (
                        <Text size="sm" c="dimmed">
                          —
                        </Text>
                      ) : (
                        <Text size="sm" c="red" fw={600}>
                          {t('imports.preview.rowProblems', { count: row.errors.length, formatted: format.number(row.errors.length) })}
                        </Text>
                      )}
                      <CellErrors errors={rowErrors} />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </div>
      )}
      <Text size="sm" c="dimmed">
        {t('imports.preview.dryRunHelp')}
      </Text>
      {error ? (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      ) : null}
      <Group>
        <Button variant="default" onClick={onBack} disabled={isStarting}>
          {t('common.back')}
        </Button>
        <Button variant="light" onClick={onDryRun} disabled={isStarting}>
          {t('imports.preview.dryRun')}
        </Button>
        <Button onClick={onImport} disabled={isStarting}>
          {t('imports.preview.import')}
        </Button>
      </Group>
    </Stack>
  );
};
