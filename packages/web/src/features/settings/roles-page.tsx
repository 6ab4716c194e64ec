import { Alert, Badge, Button, Checkbox, Group, List, Modal, Paper, SegmentedControl, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconPlus } from '@tabler/icons-react';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, isApiError } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { useObjects } from '../../api/queries.ts';
import { EmptyScreen, LoadingScreen } from '../../components/ui/screens.tsx';
import { notify } from '../../components/ui/notify.ts';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../account/form-errors.ts';
import { useLabels } from '../object-record/labels.ts';
import { SettingsTitle } from './settings-layout.tsx';
import { refusalMessage } from './admin-model.ts';
import { settingsKeys, useRoles, type Role } from './settings-api.ts';
import { FIELD_LEVELS, fieldLevelOf, isAllowed, OBJECT_ACTIONS, RECORD_ACCESS_LEVELS, setFieldLevel, setPermission, type RecordAccess, type RoleDetail } from './role-model.ts';

const NewRoleModal = ({ opened, onClose }: { opened: boolean; onClose: () => void }) => {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [isBusy, setIsBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setErrors(NO_ERRORS);
    try {
      const role = await api.post<{ id: string }>('/roles', { name: name.trim(), permissions: { '*': { read: true } }, recordAccess: 'own' });
      await queryClient.invalidateQueries({ queryKey: settingsKeys.roles });
      setName('');
      onClose();
      void navigate(`/settings/roles/${role.id}`);
    } catch (error) {
      setErrors(formErrorsOf(t, i18n.resolvedLanguage ?? 'en', error, ['name']));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('settings.roles.newTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {errors.general ? <Alert color="red" role="alert">{errors.general}</Alert> : null}
          <TextInput label={t('settings.roles.name')} description={t('settings.roles.newHelp')} required value={name} onChange={(event) => setName(event.currentTarget.value)} error={errors.byField.name} data-autofocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={isBusy}>{t('settings.roles.createRole')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
};

/** Deleting a role: the API refuses while members hold it, or when it holds the last administrators. */
const DeleteRoleModal = ({ role, onClose }: { role: Role; onClose: () => void }) => {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  const onConfirm = async () => {
    setIsBusy(true);
    setError(null);
    try {
      await api.delete(`/roles/${role.id}`);
      await queryClient.invalidateQueries({ queryKey: settingsKeys.roles });
      notify({ message: t('admin.roles.deleted', { name: role.name }) });
      onClose();
    } catch (failure) {
      setError(refusalMessage(t, i18n.resolvedLanguage ?? 'en', failure));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={t('admin.roles.deleteTitle', { name: role.name })} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack gap="md">
        {error ? <Alert color="red" role="alert">{error}</Alert> : null}
        <Text size="sm">{t('admin.roles.deleteHelp')}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>{t('common.cancel')}</Button>
          <Button color="red" loading={isBusy} onClick={onConfirm}>{t('common.delete')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
};

/** Settings › Roles: every role with its members and record access. */
export const RolesPage = () => {
  const { t } = useTranslation();
  const { data: roles, isLoading, error } = useRoles();
  const [isCreating, setIsCreating] = useState(false);
  const [deleting, setDeleting] = useState<Role | null>(null);
  useDocumentTitle(t('settings.roles.title'));
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <SettingsTitle>{t('settings.roles.title')}</SettingsTitle>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setIsCreating(true)}>{t('settings.roles.newRole')}</Button>
      </Group>
      {isLoading ? <LoadingScreen /> : null}
      {error ? <Alert color="red" role="alert">{problemMessage(t, error)}</Alert> : null}
      {roles && roles.length === 0 ? <EmptyScreen title={t('settings.roles.emptyTitle')} description={t('settings.roles.emptyDescription')} /> : null}
      {roles && roles.length > 0 ? (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('settings.roles.name')}</Table.Th>
              <Table.Th scope="col">{t('settings.roles.recordAccess')}</Table.Th>
              <Table.Th scope="col">{t('settings.roles.members')}</Table.Th>
              <Table.Th scope="col">{t('settings.users.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {roles.map((role) => (
              <Table.Tr key={role.id}>
                <Table.Td fw={500}>
                  {role.name} {role.isAdmin ? <Badge variant="light" ml="xs">{t('settings.roles.adminBadge')}</Badge> : null}
                </Table.Td>
                <Table.Td>{t(`settings.roles.access.${role.recordAccess}`)}</Table.Td>
                <Table.Td>{role.memberCount}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button component={Link} to={`/settings/roles/${role.id}`} size="xs" variant="default" aria-label={t('settings.users.editLabel', { name: role.name })}>
                      {t('common.edit')}
                    </Button>
                    <Button size="xs" variant="default" color="red" onClick={() => setDeleting(role)} aria-label={t('admin.roles.deleteLabel', { name: role.name })}>
                      {t('common.delete')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      <NewRoleModal opened={isCreating} onClose={() => setIsCreating(false)} />
      {deleting ? <DeleteRoleModal role={deleting} onClose={() => setDeleting(null)} /> : null}
    </Stack>
  );
};

/** Settings › Roles › one role: object permission grid, field levels, record access, hierarchy, 2FA. */
export const RoleEditorPage = () => {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const { data: objects = [] } = useObjects();
  const { data: roles = [] } = useRoles();
  const { data: role, isLoading, error } = useQuery({ queryKey: [...settingsKeys.roles, id], queryFn: async ({ signal }) => api.get<RoleDetail>(`/roles/${id}`, undefined, signal) });
  const [draft, setDraft] = useState<RoleDetail | null>(null);
  const [fieldObject, setFieldObject] = useState<string | null>(null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [problems, setProblems] = useState<string[]>([]);
  const [isBusy, setIsBusy] = useState(false);
  useDocumentTitle(role ? t('settings.roles.editTitle', { name: role.name }) : t('settings.roles.title'));

  useEffect(() => {
    if (role) setDraft(role);
  }, [role]);

  if (isLoading || (role && !draft)) return <LoadingScreen />;
  if (error || !draft) return <Alert color="red" role="alert">{problemMessage(t, error)}</Alert>;
  const selectedObject = objects.find((object) => object.name === (fieldObject ?? objects[0]?.name));
  const rows = [{ name: '*', label: t('settings.roles.otherObjects') }, ...objects.map((object) => ({ name: object.name, label: labels.objectPlural(object) }))];

  const onSave = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setErrors(NO_ERRORS);
    setProblems([]);
    try {
      const body = { name: draft.name.trim(), parentId: draft.parentId, recordAccess: draft.recordAccess, requireTwoFactor: draft.requireTwoFactor, ...(draft.isAdmin ? {} : { permissions: draft.permissions, fields: draft.fields }) };
      await api.patch(`/roles/${draft.id}`, body);
      await queryClient.invalidateQueries({ queryKey: settingsKeys.roles });
      notify({ message: t('settings.roles.saved', { name: draft.name }) });
    } catch (failure) {
      const split = formErrorsOf(t, i18n.resolvedLanguage ?? 'en', failure, ['name', 'parentId', 'recordAccess']);
      setErrors(split);
      // Permission problems name a path such as permissions.person.update: listed above the form.
      if (isApiError(failure)) setProblems(failure.fieldErrors.filter((item) => !['name', 'parentId', 'recordAccess'].includes(item.field)).map((item) => `${item.field}: ${item.message}`));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <form onSubmit={onSave} noValidate>
      <Stack gap="lg">
        <Group justify="space-between">
          <SettingsTitle>{t('settings.roles.editTitle', { name: role?.name ?? '' })}</SettingsTitle>
          <Group gap="xs">
            <Button component={Link} to="/settings/roles" variant="default">{t('common.back')}</Button>
            <Button type="submit" loading={isBusy}>{t('common.save')}</Button>
          </Group>
        </Group>
        {errors.general || problems.length ? (
          <Alert color="red" role="alert">
            {problems.length ? <List size="sm">{problems.map((problem) => <List.Item key={problem}>{problem}</List.Item>)}</List> : errors.general}
          </Alert>
        ) : null}
        <Paper withBorder p="lg" radius="md">
          <Group align="flex-start" grow>
            <TextInput label={t('settings.roles.name')} required value={draft.name} onChange={(event) => setDraft({ ...draft, name: event.currentTarget.value })} error={errors.byField.name} />
            <Select
              label={t('settings.roles.parent')}
              description={t('settings.roles.parentHelp')}
              clearable
              data={roles.filter((other) => other.id !== draft.id).map((other) => ({ value: other.id, label: other.name }))}
              value={draft.parentId}
              onChange={(value) => setDraft({ ...draft, parentId: value })}
              error={errors.byField.parentId}
            />
            <Select
              label={t('settings.roles.recordAccess')}
              description={t('settings.roles.recordAccessHelp')}
              allowDeselect={false}
              data={RECORD_ACCESS_LEVELS.map((level) => ({ value: level, label: t(`settings.roles.access.${level}`) }))}
              value={draft.recordAccess}
              onChange={(value) => value && setDraft({ ...draft, recordAccess: value as RecordAccess })}
              error={errors.byField.recordAccess}
            />
          </Group>
          <Switch mt="md" label={t('settings.roles.requireTwoFactor')} checked={draft.requireTwoFactor} onChange={(event) => setDraft({ ...draft, requireTwoFactor: event.currentTarget.checked })} />
        </Paper>
        {draft.isAdmin ? (
          <Alert color="blue">{t('settings.roles.adminNotice')}</Alert>
        ) : (
          <>
            <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="object-permissions">
              <Title order={2} size="h4" id="object-permissions" mb="sm">{t('settings.roles.objectPermissions')}</Title>
              <Table.ScrollContainer minWidth={640}>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('settings.roles.object')}</Table.Th>
                      {OBJECT_ACTIONS.map((action) => (
                        <Table.Th scope="col" key={action} ta="center">{t(`settings.roles.actions.${action}`)}</Table.Th>
                      ))}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((row) => (
                      <Table.Tr key={row.name}>
                        <Table.Th scope="row" fw={row.name === '*' ? 700 : 500}>{row.label}</Table.Th>
                        {OBJECT_ACTIONS.map((action) => (
                          <Table.Td key={action} ta="center">
                            <Checkbox
                              style={{ display: 'inline-block' }}
                              aria-label={t('settings.roles.permissionLabel', { action: t(`settings.roles.actions.${action}`), object: row.label })}
                              checked={isAllowed(draft.permissions, row.name, action)}
                              onChange={(event) => {
                                // An object without its own entry starts from what `*` allows.
                                const base = draft.permissions[row.name] ? draft.permissions : { ...draft.permissions, [row.name]: { ...(draft.permissions['*'] ?? {}) } };
                                setDraft({ ...draft, permissions: setPermission(base, row.name, action, event.currentTarget.checked) });
                              }}
                            />
                          </Table.Td>
                        ))}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Paper>
            <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="field-permissions">
              <Title order={2} size="h4" id="field-permissions" mb="xs">{t('settings.roles.fieldPermissions')}</Title>
              <Text size="sm" c="dimmed" mb="sm">{t('settings.roles.fieldPermissionsHelp')}</Text>
              <Select
                label={t('settings.roles.object')}
                allowDeselect={false}
                data={objects.map((object) => ({ value: object.name, label: labels.objectPlural(object) }))}
                value={selectedObject?.name ?? null}
                onChange={setFieldObject}
                maw={320}
                mb="md"
              />
              {selectedObject ? (
                <Table>
                  <Table.Tbody>
                    {selectedObject.fields.filter((field) => !field.isSystem).map((field) => {
                      const label = labels.field(selectedObject, field);
                      return (
                        <Table.Tr key={field.name}>
                          <Table.Th scope="row" fw={500} id={`field-level-${field.name}`}>{label}</Table.Th>
                          <Table.Td>
                            <SegmentedControl
                              size="xs"
                              aria-labelledby={`field-level-${field.name}`}
                              data={FIELD_LEVELS.map((level) => ({ value: level, label: t(`settings.roles.levels.${level}`) }))}
                              value={fieldLevelOf(draft.fields, selectedObject.name, field.name)}
                              onChange={(value) => setDraft({ ...draft, fields: setFieldLevel(draft.fields, selectedObject.name, field.name, value as (typeof FIELD_LEVELS)[number]) })}
                            />
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              ) : null}
            </Paper>
          </>
        )}
      </Stack>
    </form>
  );
};
