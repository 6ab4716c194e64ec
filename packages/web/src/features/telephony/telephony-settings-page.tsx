import { ActionIcon, Alert, Button, Code, CopyButton, Group, Paper, PasswordInput, Radio, Select, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconCheck, IconCopy, IconPlus, IconRefresh, IconTrash } from '@tabler/icons-react';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client.ts';
import { fieldErrorMessage, problemMessage } from '../../api/problem-messages.ts';
import { notify } from '../../components/ui/notify.ts';
import { LoadingScreen } from '../../components/ui/screens.tsx';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { ConfirmModal, memberLabel, SettingsIntro } from '../settings/admin-ui.tsx';
import { useMembers } from '../settings/settings-api.ts';
import { SettingsTitle } from '../settings/settings-layout.tsx';
import {
  bodyOf,
  checkForm,
  countryOptions,
  formOf,
  hasErrors,
  isPhoneLine,
  lineKeyOf,
  MAX_SECRET_LENGTH,
  MIN_SECRET_LENGTH,
  newLineRow,
  serverErrorsOf,
  TELEPHONY_PROVIDERS,
  type FormErrorCode,
  type TelephonyForm,
  type TelephonyFormErrors,
  type TelephonySettings,
} from './telephony-settings-model.ts';
import { TelephonyTestPanel } from './telephony-test-panel.tsx';

const telephonySettingsKey = ['settings', 'telephony'] as const;
const useTelephonySettings = () => useQuery({ queryKey: telephonySettingsKey, queryFn: ({ signal }) => api.get<TelephonySettings>('/telephony/settings', undefined, signal) });

const NO_ERRORS: TelephonyFormErrors = { lines: {}, users: {}, general: [] };
const FORM_CODES: readonly string[] = ['secretRequired', 'secretTooShort', 'secretTooLong', 'lineRequired', 'lineTooLong', 'userRequired', 'duplicateLine'] satisfies FormErrorCode[];

