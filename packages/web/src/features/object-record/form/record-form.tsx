import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { Alert, Box, Button, Group, SimpleGrid, Title } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../../api/client.ts';
import { problemMessage, splitFieldErrors } from '../../../api/problem-messages.ts';
import { queryKeys, useObjectLayout } from '../../../api/queries.ts';
import { notify } from '../../../components/ui/notify.ts';
import type { ApiRecord } from '../../../api/types.ts';
import { FieldInput } from '../../field-types/field-input.tsx';
import { valueKindOf } from '../../field-types/field-kind.ts';
import { buildRecordBody, toFormValue, type FormValue } from '../../field-types/form-values.ts';
import { useLabels } from '../labels.ts';
import { formFieldsOf, sectionsOf } from '../metadata.ts';
import { CreateDuplicateNotice } from '../../duplicates/create-duplicate-notice.tsx';

export interface RecordFormProps {
  object: ObjectDefinition;
  objects: readonly ObjectDefinition[];
  /** The record to edit (read with its relations included); absent to create one. */
  record?: ApiRecord;
  /** Values a new record starts with (e.g. its parent when created from a related list). */
  defaults?: ApiRecord;
  onSaved(record: ApiRecord): void;
  onCancel(): void;
}

// A constant default is shown in a new form; an expression default is left to the server.
const constantDefaultOf = (field: FieldDefinition): unknown =>
  field.defaultValue && typeof field.defaultValue === 'object' && 'expression' in field.defaultValue ? undefined : field.defaultValue;

const WIDE_KINDS = new Set(['address', 'longText', 'richText', 'json']);

/** A create or edit form generated from the object's fields; the API's per-field messages appear next to each field. */
export const RecordForm = ({ object, objects, record, defaults, onSaved, onCancel }: RecordFormProps) => {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const fields = useMemo(() => formFieldsOf(object), [object]);
  const fieldNames = useMemo(() => new Set(fields.map((field) => field.name)), [fields]);
  const layout = useObjectLayout(object.name);
  const sections = useMemo(() => sectionsOf(fields, layout.data?.isDefault ? undefined : layout.data), [fields, layout.data]);
  const initial = useMemo(() => Object.fromEntries(fields.map((field) => [field.name, toFormValue(field, record ? record[field.name] : (defaults?.[field.name] ?? constantDefaultOf(field)))])), [fields, record, defaults]);
  const [values, setValues] = useState<Record<string, FormValue>>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [generalErrors, setGeneralErrors] = useState<string[]>([]);
  const [isSaving, setIsSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const [focusToken, setFocusToken] = useState(0);

  // After a failed save, focus goes to the first field with a message (or the summary).
  useEffect(() => {
    if (focusToken === 0) return;
    const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], [data-form-alert]');
    invalid?.focus();
  }, [focusToken]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const { body, invalid } = buildRecordBody({ fields, values, ...(record ? { initial } : {}) });
    if (Object.keys(invalid).length > 0) {
      setErrors(Object.fromEntries(Object.entries(invalid).map(([name, code]) => [name, t(`form.${code}`)])));
      setGeneralErrors([]);
      setFocusToken((n) => n + 1);
      return;
    }
    if (record && Object.keys(body).length === 0) {
      onSaved(record);
      return;
    }
    setIsSaving(true);
    try {
      const path = `/records/${encodeURIComponent(object.name)}`;
      const saved = record
        ? await api.patch<ApiRecord>(`${path}/${encodeURIComponent(record.id)}`, body, { ifMatch: record.version })
        : await api.post<ApiRecord>(path, body);
      await queryClient.invalidateQueries({ queryKey: queryKeys.records(object.name) });
      notify({ message: record ? t('form.updated', { name: labels.objectSingular(object) }) : t('form.created', { name: labels.objectSingular(object) }) });
      onSaved(saved);
    } catch (error) {
      const split = isApiError(error) ? splitFieldErrors(t, i18n.resolvedLanguage ?? i18n.language, error.fieldErrors, fieldNames) : { byField: {}, general: [] };
      setErrors(split.byField);
      const summary = isApiError(error, 'VERSION_MISMATCH') || Object.keys(split.byField).length === 0 ? [problemMessage(t, error)] : [];
      setGeneralErrors([...summary, ...split.general]);
      setFocusToken((n) => n + 1);
    } finally {
      setIsSaving(false);
    }
  };

  const relatedOf = (name: string): ApiRecord[] | undefined => {
    const related = record?.[name];
    if (Array.isArray(related)) return related.filter((item): item is ApiRecord => Boolean(item) && typeof item === 'object');
    return related && typeof related === 'object' ? [related as ApiRecord] : undefined;
  };

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-label={record ? t('form.editTitle', { name: labels.objectSingular(object) }) : t('form.createTitle', { name: labels.objectSingular(object) })}>
      {generalErrors.length > 0 ? (
        <Alert color="red" icon={<IconAlertCircle aria-hidden />} title={t('form.notSaved')} mb="md" role="alert" tabIndex={-1} data-form-alert>
          {generalErrors.map((message) => (
            <div key={message}>{message}</div>
          ))}
        </Alert>
      ) : null}
      {sections.map((section, index) => (
        <Box key={section.title ?? `section-${index}`} component="fieldset" p={0} mx={0} mt={0} mb="lg" style={{ border: 0, minWidth: 0 }}>
          {sections.length > 1 || section.title ? (
            <Title order={2} size="h5" component="legend" mb="xs" p={0}>
              {section.title ?? t('record.details')}
            </Title>
          ) : null}
          <SimpleGrid cols={{ base: 1, md: section.columns }} spacing="md" verticalSpacing="sm">
            {section.fields.map((field) => (
              <Box key={field.name} style={WIDE_KINDS.has(valueKindOf(field)) ? { gridColumn: '1 / -1' } : undefined}>
                <FieldInput
                  object={object}
                  field={field}
                  objects={objects}
                  value={values[field.name] ?? null}
                  onChange={(value) => {
                    setValues((previous) => ({ ...previous, [field.name]: value }));
                    if (errors[field.name]) setErrors(({ [field.name]: _removed, ...rest }) => rest);
                  }}
                  error={errors[field.name]}
                  {...(relatedOf(field.name) ? { relatedRecords: relatedOf(field.name)! } : {})}
                />
              </Box>
            ))}
          </SimpleGrid>
        </Box>
      ))}
      {record ? null : <CreateDuplicateNotice object={object} fields={fields} values={values} />}
      <Group justify="flex-end" mt="xl">
        <Button variant="default" onClick={onCancel} disabled={isSaving}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" loading={isSaving}>
          {record ? t('common.save') : t('form.create')}
        </Button>
      </Group>
    </form>
  );
};
