import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { Alert, Button, Group, Popover, Stack, UnstyledButton } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client.ts';
import { splitFieldErrors } from '../../../api/problem-messages.ts';
import { queryKeys } from '../../../api/queries.ts';
import type { ApiRecord } from '../../../api/types.ts';
import { notify } from '../../../components/ui/notify.ts';
import { FieldInput } from '../../field-types/field-input.tsx';
import { toApiValue, toFormValue, FormValueError, type FormValue } from '../../field-types/form-values.ts';
import { useLabels } from '../labels.ts';
import { recordTitleOf } from '../metadata.ts';
import { isStale, refusalMessage, saveFields } from '../views/save-fields.ts';
import classes from './record-table.module.css';

export interface InlineEditCellProps {
  object: ObjectDefinition;
  objects: readonly ObjectDefinition[];
  field: FieldDefinition;
  record: ApiRecord;
  children: ReactNode;
}

const relatedOf = (value: unknown): ApiRecord[] | undefined => {
  if (Array.isArray(value)) return value.filter((item): item is ApiRecord => Boolean(item) && typeof item === 'object');
  return value && typeof value === 'object' && 'id' in value ? [value as ApiRecord] : undefined;
};

/**
 * A table cell that can be changed in place: its pencil button (or a double click) opens the field's own
 * editor next to the cell; Save sends `PATCH` with `If-Match`, and the API's message for the field shows
 * under the editor.
 */
export const InlineEditCell = ({ object, objects, field, record, children }: InlineEditCellProps) => {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [value, setValue] = useState<FormValue>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [general, setGeneral] = useState<string | undefined>();
  const [isSaving, setIsSaving] = useState(false);
  const fieldLabel = labels.field(object, field);
  const name = recordTitleOf(object, record) ?? t('fieldValue.untitled');

  const buttonRef = useRef<HTMLButtonElement>(null);
  const wasOpened = useRef(false);
  // Focus goes back to the cell's button when the editor closes.
  useEffect(() => {
    if (opened) wasOpened.current = true;
    else if (wasOpened.current) {
      wasOpened.current = false;
      buttonRef.current?.focus();
    }
  }, [opened]);
  const close = () => {
    setOpened(false);
    setFieldError(undefined);
    setGeneral(undefined);
  };

  const open = () => {
    setValue(toFormValue(field, record[field.name]));
    setFieldError(undefined);
    setGeneral(undefined);
    setOpened(true);
  };

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
    if (JSON.stringify(next) === JSON.stringify(toApiValue(field, toFormValue(field, record[field.name])))) return setOpened(false);
    setIsSaving(true);
    try {
      await saveFields(object.name, record, { [field.name]: next });
      await queryClient.invalidateQueries({ queryKey: queryKeys.records(object.name) });
      setOpened(false);
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
    } finally {
      setIsSaving(false);
    }
  };

  // Escape closes the editor, unless it closes an open list (a select's options) first.
  const onEditorKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Escape' && (event.target as HTMLElement).getAttribute('aria-expanded') !== 'true') close();
  };

  const related = relatedOf(record[field.name]);
  const editLabel = t('inlineEdit.edit', { field: fieldLabel, name });
  const button = (
    <UnstyledButton ref={buttonRef} className={classes.editButton} onClick={open} aria-label={editLabel} title={editLabel}>
      <IconPencil size={14} aria-hidden />
    </UnstyledButton>
  );
  // A table shows hundreds of cells: the popover exists only while its editor is open.
  if (!opened) {
    return (
      <div className={classes.editable} data-invalid={fieldError ? true : undefined} onDoubleClick={open}>
        <div className={classes.cellValue}>{children}</div>
        {button}
      </div>
    );
  }
  return (
    <div className={classes.editable} data-invalid={fieldError ? true : undefined}>
      <div className={classes.cellValue}>{children}</div>
      <Popover opened onChange={(next) => !next && close()} closeOnClickOutside={false} closeOnEscape={false} trapFocus withinPortal position="bottom-end" width={320} shadow="md">
        <Popover.Target>{button}</Popover.Target>
        <Popover.Dropdown>
          <form onSubmit={onSubmit} noValidate aria-label={t('inlineEdit.edit', { field: fieldLabel, name })} onKeyDown={onEditorKeyDown}>
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
                <Button variant="default" size="xs" onClick={close} disabled={isSaving}>
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
    </div>
  );
};
