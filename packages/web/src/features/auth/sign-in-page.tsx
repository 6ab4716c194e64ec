import { Alert, Anchor, Button, Divider, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { LoadingScreen } from '../../components/ui/screens.tsx';
import { isApiError } from '../../api/client.ts';
import { problemMessage, splitFieldErrors } from '../../api/problem-messages.ts';
import { AuthLayout } from './auth-layout.tsx';
import { useAuthStatus } from './auth-status.ts';
import { useSession } from './session.tsx';

const FIELDS = new Set(['email', 'password', 'totp']);

/** Email and password; a second step asks for the authenticator code when the API answers TOTP_REQUIRED. */
export const SignInPage = () => {
  const { t, i18n } = useTranslation();
  const { signIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [step, setStep] = useState<'password' | 'totp'>('password');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const next = (location.state as { from?: string } | null)?.from ?? '/';
  const status = useAuthStatus();
  const providers = status.data?.sso ?? [];
  const workspaces = new Set(providers.map((provider) => provider.workspace));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setMessage(null);
    setErrors({});
    try {
      await signIn({ email: email.trim(), password, ...(step === 'totp' ? { totp: totp.trim() } : {}) });
      void navigate(next, { replace: true });
    } catch (error) {
      if (isApiError(error, 'TOTP_REQUIRED')) {
        setStep('totp');
        return;
      }
      if (isApiError(error, 'TOTP_INVALID')) {
        setErrors({ totp: problemMessage(t, error) });
        setTotp('');
        return;
      }
      const split = isApiError(error) ? splitFieldErrors(t, i18n.resolvedLanguage ?? 'en', error.fieldErrors, FIELDS) : { byField: {}, general: [] };
      setErrors(split.byField);
      setMessage(isApiError(error, 'UNAUTHENTICATED') ? t('auth.wrongCredentials') : Object.keys(split.byField).length ? null : problemMessage(t, error));
    } finally {
      setIsBusy(false);
    }
  };

  // A new instance has nobody to sign in: its first person creates the workspace.
  if (status.isLoading) return <LoadingScreen />;
  if (status.data?.signUpOpen) return <Navigate to="/sign-up" replace />;

  return (
    <AuthLayout
      title={step === 'totp' ? t('auth.totpTitle') : t('auth.signInTitle')}
      subtitle={step === 'totp' ? t('auth.totpHelp') : t('auth.signInSubtitle')}
      footer={
        <>
          {t('auth.noAccount')}{' '}
          <Anchor component={Link} to="/sign-up">
            {t('auth.createWorkspace')}
          </Anchor>
        </>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {message ? (
            <Alert color="red" role="alert">
              {message}
            </Alert>
          ) : null}
          {step === 'password' ? (
            <>
              <TextInput label={t('auth.email')} type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.currentTarget.value)} error={errors.email} data-autofocus autoFocus />
              <PasswordInput label={t('auth.password')} autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.currentTarget.value)} error={errors.password} />
              <Anchor component={Link} to="/forgot-password" size="sm" ta="right">
                {t('account.forgotLink')}
              </Anchor>
            </>
          ) : (
            <TextInput
              label={t('auth.totpLabel')}
              description={t('auth.recoveryHint')}
              autoComplete="one-time-code"
              inputMode="numeric"
              required
              autoFocus
              value={totp}
              onChange={(event) => setTotp(event.currentTarget.value)}
              error={errors.totp}
              styles={{ input: { letterSpacing: '0.2em', fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
          )}
          <Button type="submit" loading={isBusy} fullWidth>
            {step === 'totp' ? t('auth.verify') : t('auth.signIn')}
          </Button>
          {step === 'password' && providers.length > 0 ? (
            <>
              <Divider label={t('admin.signIn.or')} labelPosition="center" />
              {providers.map((provider) => (
                <Button key={provider.startUrl} component="a" href={`${provider.startUrl}?returnTo=${encodeURIComponent(next)}`} variant="default" fullWidth>
                  {workspaces.size > 1 ? t('admin.signIn.withSsoIn', { provider: provider.provider, workspace: provider.workspace }) : t('admin.signIn.withSso', { provider: provider.provider })}
                </Button>
              ))}
            </>
          ) : null}
          {step === 'totp' ? (
            <Button variant="subtle" onClick={() => { setStep('password'); setTotp(''); setErrors({}); }}>
              {t('common.back')}
            </Button>
          ) : null}
        </Stack>
      </form>
    </AuthLayout>
  );
};
