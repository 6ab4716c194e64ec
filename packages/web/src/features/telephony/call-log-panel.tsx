import { Button, Checkbox, Drawer, Group, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { formatPhone } from '@rapport/common/values/phone';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import type { ApiRecord, RecordPage, SearchHit } from '../../api/types.ts';
import { notify } from '../../components/ui/notify.ts';
import { useSession } from '../auth/session.tsx';
import { saveCallLog, type CallDraft, type CallLogInput } from './call-log.ts';

const OUTCOMES = ['connected', 'noAnswer', 'busy', 'voicemail', 'missed', 'wrongNumber'] as const;

type PersonChoice = 'linked' | 'existing' | 'new' | 'none';

/** Links to an existing person found by name, email or number (the server's search). */
const PersonSearch = ({ value, onChange }: { value: string | null; onChange(id: string | null): void }) => {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const found = useQuery({
    queryKey: ['search', search, ['person']],
    enabled: search.trim().length > 1,
    queryFn: ({ signal }) => api.get<{ data: SearchHit[] }>('/search', { q: search.trim(), objects: 'person', limit: 10 }, signal),
    staleTime: 10_000,
  });
  return (
    <Select
      label={t('telephony.searchPerson')}
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      value={value}
      onChange={onChange}
      filter={({ options }) => options}
      data={(found.data?.data ?? []).map((hit) => ({ value: hit.id, label: hit.label || hit.id.slice(0, 8) }))}
      nothingFoundMessage={search.trim().length > 1 ? t('telephony.noPersonFound') : undefined}
    />
  );
};

/** The person with this number (newest first, as the webhook matches), for a call logged from a number alone. */
const usePersonByPhone = (phone: string | null, isWanted: boolean) =>
  useQuery({
    queryKey: ['records', 'person', 'byPhone', phone],
    enabled: isWanted && Boolean(phone),
    queryFn: ({ signal }) => api.post<RecordPage>('/records/person/query', { filter: { field: 'phone', op: 'eq', value: phone }, sort: ['-updatedAt'], limit: 1, fields: ['fullName'] }, { signal }),
    select: (page): { id: string; name: string } | null => {
      const found: ApiRecord | undefined = page.data[0];
      return found ? { id: found.id, name: typeof found.fullName === 'string' && found.fullName ? found.fullName : (phone ?? '') } : null;
    },
  });

/**
 * The in-call panel: notes and outcome while talking, the person (the matched one, another, or a new one with this
 * number) and an optional follow-up task; saved as the call record through the records API.
 */
export const CallLogPanel = ({ draft, onClose }: { draft: CallDraft | null; onClose(): void }) => {
  const { t } = useTranslation();
  const { session } = useSession();
  const queryClient = useQueryClient();
  const [notes, setNotes] = useState('');
  const [outcome, setOutcome] = useState<string | null>(draft?.callId ? 'connected' : null);
  const matched = usePersonByPhone(draft?.phone ?? null, draft !== null && !draft.person);
  const linked = draft?.person ?? matched.data ?? null;
  // Until chosen: the person the number belongs to, else a new one.
  const [chosen, setPersonChoice] = useState<PersonChoice | null>(null);
  const personChoice: PersonChoice = chosen ?? (linked ? 'linked' : 'new');
  const [existingId, setExistingId] = useState<string | null>(null);
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [hasFollowUp, setFollowUp] = useState(false);
  const [followUpTitle, setFollowUpTitle] = useState<string | null>(null);
  const [followUpDue, setFollowUpDue] = useState('');
  const userId = session.status === 'signedIn' ? session.user.id : '';
  const followUpTitleShown = followUpTitle ?? t('telephony.followUpDefault', { name: linked?.name ?? draft?.phone ?? '' });

  const save = useMutation({
    mutationFn: () => {
      const person: CallLogInput['person'] =
        personChoice === 'linked' && linked ? { id: linked.id }
        : personChoice === 'existing' && existingId ? { id: existingId }
        : personChoice === 'new' && (firstName.trim() || lastName.trim()) ? { firstName: firstName.trim(), lastName: lastName.trim() }
        : null;
      const dueAt = followUpDue ? new Date(followUpDue).toISOString() : null;
      return saveCallLog(api, { draft: draft!, userId, input: { notes, outcome, person, followUp: hasFollowUp ? { title: followUpTitleShown, dueAt } : null } });
    },
    onSuccess: () => {
      for (const object of ['call', 'person', 'task']) void queryClient.invalidateQueries({ queryKey: ['records', object] });
      notify({ message: t('telephony.saved') });
      onClose();
    },
  });
  const error = save.error ? problemMessage(t, save.error) : null;

  return (
    <Drawer opened={draft !== null} onClose={onClose} position="right" title={t('telephony.panelTitle')} size="md">
      {draft ? (
        <Stack gap="sm">
          {draft.phone ? (
            <Text size="sm" c="dimmed">
              <a href={`tel:${draft.phone}`}>{formatPhone(draft.phone)}</a>
            </Text>
          ) : null}
          <Textarea label={t('telephony.notes')} placeholder={t('telephony.notesPlaceholder')} autosize minRows={4} value={notes} onChange={(event) => setNotes(event.currentTarget.value)} data-autofocus />
          <Select
            label={t('telephony.outcome')}
            clearable
            value={outcome}
            onChange={setOutcome}
            data={OUTCOMES.map((value) => ({ value, label: t(`standard.choices.call.outcome.${value}`) }))}
          />
          <Select
            label={t('telephony.person')}
            value={personChoice}
            onChange={(value) => setPersonChoice((value as PersonChoice | null) ?? 'none')}
            allowDeselect={false}
            data={[
              ...(linked ? [{ value: 'linked', label: t('telephony.linkedTo', { name: linked.name }) }] : []),
              { value: 'existing', label: t('telephony.linkExisting') },
              { value: 'new', label: t('telephony.createPerson') },
              { value: 'none', label: t('telephony.noPerson') },
            ]}
          />
          {personChoice === 'existing' ? <PersonSearch value={existingId} onChange={setExistingId} /> : null}
          {personChoice === 'new' ? (
            <Group grow>
              <TextInput label={t('telephony.firstName')} value={firstName} onChange={(event) => setFirstName(event.currentTarget.value)} />
              <TextInput label={t('telephony.lastName')} value={lastName} onChange={(event) => setLastName(event.currentTarget.value)} />
            </Group>
          ) : null}
          <Checkbox label={t('telephony.followUp')} checked={hasFollowUp} onChange={(event) => setFollowUp(event.currentTarget.checked)} />
          {hasFollowUp ? (
            <Group grow align="flex-start">
              <TextInput label={t('telephony.followUpTitle')} value={followUpTitleShown} onChange={(event) => setFollowUpTitle(event.currentTarget.value)} />
              <TextInput type="datetime-local" label={t('telephony.followUpDue')} value={followUpDue} onChange={(event) => setFollowUpDue(event.currentTarget.value)} />
            </Group>
          ) : null}
          {error ? (
            <Text size="sm" c="red" role="alert">
              {error}
            </Text>
          ) : null}
          <Group justify="flex-end">
            <Button onClick={() => save.mutate()} loading={save.isPending}>
              {t('telephony.save')}
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Drawer>
  );
};
