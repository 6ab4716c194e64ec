import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { problemMessage, splitFieldErrors } from '../../api/problem-messages.ts';
import { AuthLayout } from './auth-layout.tsx';
import { useAuthStatus } from './auth-status.ts';
import { useSession, type SignUpInput } from './session.tsx';

const FIELDS = new Set(['workspaceName', 'name', 'email', 'password']);

/** The first administrator creates the workspace. */
export const SignUpPage = () => {
  const { t, i18n } = useTranslation();
  const { signUp } = useSession();
  const navigate = useNavigate();
  const [values, setValues] = useState<SignUpInput>({ workspaceName: '', name: '', email: '', password: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const status = useAuthStatus();
  const isFirstRun = status.data?.signUpOpen === true;
  const set = (key: keyof SignUpInput) => (event: React.ChangeEvent<HTMLInputElement>) => setValues({ ...values, [key]: event.currentTarget.value });

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setMessage(null);
    setErrors({});
    try {
      await signUp({ ...values, workspaceName: values.workspaceName.trim(), name: values.name.trim(), email: values.email.trim() });
      void navigate('/', { replace: true });
    } catch (error) {
      const split = isApiError(error) ? splitFieldErrors(t, i18n.resolvedLanguage ?? 'en', error.fieldErrors, FIELDS) : { byField: {}, general: [] };
      setErrors(split.byField);
      setMessage(Object.keys(split.byField).length && !split.general.length ? null : [problemMessage(t, error), ...split.general].join(' '));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <AuthLayout
      title={t('auth.signUpTitle')}
      subtitle={t('auth.signUpSubtitle')}
      footer={
        // On a new instance nobody can sign in yet (sign-in sends back here).
        isFirstRun ? undefined : (
          <>
            {t('auth.haveAccount')}{' '}
            <Anchor component={Link} to="/sign-in">
              {t('auth.signIn')}
            </Anchor>
          </>
        )
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {isFirstRun ? <Alert color="blue">{t('admin.signUp.firstRun')}</Alert> : null}
          {status.data && !status.data.signUpOpen ? <Alert color="yellow">{t('problems.SIGN_UP_CLOSED')}</Alert> : null}
          {message ? (
            <Alert color="red" role="alert">
              {message}
            </Alert>
          ) : null}
          <TextInput label={t('auth.workspaceName')} description={t('auth.workspaceNameHelp')} required value={values.workspaceName} onChange={set('workspaceName')} error={errors.workspaceName} autoFocus />
          <TextInput label={t('auth.name')} autoComplete="name" required value={values.name} onChange={set('name')} error={errors.name} />
          <TextInput label={t('auth.email')} type="email" autoComplete="email" required value={values.email} onChange={set('email')} error={errors.email} />
          <PasswordInput label={t('auth.password')} description={t('auth.passwordHelp')} autoComplete="new-password" required value={values.password} onChange={set('password')} error={errors.password} />
          <Button type="submit" loading={isBusy} fullWidth>
            {t('auth.createWorkspace')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
};
