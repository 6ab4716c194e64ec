import { Alert, Badge, Button, Code, Group, PasswordInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, isApiError } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { LoadingScreen } from '../../components/ui/screens.tsx';
import { notify } from '../../components/ui/notify.ts';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { useSession } from '../auth/session.tsx';
import { meKey, useMe } from './account-api.ts';
import { AccountSection } from './account-section.tsx';
import { TotpEnrolment } from './totp-enrolment.tsx';
import { formErrorsOf, NO_ERRORS, type FormErrors } from './form-errors.ts';

const ChangePassword = () => {
  const { t, i18n } = useTranslation();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [isBusy, setIsBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.post('/auth/password', { currentPassword, newPassword });
      setCurrentPassword('');
      setNewPassword('');
      notify({ message: t('account.passwordChanged') });
    } catch (error) {
      setErrors(formErrorsOf(t, i18n.resolvedLanguage ?? 'en', error, ['currentPassword', 'newPassword']));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md" maw={420}>
        {errors.general ? <Alert color="red" role="alert">{errors.general}</Alert> : null}
        <PasswordInput label={t('account.currentPassword')} autoComplete="current-password" required value={currentPassword} onChange={(event) => setCurrentPassword(event.currentTarget.value)} error={errors.byField.currentPassword} />
        <PasswordInput label={t('account.newPassword')} description={t('auth.passwordHelp')} autoComplete="new-password" required value={newPassword} onChange={(event) => setNewPassword(event.currentTarget.value)} error={errors.byField.newPassword} />
        <Group>
          <Button type="submit" loading={isBusy}>{t('account.changePassword')}</Button>
        </Group>
      </Stack>
    </form>
  );
};

const DisableTotp = () => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setError(null);
    try {
      await api.post('/auth/totp/disable', { code: code.trim() });
      setCode('');
      await queryClient.invalidateQueries({ queryKey: meKey });
      notify({ message: t('account.totpOff') });
    } catch (failure) {
      setError(isApiError(failure) && failure.fieldErrors.length ? t('account.totpWrongCode') : problemMessage(t, failure));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm" maw={420}>
        <TextInput label={t('account.disableCodeLabel')} description={t('auth.recoveryHint')} autoComplete="one-time-code" required value={code} onChange={(event) => setCode(event.currentTarget.value)} error={error} />
        <Group>
          <Button type="submit" color="red" variant="light" loading={isBusy}>{t('account.totpDisable')}</Button>
        </Group>
      </Stack>
    </form>
  );
};

/** New recovery codes (the old ones stop working), after a current authenticator code; shown once. */
const RenewRecoveryCodes = ({ codesLeft }: { codesLeft: number | undefined }) => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setError(null);
    try {
      const result = await api.post<{ recoveryCodes: string[] }>('/auth/totp/recovery-codes', { code: code.trim() });
      setCode('');
      setCodes(result.recoveryCodes);
    } catch (failure) {
      setError(isApiError(failure) && (failure.fieldErrors.length || failure.code === 'TOTP_INVALID') ? t('account.totpWrongCode') : problemMessage(t, failure));
    } finally {
      setIsBusy(false);
    }
  };

  if (codes) {
    return (
      <Stack gap="sm">
        <Alert color="green" role="status">{t('admin.security.renewed')}</Alert>
        <Text size="sm">{t('account.recoveryCodesHelp')}</Text>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing={4} component="ul" aria-label={t('account.recoveryCodes')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {codes.map((recovery) => (
            <li key={recovery}><Code>{recovery}</Code></li>
          ))}
        </SimpleGrid>
        <Group>
          <Button onClick={() => { setCodes(null); void queryClient.invalidateQueries({ queryKey: meKey }); }}>{t('account.savedCodes')}</Button>
        </Group>
      </Stack>
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm" maw={420}>
        <Title order={3} size="h5">{t('admin.security.recoveryTitle')}</Title>
        <Text size="sm">{codesLeft === undefined ? t('admin.security.recoveryHelp') : t('admin.security.recoveryLeft', { count: codesLeft })}</Text>
        <TextInput label={t('admin.security.recoveryCodeLabel')} autoComplete="one-time-code" inputMode="numeric" required value={code} onChange={(event) => setCode(event.currentTarget.value)} error={error} />
        <Group>
          <Button type="submit" variant="default" loading={isBusy}>{t('admin.security.renew')}</Button>
        </Group>
      </Stack>
    </form>
  );
};

/** Account › Security: password, two-factor authentication, sessions. */
export const SecurityPage = () => {
  const { t } = useTranslation();
  const { signOutEverywhere } = useSession();
  const navigate = useNavigate();
  const { data: me, isLoading, error } = useMe();
  useDocumentTitle(t('account.securityTitle'));

  return (
    <Stack gap="lg" maw={820}>
      <Title order={1} size="h2" data-page-title tabIndex={-1}>{t('account.securityTitle')}</Title>
      <AccountSection title={t('account.passwordSection')}>
        <ChangePassword />
      </AccountSection>
      <AccountSection title={t('account.totpSection')}>
        {isLoading ? <LoadingScreen /> : null}
        {error ? <Alert color="red" role="alert">{problemMessage(t, error)}</Alert> : null}
        {me ? (
          <>
            {/* While enrolling, "off" would contradict the recovery codes screen: the status shows once it is on. */}
            {me.twoFactorEnabled || me.twoFactorRequired ? (
              <Group gap="xs">
                {me.twoFactorEnabled ? (
                  <>
                    <Text size="sm">{t('account.totpStatus')}</Text>
                    <Badge color="green" variant="light">{t('account.on')}</Badge>
                  </>
                ) : null}
                {me.twoFactorRequired ? <Badge color="blue" variant="light">{t('account.required')}</Badge> : null}
              </Group>
            ) : null}
            {me.twoFactorEnabled ? (
              <>
                <RenewRecoveryCodes codesLeft={me.recoveryCodesLeft} />
                <DisableTotp />
              </>
            ) : <TotpEnrolment />}
          </>
        ) : null}
      </AccountSection>
      <AccountSection title={t('account.sessionsSection')}>
        <Text size="sm">{t('account.signOutEverywhereHelp')}</Text>
        <Group>
          <Button
            variant="default"
            onClick={async () => {
              try {
                await signOutEverywhere();
                void navigate('/sign-in', { replace: true });
              } catch (failure) {
                notify({ message: problemMessage(t, failure), color: 'red' });
              }
            }}
          >
            {t('account.signOutEverywhere')}
          </Button>
        </Group>
      </AccountSection>
    </Stack>
  );
};