const WebhookUrl = ({ settings, provider }: { settings: TelephonySettings; provider: TelephonyForm['provider'] }) => {
  const { t } = useTranslation();
  if (!settings.webhookUrl) return <Text size="sm" c="dimmed">{t('telephony.settings.webhookNotYet')}</Text>;
  return (
    <Stack gap="xs">
      <Group gap="xs" wrap="nowrap" align="center">
        <Code id="telephony-webhook-url" style={{ overflowWrap: 'anywhere', flex: 1 }} p="xs">{settings.webhookUrl}</Code>
        <CopyButton value={settings.webhookUrl}>
          {({ copied, copy }) => (
            <Button size="xs" variant="default" onClick={copy} leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />} aria-describedby="telephony-webhook-url">
              {copied ? t('telephony.settings.copied') : t('telephony.settings.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text size="sm">{provider === 'twilio' ? t('telephony.settings.webhookTwilio') : t('telephony.settings.webhookRapport')}</Text>
    </Stack>
  );
};

const TelephonySettingsForm = ({ settings }: { settings: TelephonySettings }) => {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'en';
  const queryClient = useQueryClient();
  const { data: members = [] } = useMembers();
  const [form, setForm] = useState<TelephonyForm>(() => formOf(settings));
  const [errors, setErrors] = useState<TelephonyFormErrors>(NO_ERRORS);
  const [failure, setFailure] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [isRotating, setIsRotating] = useState(false);
  const countries = useMemo(() => countryOptions(language), [language]);
  const userOptions = members.filter((member) => member.status !== 'deactivated' || Object.values(settings.lines).includes(member.id)).map((member) => ({ value: member.id, label: memberLabel(member) }));

  const messageOf = (error: string | undefined) => (error === undefined ? undefined : FORM_CODES.includes(error) ? t(`telephony.settings.errors.${error as FormErrorCode}`, { min: MIN_SECRET_LENGTH, max: MAX_SECRET_LENGTH }) : error);
  // A field's error goes as soon as it is changed; the next save checks again.
  const update = (patch: Partial<TelephonyForm>) => {
    setForm((current) => ({ ...current, ...patch }));
    if ('secret' in patch) setErrors((current) => ({ ...current, secret: undefined }));
  };
  const updateRow = (id: string, patch: { line?: string; userId?: string | null }) => {
    setForm((current) => ({ ...current, lines: current.lines.map((row) => (row.id === id ? { ...row, ...patch } : row)) }));
    const without = (errors: Record<string, string>) => Object.fromEntries(Object.entries(errors).filter(([rowId]) => rowId !== id));
    setErrors((current) => ({ ...current, lines: without(current.lines), users: without(current.users) }));
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const checked = checkForm(form, settings.hasSecret);
    setErrors(checked);
    if (hasErrors(checked)) {
      setFailure(t('telephony.settings.notSaved'));
      return;
    }
    setIsBusy(true);
    try {
      const saved = await api.put<TelephonySettings>('/telephony/settings', bodyOf(form));
      // The form starts again from what the server stored (keyed by updatedAt): numbers shown as saved, the secret as its hint.
      queryClient.setQueryData(telephonySettingsKey, saved);
      notify({ message: t('telephony.settings.saved') });
    } catch (error) {
      if (isApiError(error) && error.fieldErrors.length > 0) {
        const placed = serverErrorsOf(form, error.fieldErrors, (each) => (each.field.startsWith('lines.') && each.code === 'relationNotFound' ? t('telephony.settings.errors.notMember') : fieldErrorMessage(t, language, each)));
        setErrors(placed);
        setFailure([t('telephony.settings.notSaved'), ...placed.general].join(' '));
      } else setFailure(problemMessage(t, error));
    } finally {
      setIsBusy(false);
    }
  };

  const isTwilio = form.provider === 'twilio';
  return (
    <form onSubmit={onSubmit} noValidate aria-label={t('settings.tabs.telephony')}>
      <Stack gap="md" maw={820}>
        <Paper withBorder radius="md" p="md" component="section" aria-labelledby="telephony-provider">
          <Text component="h2" fw={700} size="lg" id="telephony-provider" mb="sm">{t('telephony.settings.provider')}</Text>
          <Radio.Group value={form.provider} onChange={(value) => update({ provider: value as TelephonyForm['provider'] })} aria-labelledby="telephony-provider">
            <Stack gap="sm">
              {TELEPHONY_PROVIDERS.map((provider) => (
                <Radio key={provider} value={provider} label={t(`telephony.settings.providers.${provider}`)} description={t(`telephony.settings.providers.${provider}Help`)} />
              ))}
            </Stack>
          </Radio.Group>
        </Paper>

        <Paper withBorder radius="md" p="md" component="section" aria-labelledby="telephony-secret">
          <Text component="h2" fw={700} size="lg" id="telephony-secret" mb="sm">{t('telephony.settings.signing')}</Text>
          <Stack gap="xs">
            {settings.hasSecret && settings.secretHint ? (
              <Text size="sm" data-testid="telephony-secret-hint">{t('telephony.settings.secretStored', { hint: settings.secretHint })}</Text>
            ) : null}
            <PasswordInput
              label={settings.hasSecret ? (isTwilio ? t('telephony.settings.replaceAuthToken') : t('telephony.settings.replaceSecret')) : isTwilio ? t('telephony.settings.authToken') : t('telephony.settings.secret')}
              description={[isTwilio ? t('telephony.settings.authTokenHelp') : t('telephony.settings.secretHelp', { min: MIN_SECRET_LENGTH }), settings.hasSecret ? t('telephony.settings.keepSecret') : ''].join(' ').trim()}
              required={!settings.hasSecret}
              autoComplete="new-password"
              value={form.secret}
              onChange={(event) => update({ secret: event.currentTarget.value })}
              error={messageOf(errors.secret)}
              visibilityToggleButtonProps={{ 'aria-label': t('telephony.settings.showSecret') }}
            />
          </Stack>
        </Paper>

        <Paper withBorder radius="md" p="md" component="section" aria-labelledby="telephony-webhook">
          <Group justify="space-between" mb="sm">
            <Text component="h2" fw={700} size="lg" id="telephony-webhook">{t('telephony.settings.webhook')}</Text>
            {settings.webhookUrl ? (
              <Button size="xs" variant="subtle" leftSection={<IconRefresh size={14} aria-hidden />} onClick={() => setIsRotating(true)}>{t('telephony.settings.rotate')}</Button>
            ) : null}
          </Group>
          <WebhookUrl settings={settings} provider={form.provider} />
        </Paper>

        <Paper withBorder radius="md" p={{ base: 'sm', sm: 'md' }} component="section" aria-labelledby="telephony-lines">
          <Text component="h2" fw={700} size="lg" id="telephony-lines" mb={4}>{t('telephony.settings.lines')}</Text>
          <Text size="sm" c="dimmed" mb="md">{t('telephony.settings.linesHelp')}</Text>
          <Stack gap="md">
            <Select
              label={t('telephony.settings.defaultCountry')}
              description={t('telephony.settings.defaultCountryHelp')}
              placeholder={t('telephony.settings.noCountry')}
              data={countries}
              searchable
              clearable
              limit={300}
              nothingFoundMessage={t('telephony.settings.noCountryFound')}
              value={form.defaultCountry}
              onChange={(value) => update({ defaultCountry: value })}
              maw={420}
            />
            <Table verticalSpacing="xs" horizontalSpacing="xs" layout="fixed" aria-labelledby="telephony-lines">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col" w="50%">{t('telephony.settings.line')}</Table.Th>
                  <Table.Th scope="col">{t('telephony.settings.user')}</Table.Th>
                  <Table.Th scope="col" w={44}><VisuallyHidden>{t('telephony.settings.actions')}</VisuallyHidden></Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {form.lines.map((row, index) => {
                  const line = row.line.trim();
                  const key = line ? lineKeyOf(line, form.defaultCountry) : '';
                  const hint = !line ? undefined : isPhoneLine(line, form.defaultCountry) ? (key !== line ? t('telephony.settings.savedAs', { value: key }) : undefined) : t('telephony.settings.extension');
                  return (
                    <Table.Tr key={row.id}>
                      <Table.Td style={{ verticalAlign: 'top' }}>
                        <TextInput
                          aria-label={t('telephony.settings.lineLabel', { number: index + 1 })}
                          placeholder="+33 1 42 68 53 00 / 201"
                          value={row.line}
                          onChange={(event) => updateRow(row.id, { line: event.currentTarget.value })}
                          description={hint}
                          inputWrapperOrder={['input', 'description', 'error']}
                          error={messageOf(errors.lines[row.id])}
                        />
                      </Table.Td>
                      <Table.Td style={{ verticalAlign: 'top' }}>
                        <Select
                          aria-label={t('telephony.settings.userLabel', { number: index + 1 })}
                          placeholder={t('telephony.settings.pickUser')}
                          data={userOptions}
                          searchable
                          value={row.userId}
                          onChange={(userId) => updateRow(row.id, { userId })}
                          error={messageOf(errors.users[row.id])}
                        />
                      </Table.Td>
                      <Table.Td style={{ verticalAlign: 'top' }}>
                        <ActionIcon variant="subtle" color="gray" size="lg" aria-label={t('telephony.settings.removeLine', { number: index + 1 })} onClick={() => setForm((current) => ({ ...current, lines: current.lines.filter((each) => each.id !== row.id) }))}>
                          <IconTrash size={16} aria-hidden />
                        </ActionIcon>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
            {form.lines.length === 0 ? <Text size="sm" c="dimmed">{t('telephony.settings.noLines')}</Text> : null}
            <Group>
              <Button variant="default" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => update({ lines: [...form.lines, newLineRow()] })}>{t('telephony.settings.addLine')}</Button>
            </Group>
          </Stack>
        </Paper>

        {failure ? <Alert color="red" role="alert" title={t('telephony.settings.notSavedTitle')}>{failure}</Alert> : null}
        <Group justify="flex-end">
          <Button type="submit" loading={isBusy}>{t('common.save')}</Button>
        </Group>
      </Stack>
      {isRotating ? (
        <ConfirmModal
          title={t('telephony.settings.rotateTitle')}
          help={t('telephony.settings.rotateHelp')}
          confirmLabel={t('telephony.settings.rotate')}
          confirmColor="red"
          onClose={() => setIsRotating(false)}
          onConfirm={async () => {
            // Only the URL changes: lines, country and secret are kept when left out.
            const saved = await api.put<TelephonySettings>('/telephony/settings', { provider: settings.provider ?? form.provider, rotateWebhookToken: true });
            queryClient.setQueryData(telephonySettingsKey, saved);
            notify({ message: t('telephony.settings.rotated') });
          }}
        />
      ) : null}
    </form>
  );
};

/** Settings › Telephony: the provider whose webhook makes call records, its secret, the webhook URL, who answers which line, and a test event. */
export const TelephonySettingsPage = () => {
  const { t } = useTranslation();
  const { data: settings, isLoading, error } = useTelephonySettings();
  useDocumentTitle(t('settings.tabs.telephony'));
  return (
    <Stack gap="md">
      <SettingsTitle>{t('settings.tabs.telephony')}</SettingsTitle>
      <SettingsIntro>{t('telephony.settings.intro')}</SettingsIntro>
      {isLoading ? <LoadingScreen /> : null}
      {error ? <Alert color="red" role="alert">{problemMessage(t, error)}</Alert> : null}
      {settings && !settings.isConfigured ? <Alert color="blue" role="status" maw={820}>{t('telephony.settings.notConfigured')}</Alert> : null}
      {settings ? <TelephonySettingsForm key={settings.updatedAt ?? 'new'} settings={settings} /> : null}
      {settings ? <TelephonyTestPanel key={`test-${settings.updatedAt ?? 'new'}`} settings={settings} /> : null}
    </Stack>
  );
};
