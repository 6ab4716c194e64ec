import { Alert, Badge, Button, Code, CopyButton, Group, Modal, MultiSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconKey } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { useObjects } from '../../api/queries.ts';
import { EmptyScreen, LoadingScreen } from '../../components/ui/screens.tsx';
import { notify } from '../../components/ui/notify.ts';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../account/form-errors.ts';
import { SettingsTitle } from './settings-layout.tsx';
import { scopeOptions, settingsKeys, useApiKeys, type ApiKey } from './settings-api.ts';

/** Create a key: name, scopes, optional expiry; the token is shown once, with a copy button. */
const CreateKeyModal = ({ opened, onClose }: { opened: boolean; onClose: () => void }) => {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const { data: objects = [] } = useObjects();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['read:*']);
  const [expiresOn, setExpiresOn] = useState('');
  const [token, setToken] = useState<string | null>(null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [isBusy, setIsBusy] = useState(false);

  const close = () => {
    setName('');
    setScopes(['read:*']);
    setExpiresOn('');
    setToken(null);
    setErrors(NO_ERRORS);
    onClose();
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setErrors(NO_ERRORS);
    try {
      const created = await api.post<{ token: string }>('/apikeys', { name: name.trim(), scopes, ...(expiresOn ? { expiresAt: `${expiresOn}T00:00:00Z` } : {}) });
      setToken(created.token);
      await queryClient.invalidateQueries({ queryKey: settingsKeys.apiKeys });
    } catch (error) {
      setErrors(formErrorsOf(t, i18n.resolvedLanguage ?? 'en', error, ['name', 'scopes', 'expiresAt']));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={t('settings.apiKeys.createTitle')} closeButtonProps={{ 'aria-label': t('common.close') }} size="lg">
      {token ? (
        <Stack gap="md">
          <Alert color="yellow" role="status">{t('settings.apiKeys.tokenOnce')}</Alert>
          <Code block aria-label={t('settings.apiKeys.token')} style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
            {token}
          </Code>
          <Group justify="flex-end">
            <CopyButton value={token}>
              {({ copied, copy }) => (
                <Button variant="default" onClick={copy}>
                  {copied ? t('settings.apiKeys.copied') : t('settings.apiKeys.copy')}
                </Button>
              )}
            </CopyButton>
            <Button onClick={close}>{t('settings.apiKeys.done')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <Stack gap="md">
            {errors.general ? <Alert color="red" role="alert">{errors.general}</Alert> : null}
            <TextInput label={t('settings.apiKeys.name')} description={t('settings.apiKeys.nameHelp')} required value={name} onChange={(event) => setName(event.currentTarget.value)} error={errors.byField.name} data-autofocus />
            <MultiSelect label={t('settings.apiKeys.scopes')} description={t('settings.apiKeys.scopesHelp')} searchable data={scopeOptions(objects.map((object) => object.name))} value={scopes} onChange={setScopes} error={errors.byField.scopes} />
            <TextInput label={t('settings.apiKeys.expiresOn')} description={t('settings.apiKeys.expiresHelp')} type="date" value={expiresOn} onChange={(event) => setExpiresOn(event.currentTarget.value)} error={errors.byField.expiresAt} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>{t('common.cancel')}</Button>
              <Button type="submit" loading={isBusy}>{t('settings.apiKeys.create')}</Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
};

/** Settings › API keys: every key of the workspace, when it was last used; create and revoke. */
export const ApiKeysPage = () => {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const { data: keys, isLoading, error } = useApiKeys();
  const [isCreating, setIsCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  useDocumentTitle(t('settings.apiKeys.title'));

  const revoke = async (key: ApiKey) => {
    try {
      await api.delete(`/apikeys/${key.id}`);
      await queryClient.invalidateQueries({ queryKey: settingsKeys.apiKeys });
      notify({ message: t('settings.apiKeys.revoked', { name: key.name }) });
    } catch (failure) {
      notify({ message: problemMessage(t, failure), color: 'red' });
    } finally {
      setRevoking(null);
    }
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <SettingsTitle>{t('settings.apiKeys.title')}</SettingsTitle>
        <Button leftSection={<IconKey size={16} aria-hidden />} onClick={() => setIsCreating(true)}>
          {t('settings.apiKeys.create')}
        </Button>
      </Group>
      {isLoading ? <LoadingScreen /> : null}
      {error ? <Alert color="red" role="alert">{problemMessage(t, error)}</Alert> : null}
      {keys && keys.length === 0 ? <EmptyScreen title={t('settings.apiKeys.emptyTitle')} description={t('settings.apiKeys.emptyDescription')} /> : null}
      {keys && keys.length > 0 ? (
        <Table.ScrollContainer minWidth={760}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('settings.apiKeys.name')}</Table.Th>
                <Table.Th scope="col">{t('settings.apiKeys.scopes')}</Table.Th>
                <Table.Th scope="col">{t('settings.apiKeys.created')}</Table.Th>
                <Table.Th scope="col">{t('settings.apiKeys.expires')}</Table.Th>
                <Table.Th scope="col">{t('settings.apiKeys.lastUsed')}</Table.Th>
                <Table.Th scope="col">{t('settings.users.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {keys.map((key) => (
                <Table.Tr key={key.id}>
                  <Table.Td fw={500}>{key.name}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {key.scopes.map((scope) => (
                        <Badge key={scope} variant="light" color="gray" tt="none">{scope}</Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>{format.dateTime(key.createdAt)}</Table.Td>
                  <Table.Td>{key.expiresAt ? format.dateTime(key.expiresAt) : t('settings.apiKeys.noExpiry')}</Table.Td>
                  <Table.Td>{key.lastUsedAt ? format.dateTime(key.lastUsedAt) : t('settings.users.never')}</Table.Td>
                  <Table.Td>
                    {key.revokedAt ? (
                      <Badge color="gray" variant="light">{t('settings.apiKeys.revokedBadge')}</Badge>
                    ) : (
                      <Button size="xs" variant="default" color="red" onClick={() => setRevoking(key)} aria-label={t('settings.apiKeys.revokeLabel', { name: key.name })}>
                        {t('settings.apiKeys.revoke')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      <CreateKeyModal opened={isCreating} onClose={() => setIsCreating(false)} />
      <Modal opened={revoking !== null} onClose={() => setRevoking(null)} title={t('settings.apiKeys.revokeTitle', { name: revoking?.name ?? '' })} closeButtonProps={{ 'aria-label': t('common.close') }}>
        <Stack gap="md">
          <Text size="sm">{t('settings.apiKeys.revokeHelp')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRevoking(null)} data-autofocus>{t('common.cancel')}</Button>
            <Button color="red" onClick={() => revoking && void revoke(revoking)}>{t('settings.apiKeys.revoke')}</Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
};
