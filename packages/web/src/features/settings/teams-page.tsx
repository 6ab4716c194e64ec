import { Alert, Badge, Button, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconPlus } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { notify } from '../../components/ui/notify.ts';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../account/form-errors.ts';
import { ConfirmDeleteModal, ListStatus, memberNameOf, MembersSelect, SettingsIntro } from './admin-ui.tsx';
import { SettingsTitle } from './settings-layout.tsx';
import { settingsKeys, useMembers, useTeams, type Team } from './settings-api.ts';

/** Create a team, or rename one and change its members. */
const TeamModal = ({ team, onClose }: { team: Team | null; onClose: () => void }) => {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const { data: members = [] } = useMembers();
  const [name, setName] = useState(team?.name ?? '');
  const [memberIds, setMemberIds] = useState<string[]>(team?.memberIds ?? []);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [isBusy, setIsBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setErrors(NO_ERRORS);
    try {
      const body = { name: name.trim(), memberIds };
      if (team) await api.patch(`/teams/${team.id}`, body);
      else await api.post('/teams', body);
      // Members show their teams in Users too.
      await Promise.all([queryClient.invalidateQueries({ queryKey: settingsKeys.teams }), queryClient.invalidateQueries({ queryKey: settingsKeys.members })]);
      notify({ message: t('admin.teams.saved', { name: body.name }) });
      onClose();
    } catch (error) {
      setErrors(formErrorsOf(t, i18n.resolvedLanguage ?? 'en', error, ['name', 'memberIds']));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={team ? t('admin.teams.editTitle', { name: team.name }) : t('admin.teams.newTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {errors.general ? <Alert color="red" role="alert">{errors.general}</Alert> : null}
          <TextInput label={t('admin.teams.name')} description={t('admin.teams.nameHelp')} required value={name} onChange={(event) => setName(event.currentTarget.value)} error={errors.byField.name} data-autofocus />
          <MembersSelect label={t('admin.teams.members')} description={t('admin.teams.membersHelp')} members={members} value={memberIds} onChange={setMemberIds} error={errors.byField.memberIds} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={isBusy}>{team ? t('common.save') : t('admin.teams.create')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
};

/** Settings › Teams: groups of people; "team" record access and sharing rules build on them. */
export const TeamsPage = () => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { data: teams, isLoading, error } = useTeams();
  const { data: members = [] } = useMembers();
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Team | null>(null);
  useDocumentTitle(t('admin.teams.title'));

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <SettingsTitle>{t('admin.teams.title')}</SettingsTitle>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>{t('admin.teams.new')}</Button>
      </Group>
      <SettingsIntro>{t('admin.teams.intro')}</SettingsIntro>
      <ListStatus isLoading={isLoading} error={error} items={teams} emptyTitle={t('admin.teams.emptyTitle')} emptyDescription={t('admin.teams.emptyDescription')} />
      {teams && teams.length > 0 ? (
        <Table.ScrollContainer minWidth={640}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('admin.teams.name')}</Table.Th>
                <Table.Th scope="col">{t('admin.teams.members')}</Table.Th>
                <Table.Th scope="col">{t('settings.users.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {teams.map((team) => (
                <Table.Tr key={team.id}>
                  <Table.Td fw={500}>{team.name}</Table.Td>
                  <Table.Td>
                    {team.memberIds.length === 0 ? (
                      <Text size="sm" c="dimmed">{t('admin.teams.noMembers')}</Text>
                    ) : (
                      <Group gap={4}>
                        {team.memberIds.map((id) => <Badge key={id} variant="light" color="gray" tt="none">{memberNameOf(members, id)}</Badge>)}
                      </Group>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" variant="default" onClick={() => setEditing(team)} aria-label={t('settings.users.editLabel', { name: team.name })}>{t('common.edit')}</Button>
                      <Button size="xs" variant="default" color="red" onClick={() => setDeleting(team)} aria-label={t('admin.deleteLabel', { name: team.name })}>{t('common.delete')}</Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {editing ? <TeamModal team={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
      {deleting ? (
        <ConfirmDeleteModal
          title={t('admin.deleteTitle', { name: deleting.name })}
          help={t('admin.teams.deleteHelp')}
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await api.delete(`/teams/${deleting.id}`);
            await queryClient.invalidateQueries({ queryKey: settingsKeys.teams });
            notify({ message: t('admin.deleted', { name: deleting.name }) });
          }}
        />
      ) : null}
    </Stack>
  );
};
