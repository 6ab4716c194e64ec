import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { Alert, Button, Group, List, Modal, Select, Stack, Text } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys } from '../../../api/queries.ts';
import type { ApiRecord } from '../../../api/types.ts';
import { notify } from '../../../components/ui/notify.ts';
import { FieldInput } from '../../field-types/field-input.tsx';
import { FormValueError, toApiValue, toFormValue, type FormValue } from '../../field-types/form-values.ts';
import { useLabels } from '../labels.ts';
import { formFieldsOf, recordTitleOf } from '../metadata.ts';
import { isStale, refusalMessage, saveFields } from '../views/save-fields.ts';

export interface MassEditReport {
  updated: number;
  /** Records someone else changed since they were loaded: left as they are. */
  conflicts: string[];
  refused: { name: string; message: string }[];
}

// Records are saved a few at a time, each with its own If-Match, so one conflict costs only its record.
const CONCURRENCY = 4;

/** Sets one field to one value on the selected records and reports what could not be saved. */
export const MassEditButton = ({ object, objects, records }: { object: ObjectDefinition; objects: readonly ObjectDefinition[]; records: ApiRecord[] }) => {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const fields = formFieldsOf(object);
  const [isOpen, setIsOpen] = useState(false);
  const [field, setField] = useState<FieldDefinition | undefined>();
  const [value, setValue] = useState<FormValue>(null);
  const [error, setError] = useState<string>();
  const [isSaving, setIsSaving] = useState(false);
  const [report, setReport] = useState<MassEditReport>();
  const nameOf = (record: ApiRecord) => recordTitleOf(object, record) ?? t('fieldValue.untitled');

  const open = () => {
    setField(undefined);
    setValue(null);
    setError(undefined);
    setReport(undefined);
    setIsOpen(true);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!field) return;
    let next: unknown;
    try {
      next = toApiValue(field, value);
    } catch (problem) {
      if (problem instanceof FormValueError) return setError(t(`form.${problem.code}`));
      throw problem;
    }
    setIsSaving(true);
    const result: MassEditReport = { updated: 0, conflicts: [], refused: [] };
    const queue = [...records];
    const work = async () => {
      for (let record = queue.shift(); record; record = queue.shift()) {
        try {
          await saveFields(object.name, record, { [field.name]: next });
          result.updated += 1;
        } catch (problem) {
          if (isStale(problem)) result.conflicts.push(nameOf(record));
          else result.refused.push({ name: nameOf(record), message: refusalMessage(t, i18n.resolvedLanguage ?? i18n.language, problem) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, records.length) }, work));
    setIsSaving(false);
    await queryClient.invalidateQueries({ queryKey: queryKeys.records(object.name) });
    if (result.conflicts.length === 0 && result.refused.length === 0) {
      setIsOpen(false);
      notify({ message: t('savedViews.massEditDone', { count: result.updated, field: labels.field(object, field) }) });
    } else {
      setReport(result);
    }
  };

  return (
    <>
      <Button size="compact-sm" variant="light" leftSection={<IconPencil size={14} aria-hidden />} onClick={open}>
        {t('savedViews.massEdit', { count: records.length })}
      </Button>
      <Modal opened={isOpen} onClose={() => setIsOpen(false)} title={t('savedViews.massEditTitle', { count: records.length })} closeButtonProps={{ 'aria-label': t('common.close') }}>
        {report ? (
          <Stack gap="sm">
            <Alert color="red" role="alert" title={t('savedViews.massEditPartial', { count: report.updated, total: records.length })}>
              <Stack gap="xs">
                {report.conflicts.length > 0 ? (
                  <div>
                    <Text size="sm" fw={600}>
                      {t('savedViews.massEditConflicts')}
                    </Text>
                    <List size="sm">
                      {report.conflicts.map((name, index) => (
                        <List.Item key={index}>{name}</List.Item>
                      ))}
                    </List>
                  </div>
                ) : null}
                {report.refused.length > 0 ? (
                  <div>
                    <Text size="sm" fw={600}>
                      {t('savedViews.massEditRefused')}
                    </Text>
                    <List size="sm">
                      {report.refused.map((item, index) => (
                        <List.Item key={index}>
                          {item.name}: {item.message}
                        </List.Item>
                      ))}
                    </List>
                  </div>
                ) : null}
              </Stack>
            </Alert>
            <Group justify="flex-end">
              <Button onClick={() => setIsOpen(false)}>{t('common.close')}</Button>
            </Group>
          </Stack>
        ) : (
          <form onSubmit={(event) => void onSubmit(event)}>
            <Stack gap="md">
              <Select
                label={t('savedViews.massEditField')}
                data={fields.map((candidate) => ({ value: candidate.name, label: labels.field(object, candidate) }))}
                value={field?.name ?? null}
                onChange={(name) => {
                  const next = fields.find((candidate) => candidate.name === name);
                  setField(next);
                  setValue(next ? toFormValue(next, null) : null);
                  setError(undefined);
                }}
                searchable
                comboboxProps={{ withinPortal: false }}
              />
              {field ? <FieldInput object={object} field={field} objects={objects} value={value} onChange={setValue} error={error} /> : null}
              <Text size="xs" c="dimmed">
                {t('savedViews.massEditHelp')}
              </Text>
              <Group justify="flex-end" gap="sm">
                <Button variant="default" onClick={() => setIsOpen(false)}>
                  {t('common.cancel')}
                </Button>
                <Button type="submit" loading={isSaving} disabled={!field}>
                  {t('savedViews.massEditApply', { count: records.length })}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
    </>
  );
};
