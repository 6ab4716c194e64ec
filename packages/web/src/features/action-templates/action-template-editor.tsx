import { Alert, Button, Group, MultiSelect, NumberInput, Radio, Select, SimpleGrid, Stack, Switch, Textarea, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client.ts';
import { problemMessage, splitFieldErrors } from '../../api/problem-messages.ts';
import { queryKeys } from '../../api/queries.ts';
import type { ApiRecord } from '../../api/types.ts';
import { notify } from '../../components/ui/notify.ts';
import type { RecordFormProps } from '../object-record/form/record-form.tsx';
import { useLabels } from '../object-record/labels.ts';
import { ACTIVITY_OBJECTS, activityLinksOf, hasActivities } from '../object-record/record-page/activity-model.ts';
import {
  bodyOf,
  formOf,
  isDue,
  MAX_DUE_DAYS,
  MAX_TITLE_LENGTH,
  objectOptionsOf,
  TEMPLATE_ACTIONS,
  TEMPLATE_FIELDS,
  TEMPLATE_PRIORITIES,
  validateForm,
  type TemplateField,
  type TemplateForm,
} from './action-template-model.ts';

// The template rules' own codes (action-template-rules.ts): a sentence in every language; others: the app's usual messages.
const TEMPLATE_CODES = ['unknownObject', 'invalidObjectList', 'invalidTime'] as const;
type TemplateCode = (typeof TEMPLATE_CODES)[number];
const isTemplateCode = (code: string): code is TemplateCode => (TEMPLATE_CODES as readonly string[]).includes(code);
const FIELD_NAMES: ReadonlySet<string> = new Set(TEMPLATE_FIELDS);
// Shown as written: the template's own placeholders, given as values so that i18next does not read them as its own.
const PLACEHOLDERS = { titlePlaceholder: '{{title}}', fieldPlaceholder: '{{field}}', example: '{{company}}' };

/**
 * Creates or edits an `actionTemplate` (in place of the generic record form, where `objects` is JSON): what it makes,
 * its texts with placeholders, when it is due, and the objects it is offered on as a multi-select. Saved through the
 * records API (`If-Match` on edit); the server's field errors show beside their fields.
 */
export const ActionTemplateEditor = ({ object, objects, record, defaults, onSaved, onCancel }: RecordFormProps) => {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const initial = useMemo(() => formOf(record, typeof defaults?.position === 'number' ? defaults.position : 1), [record, defaults]);
  const [form, setForm] = useState<TemplateForm>(initial);
  const [errors, setErrors] = useState<Partial<Record<TemplateField, string>>>({});
  const [generalErrors, setGeneralErrors] = useState<string[]>([]);
  const [isSaving, setIsSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const [focusToken, setFocusToken] = useState(0);

  useEffect(() => {
    if (focusToken === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], [data-form-alert]')?.focus();
  }, [focusToken]);

  const set = <K extends keyof TemplateForm>(field: K, value: TemplateForm[K]) => {
    setForm((previous) => ({ ...previous, [field]: value }));
    setErrors((previous) => {
      const next = { ...previous };
      delete next[field as TemplateField];
      return next;
    });
  };

  const fieldOf = (name: string) => object.fields.find((field) => field.name === name);
  const fieldLabel = (name: string, fallback: string) => {
    const field = fieldOf(name);
    return field ? labels.field(object, field) : fallback;
  };
  const choiceLabel = (name: string, value: string) => {
    const field = fieldOf(name);
    const choice = field?.options?.choices?.find((each) => each.value === value);
    return field && choice ? labels.choice(object, field, choice) : value;
  };
  const objectOptions = useMemo(
    () =>
      objectOptionsOf(
        objects,
        form.objects,
        (candidate) => !(ACTIVITY_OBJECTS as readonly string[]).includes(candidate.name) && candidate.name !== object.name && hasActivities(activityLinksOf(objects, candidate.name)),
        (candidate) => labels.objectPlural(candidate),
      ),
    [objects, form.objects, labels, object.name],
  );

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const problems = validateForm(form);
    if (Object.keys(problems).length > 0) {
      setErrors(Object.fromEntries(Object.entries(problems).map(([field, code]) => [field, t(`actionTemplates.errors.${code}`, { max: field === 'title' ? MAX_TITLE_LENGTH : MAX_DUE_DAYS })])));
      setGeneralErrors([]);
      setFocusToken((n) => n + 1);
      return;
    }
    const body = bodyOf(form, record ? initial : undefined);
    if (record && Object.keys(body).length === 0) {
      onSaved(record);
      return;
    }
    setIsSaving(true);
    try {
      const path = `/records/${encodeURIComponent(object.name)}`;
      const saved = record ? await api.patch<ApiRecord>(`${path}/${encodeURIComponent(record.id)}`, body, { ifMatch: record.version }) : await api.post<ApiRecord>(path, body);
      await queryClient.invalidateQueries({ queryKey: queryKeys.records(object.name) });
      // The quick-actions menus read the templates offered per object.
      await queryClient.invalidateQueries({ queryKey: ['action-templates'] });
      notify({ message: record ? t('actionTemplates.saved', { name: form.name.trim() }) : t('actionTemplates.created', { name: form.name.trim() }) });
      onSaved(saved);
    } catch (error) {
      const language = i18n.resolvedLanguage ?? i18n.language;
      const fieldErrors = isApiError(error) ? error.fieldErrors : [];
      // The server names the unknown objects in English: the translation says which field, the list is in the input.
      const split = splitFieldErrors(t, language, fieldErrors, FIELD_NAMES, (item) => (isTemplateCode(item.code) ? t(`actionTemplates.errors.${item.code}`) : undefined));
      const byField: Partial<Record<TemplateField, string>> = { ...split.byField };
      setErrors(byField);
      const summary = isApiError(error, 'VERSION_MISMATCH') || Object.keys(byField).length === 0 ? [problemMessage(t, error)] : [];
      setGeneralErrors([...summary, ...split.general]);
      setFocusToken((n) => n + 1);
    } finally {
      setIsSaving(false);
    }
  };

  const due = isDue(form.action);
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-label={record ? t('actionTemplates.editTitle', { name: initial.name }) : t('actionTemplates.newTitle')}>
      <Stack gap="md">
        {generalErrors.length > 0 ? (
          <Alert color="red" icon={<IconAlertCircle aria-hidden />} title={t('form.notSaved')} role="alert" tabIndex={-1} data-form-alert>
            {generalErrors.map((message) => (
              <div key={message}>{message}</div>
            ))}
          </Alert>
        ) : null}
        <TextInput label={fieldLabel('name', 'Name')} description={t('actionTemplates.nameHelp')} required value={form.name} onChange={(event) => set('name', event.currentTarget.value)} error={errors.name} maxLength={200} data-autofocus />
        <Radio.Group label={fieldLabel('action', 'Creates')} value={form.action} onChange={(value) => set('action', (TEMPLATE_ACTIONS as readonly string[]).includes(value) ? (value as TemplateForm['action']) : 'task')} error={errors.action} required>
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs" mt="xs">
            {TEMPLATE_ACTIONS.map((action) => (
              <Radio key={action} value={action} label={choiceLabel('action', action)} description={t(`actionTemplates.actionHelp.${action}`)} />
            ))}
          </SimpleGrid>
        </Radio.Group>
        <TextInput
          label={form.action === 'followUpEmail' ? t('actionTemplates.subject') : fieldLabel('title', 'Title')}
          description={t('actionTemplates.placeholdersHelp', PLACEHOLDERS)}
          required
          value={form.title}
          onChange={(event) => set('title', event.currentTarget.value)}
          error={errors.title}
          maxLength={MAX_TITLE_LENGTH + 50}
        />
        <Textarea label={fieldLabel('body', 'Text')} description={t(`actionTemplates.bodyHelp.${form.action}`)} value={form.body} onChange={(event) => set('body', event.currentTarget.value)} error={errors.body} autosize minRows={3} maxRows={10} />
        {due ? (
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="sm">
            <NumberInput label={fieldLabel('dueInDays', 'Due in (days)')} description={t('actionTemplates.dueInDaysHelp')} min={0} max={MAX_DUE_DAYS} allowDecimal={false} allowNegative={false} value={form.dueInDays} onChange={(value) => set('dueInDays', typeof value === 'number' ? value : value.trim() === '' ? '' : Number(value))} error={errors.dueInDays} />
            <TextInput type="time" label={fieldLabel('dueTime', 'Due at')} description={t('actionTemplates.dueTimeHelp')} value={form.dueTime} onChange={(event) => set('dueTime', event.currentTarget.value)} error={errors.dueTime} />
            <Select
              label={fieldLabel('priority', 'Priority')}
              description={t('actionTemplates.priorityHelp')}
              placeholder={t('actionTemplates.noPriority')}
              data={TEMPLATE_PRIORITIES.map((priority) => ({ value: priority, label: choiceLabel('priority', priority) }))}
              value={form.priority}
              onChange={(value) => set('priority', value)}
              error={errors.priority}
              clearable
              comboboxProps={{ withinPortal: true }}
            />
          </SimpleGrid>
        ) : null}
        <MultiSelect
          label={fieldLabel('objects', 'Shown on')}
          description={t('actionTemplates.objectsHelp')}
          placeholder={form.objects.length === 0 ? t('actionTemplates.everywhere') : undefined}
          data={objectOptions}
          value={form.objects}
          onChange={(values) => set('objects', values)}
          error={errors.objects}
          searchable
          clearable
          hidePickedOptions
          nothingFoundMessage={t('actionTemplates.noObject')}
          // Focused after a refused save: its error stays in sight until the person opens the list.
          openOnFocus={false}
          comboboxProps={{ withinPortal: true }}
        />
        <Switch label={fieldLabel('isActive', 'Active')} description={t('actionTemplates.activeHelp')} checked={form.isActive} onChange={(event) => set('isActive', event.currentTarget.checked)} />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onCancel} disabled={isSaving}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={isSaving}>
            {record ? t('common.save') : t('form.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
};

export default ActionTemplateEditor;
