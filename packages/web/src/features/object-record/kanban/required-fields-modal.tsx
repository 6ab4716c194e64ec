import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client.ts';
import { splitFieldErrors } from '../../../api/problem-messages.ts';
import type { ApiRecord } from '../../../api/types.ts';
import { FieldInput } from '../../field-types/field-input.tsx';
import { FormValueError, toApiValue, toFormValue, type FormValue } from '../../field-types/form-values.ts';
import { useLabels } from '../labels.ts';
import { refusalMessage } from '../views/save-fields.ts';

export interface RequiredFieldsRequest {
  record: ApiRecord;
  /** The column the card was dropped on, and its name. */
  key: string;
  column: string;
  fields: FieldDefinition[];
}

/**
 * A move the server refused because the stage requires fields the record lacks: the missing fields'
 * own editors, and "Move" to send the stage with them in one save (`onMove`, which throws the API's
 * refusal). Cancel leaves the record where it was.
 */
export const RequiredFieldsModal = ({ object, objects, request, onMove, onClose }: { object: ObjectDefinition; objects: readonly ObjectDefinition[]; request: RequiredFieldsRequest; onMove(values: Record<string, unknown>): Promise<void>; onClose(): void }) => {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const [values, setValues] = useState<Record<string, FormValue>>(() => Object.fromEntries(request.fields.map((field) => [field.name, toFormValue(field, request.record[field.name])])));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | undefined>();
  const [isSaving, setIsSaving] = useState(false);
  const names = request.fields.map((field) => labels.field(object, field));
  const title = t('kanban.requiredTitle', { column: request.column, fields: new Intl.ListFormat(language, { type: 'conjunction' }).format(names) });

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const body: Record<string, unknown> = {};
    const invalid: Record<string, string> = {};
    for (const field of request.fields) {
      try {
        const value = toApiValue(field, values[field.name] ?? null);
        if (value === null || value === undefined || value === '') invalid[field.name] = t('fieldErrors.required');
        else body[field.name] = value;
      } catch (error) {
        if (error instanceof FormValueError) invalid[field.name] = t(`form.${error.code}`);
        else throw error;
      }
    }
    setErrors(invalid);
    if (Object.keys(invalid).length > 0) return;
    setIsSaving(true);
    setGeneral(undefined);
    try {
      await onMove(body);
    } catch (error) {
      if (isApiError(error) && error.fieldErrors.length > 0) {
        const split = splitFieldErrors(t, language, error.fieldErrors, new Set(request.fields.map((field) => field.name)));
        setErrors(split.byField);
        setGeneral(split.general.length > 0 ? split.general.join(' ') : undefined);
      } else {
        setGeneral(refusalMessage(t, language, error));
      }
      setIsSaving(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={title} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Text size="sm">{t('kanban.requiredHelp', { column: request.column })}</Text>
          {general ? (
            <Alert color="red" role="alert" p="xs">
              {general}
            </Alert>
          ) : null}
          {request.fields.map((field) => (
            <FieldInput
              key={field.name}
              object={object}
              field={{ ...field, required: true }}
              objects={objects}
              value={values[field.name] ?? null}
              onChange={(next) => {
                setValues((previous) => ({ ...previous, [field.name]: next }));
                setErrors(({ [field.name]: _dropped, ...rest }) => rest);
              }}
              error={errors[field.name]}
            />
          ))}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose} disabled={isSaving}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={isSaving}>
              {t('kanban.requiredMove')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
};
