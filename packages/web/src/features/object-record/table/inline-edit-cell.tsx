import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { Alert, Button, Group, Popover, Stack } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client.ts';
import { splitFieldErrors } from '../../../api/problem-messages.ts';
import { queryKeys } from '../../../api/queries.ts';
import type { ApiRecord } from '../../../api/types.ts';
import { notify } from '../../../components/ui/notify.ts';
import { FieldInput } from '../../field-types/field-input.tsx';
import { valueKindOf } from '../../field-types/field-kind.ts';
import { toApiValue, toFormValue, FormValueError, type FormValue } from '../../field-types/form-values.ts';
import { useLabels } from '../labels.ts';
import { recordTitleOf } from '../metadata.ts';
import { isStale, refusalMessage, saveFields } from '../views/save-fields.ts';
import classes from './record-table.module.css';

export interface InlineEditorProps {
  object: ObjectDefinition;
  objects: readonly ObjectDefinition[];
  field: FieldDefinition;
  record: ApiRecord;
  /** The editor's name, e.g. "Edit Job title of Ada Lovelace". */
  editLabel: string;
  /** The cell's value, shown under the editor. */
  children: ReactNode;
  onClose(): void;
}

const relatedOf = (value: unknown): ApiRecord[] | undefined => {
  if (Array.isArray(value)) return value.filter((item): item is ApiRecord => Boolean(item) && typeof item === 'object');
  return value && typeof value === 'object' && 'id' in value ? [value as ApiRecord] : undefined;
};

/**
 * A table cell's editor, open: the field's own input next to the cell; Save sends `PATCH` with
 * `If-Match`, and the API's message for the field shows under the input. The table renders it in the
 * one cell being edited (a table of a thousand cells has one editor, not a thousand closed ones).
 */
export const InlineEditor = ({ object, objects, field, record, editLabel, onClose, children }: InlineEditorProps) => {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const [value, setValue] = useState<FormValue>(() => toFormValue(field, record[field.name]));
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [general, setGeneral] = useState<string | undefined>();
  const [isSaving, setIsSaving] = useState(false);
  const fieldLabel = labels.field(object, field);
  const name = recordTitleOf(object, record) ?? t('fieldValue.untitled');

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    event.stopPropagation();
    let next: unknown;
    try {
      next = toApiValue(field, value);
    } catch (error) {
      if (error instanceof FormValueError) return setFieldError(t(`form.${error.code}`));
      throw error;
    }
    if (JSON.stringify(next) === JSON.stringify(toApiValue(field, toFormValue(field, record[field.name])))) return onClose();
    setIsSaving(true);
    try {
      await saveFields(object.name, record, { [field.name]: next });
      await queryClient.invalidateQueries({ queryKey: queryKeys.records(object.name) });
      onClose();
      notify({ message: t('inlineEdit.saved', { field: fieldLabel, name }) });
    } catch (error) {
      if (isStale(error)) {
        // Someone else saved first: reload the row (its new version), keep what was typed to try again.
        setFieldError(undefined);
        setGeneral(t('views.changedElsewhere'));
        await queryClient.invalidateQueries({ queryKey: queryKeys.records(object.name) });
      } else if (isApiError(error)) {
        const split = splitFieldErrors(t, i18n.resolvedLanguage ?? i18n.language, error.fieldErrors, new Set([field.name]));
        setFieldError(split.byField[field.name]);
        setGeneral(split.general.length > 0 ? split.general.join(' ') : split.byField[field.name] ? undefined : refusalMessage(t, i18n.resolvedLanguage ?? i18n.language, error));
      } else {
        setGeneral(refusalMessage(t, i18n.resolvedLanguage ?? i18n.language, error));
      }
      setIsSaving(false);
    }
  };

  // Escape closes the editor, unless it closes an open list (a select's options) first.
  const onEditorKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Escape' && (event.target as HTMLElement).getAttribute('aria-expanded') !== 'true') onClose();
  };

  const related = relatedOf(record[field.name]);
  return (
    <>
      {children}
      <Popover opened onChange={(next) => !next && onClose()} closeOnClickOutside={false} closeOnEscape={false} trapFocus withinPortal position="bottom-end" width={valueKindOf(field) === 'reference' ? 440 : 320} shadow="md">
        <Popover.Target>
          {/* The pencil stays on the cell while its editor is open (drawn by record-table.module.css). */}
          <button type="button" className={classes.editButton} data-invalid={fieldError ? true : undefined} aria-label={editLabel} title={editLabel} tabIndex={-1} />
        </Popover.Target>
        <Popover.Dropdown>
          <form onSubmit={onSubmit} noValidate aria-label={editLabel} onKeyDown={onEditorKeyDown}>
            <Stack gap="xs">
              {general ? (
                <Alert color="red" role="alert" p="xs">
                  {general}
                </Alert>
              ) : null}
              <FieldInput
                object={object}
                field={field}
                objects={objects}
                value={value}
                onChange={(next) => {
                  setValue(next);
                  setFieldError(undefined);
                }}
                error={fieldError}
                {...(related ? { relatedRecords: related } : {})}
              />
              <Group justify="flex-end" gap="xs">
                <Button variant="default" size="xs" onClick={onClose} disabled={isSaving}>
                  {t('common.cancel')}
                </Button>
                <Button type="submit" size="xs" loading={isSaving}>
                  {t('common.save')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Popover.Dropdown>
      </Popover>
    </>
  );
};
