import { ActionIcon, Alert, Badge, Button, Group, Menu, Modal, MultiSelect, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconDots, IconUserPlus } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { EmptyScreen, LoadingScreen } from '../../components/ui/screens.tsx';
import { notify } from '../../components/ui/notify.ts';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../account/form-errors.ts';
import { refusalMessage } from './admin-model.ts';
import { SettingsTitle } from './settings-layout.tsx';
import { settingsKeys, useLicenceTypes, useMembers, useRoles, useTeams, type Member } from './settings-api.ts';

const STATUS_COLOR = { active: 'green', invited: 'blue', deactivated: 'gray' } as const;

const useRefreshMembers = () => {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: settingsKeys.members });
};

/** Invite someone: they get an email with a link to set their password. */
const InviteModal = ({ opened, onClose }: { opened: boolean; onClose: () => void }) => {
  const { t, i18n } = useTranslation();
  const refresh = useRefreshMembers();
  const { data: roles = [] } = useRoles();
  const { data: licences = [] } = useLicenceTypes();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [roleId, setRoleId] = useState<string | null>(null);
  const [licence, setLicence] = useState<string | null>(null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [isBusy, setIsBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.post('/users', { email: email.trim(), name: name.trim(), roleId, ...(licence ? { licence } : {}) });
      await refresh();
      notify({ message: t('settings.users.invited', { email: email.trim() }) });
      setEmail('');
      setName('');
      onClose();
    } catch (error) {
      setErrors(formErrorsOf(t, i18n.resolvedLanguage ?? 'en', error, ['email', 'name', 'roleId', 'licence']));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('settings.users.inviteTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {errors.general ? <Alert color="red" role="alert">{errors.general}</Alert> : null}
          <TextInput label={t('auth.email')} type="email" required value={email} onChange={(event) => setEmail(event.currentTarget.value)} error={errors.byField.email} data-autofocus />
          <TextInput label={t('settings.users.name')} required value={name} onChange={(event) => setName(event.currentTarget.value)} error={errors.byField.name} />
          <Select label={t('settings.users.role')} required data={roles.map((role) => ({ value: role.id, label: role.name }))} value={roleId} onChange={setRoleId} error={errors.byField.roleId} />
          <Select label={t('settings.users.licence')} description={t('settings.users.licenceHelp')} clearable data={licences} value={licence} onChange={setLicence} error={errors.byField.licence} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={isBusy}>{t('settings.users.sendInvitation')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
};

/** Role, licence and teams of one member. */
const EditModal = ({ member, onClose }: { member: Member; onClose: () => void }) => {
  const { t, i18n } = useTranslation();
  const refresh = useRefreshMembers();
  const { data: roles = [] } = useRoles();
  const { data: licences = [] } = useLicenceTypes();
  const { data: teams = [] } = useTeams();
  const [roleId, setRoleId] = useState<string | null>(member.roleId);
  const [licence, setLicence] = useState<string | null>(member.licence);
  const [teamIds, setTeamIds] = useState<string[]>(member.teamIds);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [isBusy, setIsBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.patch(`/users/${member.id}`, { roleId, licence, teamIds });
      await refresh();
      notify({ message: t('settings.users.saved') });
      onClose();
    } catch (error) {
      setErrors(formErrorsOf(t, i18n.resolvedLanguage ?? 'en', error, ['roleId', 'licence', 'teamIds']));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={t('settings.users.editTitle', { name: member.name || member.email })} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {errors.general ? <Alert color="red" role="alert">{errors.general}</Alert> : null}
          <Select label={t('settings.users.role')} data={roles.map((role) => ({ value: role.id, label: role.name }))} value={roleId} onChange={setRoleId} error={errors.byField.roleId} data-autofocus />
          <Select label={t('settings.users.licence')} clearable data={licences} value={licence} onChange={setLicence} error={errors.byField.licence} />
          <MultiSelect label={t('settings.users.teams')} data={teams.map((team) => ({ value: team.id, label: team.name }))} value={teamIds} onChange={setTeamIds} error={errors.byField.teamIds} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={isBusy}>{t('common.save')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
};

/** Deactivating ends the member's sessions and keys; their records can go to another member. */
const DeactivateModal = ({ member, members, onClose }: { member: Member; members: Member[]; onClose: () => void }) => {
  const { t } = useTranslation();
  const refresh = useRefreshMembers();
  const [reassignTo, setReassignTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const others = members.filter((other) => other.id !== member.id && other.status === 'active');

  const onConfirm = async () => {
    setIsBusy(true);
    setError(null);
    try {
      await api.post(`/users/${member.id}/deactivate`, reassignTo ? { reassignTo } : {});
      await refresh();
      notify({ message: t('settings.users.deactivated', { name: member.name || member.email }) });
      onClose();
    } catch (failure) {
      setError(problemMessage(t, failure));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={t('settings.users.deactivateTitle', { name: member.name || member.email })} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack gap="md">
        {error ? <Alert color="red" role="alert">{error}</Alert> : null}
        <Text size="sm">{t('settings.users.deactivateHelp')}</Text>
        <Select label={t('settings.users.reassignTo')} description={t('settings.users.reassignHelp')} clearable data={others.map((other) => ({ value: other.id, label: other.name || other.email }))} value={reassignTo} onChange={setReassignTo} data-autofocus />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button color="red" loading={isBusy} onClick={onConfirm}>{t('settings.users.deactivate')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
};

/** Removing takes the person out of the workspace for good (their records stay, owned by nobody or reassigned first). */
const RemoveModal = ({ member, onClose }: { member: Member; onClose: () => void }) => {
  const { t, i18n } = useTranslation();
  const refresh = useRefreshMembers();
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const name = member.name || member.email;

  const onConfirm = async () => {
    setIsBusy(true);
    setError(null);
    try {
      await api.delete(`/users/${member.id}`);
      await refresh();
      notify({ message: t('admin.users.removed', { name }) });
      onClose();
    } catch (failure) {
      setError(refusalMessage(t, i18n.resolvedLanguage ?? 'en', failure));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={t('admin.users.removeTitle', { name })} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack gap="md">
        {error ? <Alert color="red" role="alert">{error}</Alert> : null}
        <Text size="sm">{t('admin.users.removeHelp')}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>{t('common.cancel')}</Button>
          <Button color="red" loading={isBusy} onClick={onConfirm}>{t('admin.users.remove')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
};

/** Settings › Users: members with role, licence, status and last activity; invite, change, deactivate. */
export const UsersPage = () => {
  const { t } = useTranslation();
  const format = useFormat();
  const refresh = useRefreshMembers();
  const { data: members, isLoading, error } = useMembers();
  const [isInviting, setIsInviting] = useState(false);
  const [editing, setEditing] = useState<Member | null>(null);
  const [deactivating, setDeactivating] = useState<Member | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);
  useDocumentTitle(t('settings.users.title'));

  const reactivate = async (member: Member) => {
    try {
      await api.post(`/users/${member.id}/reactivate`, {});
      await refresh();
      notify({ message: t('settings.users.reactivated', { name: member.name || member.email }) });
    } catch (failure) {
      notify({ message: problemMessage(t, failure), color: 'red' });
    }
  };

  const resendInvitation = async (member: Member) => {
    try {
      await api.post(`/users/${member.id}/invitation`, {});
      notify({ message: t('settings.users.invited', { email: member.email }) });
    } catch (failure) {
      notify({ message: problemMessage(t, failure), color: 'red' });
    }
  };

  const resetTwoFactor = async (member: Member) => {
    try {
      await api.post(`/users/${member.id}/reset-two-factor`, {});
      notify({ message: t('admin.users.twoFactorReset', { name: member.name || member.email }) });
    } catch (failure) {
      notify({ message: problemMessage(t, failure), color: 'red' });
    }
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <SettingsTitle>{t('settings.users.title')}</SettingsTitle>
        <Button leftSection={<IconUserPlus size={16} aria-hidden />} onClick={() => setIsInviting(true)}>
          {t('settings.users.invite')}
        </Button>
      </Group>
      {isLoading ? <LoadingScreen /> : null}
      {error ? <Alert color="red" role="alert">{problemMessage(t, error)}</Alert> : null}
      {members && members.length === 0 ? <EmptyScreen title={t('settings.users.emptyTitle')} description={t('settings.users.emptyDescription')} /> : null}
      {members && members.length > 0 ? (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('settings.users.name')}</Table.Th>
                <Table.Th scope="col">{t('settings.users.role')}</Table.Th>
                <Table.Th scope="col">{t('settings.users.licence')}</Table.Th>
                <Table.Th scope="col">{t('settings.users.status')}</Table.Th>
                <Table.Th scope="col">{t('settings.users.lastActive')}</Table.Th>
                <Table.Th scope="col">{t('settings.users.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {members.map((member) => (
                <Table.Tr key={member.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>{member.name || member.email}</Text>
                    <Text size="xs" c="dimmed">{member.email}</Text>
                  </Table.Td>
                  <Table.Td>{member.role ?? '—'}</Table.Td>
                  <Table.Td>{member.licence ?? '—'}</Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLOR[member.status]} variant="light">{t(`settings.users.statuses.${member.status}`)}</Badge>
                  </Table.Td>
                  <Table.Td>{member.lastActiveAt ? format.dateTime(member.lastActiveAt) : t('settings.users.never')}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" variant="default" onClick={() => setEditing(member)} aria-label={t('settings.users.editLabel', { name: member.name || member.email })}>
                        {t('common.edit')}
                      </Button>
                      {member.status === 'deactivated' ? (
                        <Button size="xs" variant="default" onClick={() => void reactivate(member)} aria-label={t('settings.users.reactivateLabel', { name: member.name || member.email })}>
                          {t('settings.users.reactivate')}
                        </Button>
                      ) : (
                        <Button size="xs" variant="default" color="red" onClick={() => setDeactivating(member)} aria-label={t('settings.users.deactivateLabel', { name: member.name || member.email })}>
                          {t('settings.users.deactivate')}
                        </Button>
                      )}
                      <Menu position="bottom-end" withinPortal>
                        <Menu.Target>
                          <ActionIcon variant="default" size="md" aria-label={t('admin.users.moreLabel', { name: member.name || member.email })}>
                            <IconDots size={16} aria-hidden />
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          {member.status === 'invited' ? <Menu.Item onClick={() => void resendInvitation(member)}>{t('admin.users.resendInvitation')}</Menu.Item> : null}
                          {member.status !== 'invited' ? <Menu.Item onClick={() => void resetTwoFactor(member)}>{t('admin.users.resetTwoFactor')}</Menu.Item> : null}
                          <Menu.Item color="red" onClick={() => setRemoving(member)}>{t('admin.users.remove')}</Menu.Item>
                        </Menu.Dropdown>
                      </Menu>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      <InviteModal opened={isInviting} onClose={() => setIsInviting(false)} />
      {editing ? <EditModal member={editing} onClose={() => setEditing(null)} /> : null}
      {removing ? <RemoveModal member={removing} onClose={() => setRemoving(null)} /> : null}
      {deactivating && members ? <DeactivateModal member={deactivating} members={members} onClose={() => setDeactivating(null)} /> : null}
    </Stack>
  );
};
