import { Alert, Box, Button, Group, MultiSelect, NumberInput, Radio, Select, SimpleGrid, Stack, Switch, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client.ts';
import { problemMessage, splitFieldErrors } from '../../api/problem-messages.ts';
import { queryKeys, useUsers, type WorkspaceUser } from '../../api/queries.ts';
import type { ApiRecord } from '../../api/types.ts';
import { notify } from '../../components/ui/notify.ts';
import type { RecordFormProps } from '../object-record/form/record-form.tsx';
import { useLabels } from '../object-record/labels.ts';
import { bodyOfState, EDITOR_FIELDS, slugFromName, stateFromRecord, validateState, type BookingEditorState, type EditorField } from './booking-editor-model.ts';
import { BookingHoursGrid } from './booking-hours-grid.tsx';
import { publicBookingUrl } from './booking-page-links.tsx';

const ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
const LENGTHS = [10, 15, 20, 30, 45, 60, 90, 120, 180, 240];
// The booking page's own codes: a translated sentence in every language (other codes: the app's usual messages).
const BOOKING_CODES = ['slugTaken', 'invalidTimezone', 'invalidAvailability', 'invalidDurations', 'invalidUserList'] as const;
type BookingCode = (typeof BOOKING_CODES)[number];
const isBookingCode = (code: string): code is BookingCode => (BOOKING_CODES as readonly string[]).includes(code);
const FIELD_NAMES: ReadonlySet<string> = new Set(EDITOR_FIELDS);

const browserZone = () => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
};

const Section = ({ title, children }: { title: string; children: ReactNode }) => (
  <Box component="fieldset" p={0} mx={0} mt={0} mb="xl" style={{ border: 0, minWidth: 0 }}>
    <Title order={2} size="h5" component="legend" mb="sm" p={0}>
      {title}
    </Title>
    {children}
  </Box>
);

/**
 * Creates or edits a `bookingPage` (in place of the generic record form): working hours as a weekly grid, members
 * from the workspace's users, lengths as choices, a time zone picked by name; saved through the records API.
 */
