import { ActionIcon, Alert, Badge, Button, Code, CopyButton, Group, Modal, Paper, PasswordInput, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { notify } from '../../components/ui/notify.ts';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../account/form-errors.ts';
import { roleMappingOf } from './admin-model.ts';
import { ConfirmDeleteModal, ListStatus, SettingsIntro } from './admin-ui.tsx';
import { SettingsTitle } from './settings-layout.tsx';
import { adminKeys, useRoles, useSsoProviders, type SsoProvider } from './settings-api.ts';

const FIELDS = ['name', 'issuer', 'clientId', 'clientSecret', 'scopes', 'roleClaim', 'roleMapping', 'defaultRoleId', 'createUsers', 'enabled'];

/** Create or change an OpenID Connect provider; the client secret is write-only. */
const ProviderModal = ({ provider, onClose }: { provider: SsoProvider | null; onClose: () => void }) => {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const { data: roles = [] } = useRoles();
  const [name, setName] = useState(provider?.name ?? '');
  const [issuer, setIssuer] = useState(provider?.issuer ?? '');
  const [clientId, setClientId] = useState(provider?.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [scopes, setScopes] = useState(provider?.scopes ?? 'openid email profile');
  const [roleClaim, setRoleClaim] = useState(provider?.roleClaim ?? '');
  const [mapping, setMapping] = useState<{ claim: string; roleId: string | null }[]>(Object.entries(provider?.roleMapping ?? {}).map(([claim, roleId]) => ({ claim, roleId })));
  const [defaultRoleId, setDefaultRoleId] = useState<string | null>(provider?.defaultRoleId ?? null);
  const [createUsers, setCreateUsers] = useState(provider?.createUsers ?? true);
  const [enabled, setEnabled] = useState(provider?.enabled ?? true);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [isBusy, setIsBusy] = useState(false);
  const roleOptions = roles.map((role) => ({ value: role.id, label: role.name }));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setErrors(NO_ERRORS);
    const body = {
      name: name.trim(),
      issuer: issuer.trim(),
      clientId: clientId.trim(),
      // Left empty on an existing provider: the stored secret stays.
      ...(clientSecret ? { clientSecret } : {}),
      scopes: scopes.trim(),
      roleClaim: roleClaim.trim() || null,
      roleMapping: roleMappingOf(mapping),
      defaultRoleId,
      createUsers,
      enabled,
    };
    try {
      if (provider) await api.patch(`/sso/providers/${provider.id}`, body);
      else await api.post('/sso/providers', body);
      await queryClient.invalidateQueries({ queryKey: adminKeys.ssoProviders });
      notify({ message: t('admin.sso.saved', { name: body.name }) });
      onClose();
    } catch (error) {
      const split = formErrorsOf(t, i18n.resolvedLanguage ?? 'en', error, FIELDS);
      setErrors(split);
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} size="lg" title={provider ? t('admin.sso.editTitle', { name: provider.name }) : t('admin.sso.newTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {errors.general ? <Alert color="red" role="alert">{errors.general}</Alert> : null}
          <TextInput label={t('admin.sso.name')} description={t('admin.sso.nameHelp')} required value={name} onChange={(event) => setName(event.currentTarget.value)} error={errors.byField.name} data-autofocus />
          <TextInput label={t('admin.sso.issuer')} description={t('admin.sso.issuerHelp')} required type="url" placeholder="https://login.example.com" value={issuer} onChange={(event) => setIssuer(event.currentTarget.value)} error={errors.byField.issuer} />
          <TextInput label={t('admin.sso.clientId')} description={t('admin.sso.clientIdHelp')} required value={clientId} onChange={(event) => setClientId(event.currentTarget.value)} error={errors.byField.clientId} />
          <PasswordInput
            label={t('admin.sso.clientSecret')}
            description={provider?.hasClientSecret ? t('admin.sso.clientSecretKept') : t('admin.sso.clientSecretHelp')}
            autoComplete="new-password"
            value={clientSecret}
            onChange={(event) => setClientSecret(event.currentTarget.value)}
            error={errors.byField.clientSecret}
          />
          <TextInput label={t('admin.sso.scopes')} description={t('admin.sso.scopesHelp')} value={scopes} onChange={(event) => setScopes(event.currentTarget.value)} error={errors.byField.scopes} />
          <TextInput label={t('admin.sso.roleClaim')} description={t('admin.sso.roleClaimHelp')} placeholder="groups" value={roleClaim} onChange={(event) => setRoleClaim(event.currentTarget.value)} error={errors.byField.roleClaim} />
          <Stack gap={6} role="group" aria-label={t('admin.sso.roleMapping')}>
            <Text size="sm" fw={600}>{t('admin.sso.roleMapping')}</Text>
            <Text size="xs" c="dimmed">{t('admin.sso.roleMappingHelp')}</Text>
            {mapping.map((row, index) => (
              <Group key={index} gap="xs" align="flex-end" wrap="nowrap">
                <TextInput label={t('admin.sso.claimValue', { number: index + 1 })} value={row.claim} onChange={(event) => { const claim = event.currentTarget.value; setMapping(mapping.map((each, at) => (at === index ? { ...each, claim } : each))); }} style={{ flex: 1 }} />
                <Select label={t('admin.sso.mappedRole', { number: index + 1 })} data={roleOptions} value={row.roleId} onChange={(roleId) => setMapping(mapping.map((each, at) => (at === index ? { ...each, roleId } : each)))} style={{ flex: 1 }} />
                <ActionIcon variant="subtle" color="gray" size="lg" mb={2} aria-label={t('admin.sso.removeMapping', { number: index + 1 })} onClick={() => setMapping(mapping.filter((_, at) => at !== index))}>
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </Group>
            ))}
            {errors.byField.roleMapping ? <Text size="sm" c="var(--mantine-color-error)" role="alert">{errors.byField.roleMapping}</Text> : null}
            <Group>
              <Button variant="subtle" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setMapping([...mapping, { claim: '', roleId: null }])}>{t('admin.sso.addMapping')}</Button>
            </Group>
          </Stack>
          <Select label={t('admin.sso.defaultRole')} description={t('admin.sso.defaultRoleHelp')} clearable data={roleOptions} value={defaultRoleId} onChange={setDefaultRoleId} error={errors.byField.defaultRoleId} />
          <Switch label={t('admin.sso.createUsers')} description={t('admin.sso.createUsersHelp')} checked={createUsers} onChange={(event) => setCreateUsers(event.currentTarget.checked)} />
          <Switch label={t('admin.sso.enabled')} description={t('admin.sso.enabledHelp')} checked={enabled} onChange={(event) => setEnabled(event.currentTarget.checked)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={isBusy}>{provider ? t('common.save') : t('admin.sso.create')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
};

const CopyableUrl = ({ label, value }: { label: string; value: string }) => {
  const { t } = useTranslation();
  return (
    <Group gap="xs" wrap="nowrap" align="center">
      <Text size="sm" fw={500} miw={150}>{label}</Text>
      <Code style={{ overflowWrap: 'anywhere' }}>{value}</Code>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Button size="compact-xs" variant="default" onClick={copy} aria-label={t('admin.sso.copyLabel', { label })}>
            {copied ? t('settings.apiKeys.copied') : t('admin.sso.copy')}
          </Button>
        )}
      </CopyButton>
    </Group>
  );
};

/** Settings › Single sign-on: the workspace's OpenID Connect providers. */
export const SsoPage = () => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { data: providers, isLoading, error } = useSsoProviders();
  const { data: roles = [] } = useRoles();
  const [editing, setEditing] = useState<SsoProvider | 'new' | null>(null);
  const [deleting, setDeleting] = useState<SsoProvider | null>(null);
  useDocumentTitle(t('admin.sso.title'));
  const roleName = (id: string | null) => roles.find((role) => role.id === id)?.name ?? '—';

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <SettingsTitle>{t('admin.sso.title')}</SettingsTitle>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>{t('admin.sso.new')}</Button>
      </Group>
      <SettingsIntro>{t('admin.sso.intro')}</SettingsIntro>
      <ListStatus isLoading={isLoading} error={error} items={providers} emptyTitle={t('admin.sso.emptyTitle')} emptyDescription={t('admin.sso.emptyDescription')} />
      {providers?.map((provider) => (
        <Paper key={provider.id} withBorder p="lg" radius="md" component="section" aria-labelledby={`sso-${provider.id}`}>
          <Stack gap="sm">
            <Group justify="space-between">
              <Group gap="xs">
                <Title order={2} size="h4" id={`sso-${provider.id}`}>{provider.name}</Title>
                <Badge variant="light" color={provider.enabled ? 'green' : 'gray'}>{provider.enabled ? t('admin.sso.on') : t('admin.sso.off')}</Badge>
              </Group>
              <Group gap="xs">
                <Button size="xs" variant="default" onClick={() => setEditing(provider)} aria-label={t('settings.users.editLabel', { name: provider.name })}>{t('common.edit')}</Button>
                <Button size="xs" variant="default" color="red" onClick={() => setDeleting(provider)} aria-label={t('admin.deleteLabel', { name: provider.name })}>{t('common.delete')}</Button>
              </Group>
            </Group>
            <Text size="sm">{t('admin.sso.summary', { issuer: provider.issuer, clientId: provider.clientId })}</Text>
            <Text size="sm" c="dimmed">
              {provider.roleClaim ? t('admin.sso.mappingSummary', { claim: provider.roleClaim, count: Object.keys(provider.roleMapping).length }) : t('admin.sso.noMapping')}
              {' · '}
              {t('admin.sso.defaultRoleSummary', { name: roleName(provider.defaultRoleId) })}
            </Text>
            <CopyableUrl label={t('admin.sso.redirectUri')} value={provider.redirectUri} />
            <CopyableUrl label={t('admin.sso.startUrl')} value={provider.startUrl} />
            <Group>
              {/* The API has no "test" call: signing in through the start URL in a new tab is the test. */}
              <Button component="a" href={provider.startUrl} target="_blank" rel="noopener" size="xs" variant="light" disabled={!provider.enabled}>
                {t('admin.sso.tryIt')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      ))}
      {editing ? <ProviderModal provider={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
      {deleting ? (
        <ConfirmDeleteModal
          title={t('admin.deleteTitle', { name: deleting.name })}
          help={t('admin.sso.deleteHelp')}
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await api.delete(`/sso/providers/${deleting.id}`);
            await queryClient.invalidateQueries({ queryKey: adminKeys.ssoProviders });
            notify({ message: t('admin.deleted', { name: deleting.name }) });
          }}
        />
      ) : null}
    </Stack>
  );
};