export const BookingPageEditor = ({ object, record, onSaved, onCancel }: RecordFormProps) => {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const users = useUsers();
  const initial = useMemo(() => stateFromRecord(record, browserZone()), [record]);
  const [state, setState] = useState<BookingEditorState>(initial);
  // A new page's address follows its name until the person types one.
  const [slugTouched, setSlugTouched] = useState(Boolean(record));
  const [errors, setErrors] = useState<Partial<Record<EditorField, string>>>({});
  const [generalErrors, setGeneralErrors] = useState<string[]>([]);
  const [isSaving, setIsSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const [focusToken, setFocusToken] = useState(0);

  useEffect(() => {
    if (focusToken === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], [data-form-alert], [data-hours-error]')?.focus();
  }, [focusToken]);

  const set = <K extends keyof BookingEditorState>(field: K, value: BookingEditorState[K]) => {
    setState((previous) => ({ ...previous, [field]: value, ...(field === 'name' && !slugTouched ? { slug: slugFromName(String(value)) } : {}) }));
    const errorField: EditorField = field === 'hours' ? 'availability' : (field as EditorField);
    setErrors((previous) => {
      const next = { ...previous };
      delete next[errorField];
      if (field === 'name' && !slugTouched) delete next.slug;
      return next;
    });
  };

  const userOptions = useMemo(() => {
    // Only active members are booked (the server leaves the others out): say so in their names.
    const known = (users.data ?? [])
      .filter((user: WorkspaceUser & { status?: string }) => user.status !== 'deactivated' || state.members.includes(user.id))
      .map((user: WorkspaceUser & { status?: string }) => {
        const name = user.name || user.email || user.id;
        const label = user.status === 'invited' ? t('bookingEditor.memberInvited', { name }) : user.status === 'deactivated' ? t('bookingEditor.memberInactive', { name }) : name;
        return { value: user.id, label };
      });
    const missing = state.members.filter((id) => !known.some((option) => option.value === id)).map((id) => ({ value: id, label: t('bookingEditor.unknownUser') + ` (${id.slice(0, 8)})` }));
    return [...known, ...missing];
  }, [users.data, state.members, t]);

  const lengthOptions = useMemo(
    () =>
      [...new Set([...LENGTHS, ...state.durationOptions])]
        .filter((minutes) => minutes !== state.durationMinutes)
        .sort((a, b) => a - b)
        .map((minutes) => ({ value: String(minutes), label: t('booking.minutes', { minutes }) })),
    [state.durationOptions, state.durationMinutes, t],
  );
  const zoneOptions = useMemo(() => (ZONES.includes(state.timezone) ? ZONES : [state.timezone, ...ZONES]), [state.timezone]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const problems = validateState(state);
    if (Object.keys(problems).length > 0) {
      setErrors(Object.fromEntries(Object.entries(problems).map(([field, code]) => [field, t(`bookingEditor.errors.${code}`)])));
      setGeneralErrors([]);
      setFocusToken((n) => n + 1);
      return;
    }
    const body = bodyOfState(state, record ? initial : undefined);
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
      const language = i18n.resolvedLanguage ?? i18n.language;
      const fieldErrors = isApiError(error) ? error.fieldErrors : [];
      const split = splitFieldErrors(t, language, fieldErrors, FIELD_NAMES, (item) => (isBookingCode(item.code) ? t(`bookingEditor.errors.${item.code}`) : undefined));
      const byField: Partial<Record<EditorField, string>> = { ...split.byField };
      // Another page of the workspace has the address (its unique index): said like a page of another workspace.
      if (fieldErrors.some((item) => item.code === 'unique' && item.field === 'slug')) byField.slug = t('bookingEditor.errors.slugTaken');
      // Within a workspace, the address's unique index may answer 409 without a field.
      if (isApiError(error, 'UNIQUE_VIOLATION') && Object.keys(byField).length === 0) byField.slug = t('bookingEditor.errors.slugTaken');
      setErrors(byField);
      const summary = isApiError(error, 'VERSION_MISMATCH') || Object.keys(byField).length === 0 ? [problemMessage(t, error)] : [];
      setGeneralErrors([...summary, ...split.general]);
      setFocusToken((n) => n + 1);
    } finally {
      setIsSaving(false);
    }
  };

  const numberValue = (value: string | number): number | '' => (typeof value === 'number' ? value : value.trim() === '' ? '' : Number(value));
  const slugPreview = publicBookingUrl(state.slug || t('bookingEditor.slugPlaceholder'));

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-label={record ? t('form.editTitle', { name: labels.objectSingular(object) }) : t('form.createTitle', { name: labels.objectSingular(object) })}>
      {generalErrors.length > 0 ? (
        <Alert color="red" icon={<IconAlertCircle aria-hidden />} title={t('form.notSaved')} mb="md" role="alert" tabIndex={-1} data-form-alert>
          {generalErrors.map((message) => (
            <div key={message}>{message}</div>
          ))}
        </Alert>
      ) : null}

      <Section title={t('bookingEditor.pageSection')}>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" verticalSpacing="sm">
            <TextInput label={t('bookingEditor.name')} required value={state.name} onChange={(event) => set('name', event.currentTarget.value)} error={errors.name} maxLength={200} />
            <TextInput
              label={t('bookingEditor.slug')}
              required
              value={state.slug}
              onChange={(event) => {
                setSlugTouched(true);
                set('slug', event.currentTarget.value.toLowerCase());
              }}
              error={errors.slug}
              maxLength={80}
              description={
                <span>
                  {t('bookingEditor.slugPreview')}{' '}
                  <Text span ff="monospace" size="xs" data-slug-preview>
                    {slugPreview}
                  </Text>
                </span>
              }
              inputWrapperOrder={['label', 'input', 'description', 'error']}
            />
          </SimpleGrid>
          <Textarea label={t('bookingEditor.description')} description={t('bookingEditor.descriptionHelp')} value={state.description} onChange={(event) => set('description', event.currentTarget.value)} error={errors.description} autosize minRows={2} maxRows={6} />
          <Switch label={t('bookingEditor.published')} description={t('bookingEditor.publishedHelp')} checked={state.isActive} onChange={(event) => set('isActive', event.currentTarget.checked)} />
        </Stack>
      </Section>

      <Section title={t('bookingEditor.meetingSection')}>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" verticalSpacing="sm">
          <NumberInput
            label={t('bookingEditor.duration')}
            required
            min={5}
            max={480}
            step={5}
            allowDecimal={false}
            allowNegative={false}
            
            value={state.durationMinutes}
            onChange={(value) => set('durationMinutes', numberValue(value))}
            error={errors.durationMinutes}
          />
          <MultiSelect
            label={t('bookingEditor.otherLengths')}
            description={t('bookingEditor.otherLengthsHelp')}
            data={lengthOptions}
            value={state.durationOptions.filter((minutes) => minutes !== state.durationMinutes).map(String)}
            onChange={(values) => set('durationOptions', values.map(Number))}
            error={errors.durationOptions}
            searchable
            clearable
            hidePickedOptions
            comboboxProps={{ withinPortal: true }}
          />
          <NumberInput label={t('bookingEditor.buffer')} description={t('bookingEditor.bufferHelp')} min={0} max={240} step={5} allowDecimal={false} allowNegative={false}  value={state.bufferMinutes} onChange={(value) => set('bufferMinutes', numberValue(value))} error={errors.bufferMinutes} />
          <NumberInput label={t('bookingEditor.notice')} description={t('bookingEditor.noticeHelp')} min={0} step={15} allowDecimal={false} allowNegative={false}  value={state.minimumNoticeMinutes} onChange={(value) => set('minimumNoticeMinutes', numberValue(value))} error={errors.minimumNoticeMinutes} />
          <NumberInput label={t('bookingEditor.maxPerDay')} description={t('bookingEditor.maxPerDayHelp')} min={1} allowDecimal={false} allowNegative={false} value={state.maximumPerDay} onChange={(value) => set('maximumPerDay', numberValue(value))} error={errors.maximumPerDay} />
        </SimpleGrid>
      </Section>

      <Section title={t('bookingEditor.hours')}>
        <Stack gap="sm">
          <Select
            label={t('bookingEditor.timezone')}
            description={t('bookingEditor.timezoneHelp')}
            required
            searchable
            data={zoneOptions}
            value={state.timezone}
            onChange={(value) => set('timezone', value ?? '')}
            error={errors.timezone}
            allowDeselect={false}
            limit={50}
            maw={420}
            comboboxProps={{ withinPortal: true }}
          />
          <BookingHoursGrid value={state.hours} onChange={(week) => set('hours', week)} error={errors.availability} />
        </Stack>
      </Section>

      <Section title={t('bookingEditor.teamSection')}>
        <Stack gap="md">
          <MultiSelect
            label={t('bookingEditor.members')}
            description={t('bookingEditor.membersHelp')}
            placeholder={state.members.length === 0 ? t('bookingEditor.membersPlaceholder') : undefined}
            data={userOptions}
            value={state.members}
            onChange={(values) => set('members', values)}
            error={errors.members}
            searchable
            clearable
            hidePickedOptions
            nothingFoundMessage={t('bookingEditor.noUser')}
            comboboxProps={{ withinPortal: true }}
          />
          <Radio.Group label={t('bookingEditor.assignment')} value={state.assignment} onChange={(value) => set('assignment', value === 'firstAvailable' ? 'firstAvailable' : 'roundRobin')} error={errors.assignment}>
            <Stack gap="xs" mt="xs">
              <Radio value="roundRobin" label={t('bookingEditor.roundRobin')} description={t('bookingEditor.roundRobinHelp')} />
              <Radio value="firstAvailable" label={t('bookingEditor.firstAvailable')} description={t('bookingEditor.firstAvailableHelp')} />
            </Stack>
          </Radio.Group>
        </Stack>
      </Section>

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

export default BookingPageEditor;
