import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, isApiError } from '../../api/client.ts';
import { AuthLayout } from '../auth/auth-layout.tsx';
import { useSession } from '../auth/session.tsx';
import { formErrorsOf, NO_ERRORS, type FormErrors } from './form-errors.ts';

const BackToSignIn = () => {
  const { t } = useTranslation();
  return (
    <Anchor component={Link} to="/sign-in">
      {t('account.backToSignIn')}
    </Anchor>
  );
};

const FormAlert = ({ message, color = 'red' }: { message: string | null; color?: string }) =>
  message ? (
    <Alert color={color} role="alert">
      {message}
    </Alert>
  ) : null;

/** `/accept-invitation?token=…`: the invitee picks a name and password and is signed in. */
export const AcceptInvitationPage = () => {
  const { t, i18n } = useTranslation();
  const { acceptInvitation } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [isBusy, setIsBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setErrors(NO_ERRORS);
    try {
      await acceptInvitation({ token, password, ...(name.trim() ? { name: name.trim() } : {}) });
      void navigate('/', { replace: true });
    } catch (error) {
      setErrors(isApiError(error, 'LINK_INVALID') ? { byField: {}, general: t('account.linkInvalid') } : formErrorsOf(t, i18n.resolvedLanguage ?? 'en', error, ['name', 'password']));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <AuthLayout title={t('account.acceptTitle')} subtitle={t('account.acceptSubtitle')} footer={<BackToSignIn />}>
      {token ? (
        <form onSubmit={onSubmit} noValidate>
          <Stack gap="md">
            <FormAlert message={errors.general} />
            <TextInput label={t('auth.name')} description={t('account.nameOptional')} autoComplete="name" value={name} onChange={(event) => setName(event.currentTarget.value)} error={errors.byField.name} autoFocus />
            <PasswordInput label={t('account.choosePassword')} description={t('auth.passwordHelp')} autoComplete="new-password" required value={password} onChange={(event) => setPassword(event.currentTarget.value)} error={errors.byField.password} />
            <Button type="submit" loading={isBusy} fullWidth>
              {t('account.acceptButton')}
            </Button>
          </Stack>
        </form>
      ) : (
        <Text role="alert">{t('account.linkMissing')}</Text>
      )}
    </AuthLayout>
  );
};

/** `/reset-password?token=…`: a new password from the link in the reset email. */
export const ResetPasswordPage = () => {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [isDone, setIsDone] = useState(false);
  const [isBusy, setIsBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.post('/auth/password-reset/confirm', { token, password }, { isPublic: true });
      setIsDone(true);
    } catch (error) {
      setErrors(isApiError(error, 'LINK_INVALID') ? { byField: {}, general: t('account.linkInvalid') } : formErrorsOf(t, i18n.resolvedLanguage ?? 'en', error, ['password']));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <AuthLayout title={t('account.resetTitle')} subtitle={t('account.resetSubtitle')} footer={<BackToSignIn />}>
      {isDone ? (
        <Stack gap="md">
          <FormAlert color="green" message={t('account.resetDone')} />
          <Button component={Link} to="/sign-in" fullWidth>
            {t('auth.signIn')}
          </Button>
        </Stack>
      ) : token ? (
        <form onSubmit={onSubmit} noValidate>
          <Stack gap="md">
            <FormAlert message={errors.general} />
            <PasswordInput label={t('account.newPassword')} description={t('auth.passwordHelp')} autoComplete="new-password" required value={password} onChange={(event) => setPassword(event.currentTarget.value)} error={errors.byField.password} autoFocus />
            <Button type="submit" loading={isBusy} fullWidth>
              {t('account.setPassword')}
            </Button>
          </Stack>
        </form>
      ) : (
        <Text role="alert">{t('account.linkMissing')}</Text>
      )}
    </AuthLayout>
  );
};

/** `/forgot-password`: asks for a reset email; the answer never says whether the account exists. */
export const ForgotPasswordPage = () => {
  const { t, i18n } = useTranslation();
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [isSent, setIsSent] = useState(false);
  const [isBusy, setIsBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.post('/auth/password-reset', { email: email.trim() }, { isPublic: true });
      setIsSent(true);
    } catch (error) {
      setErrors(formErrorsOf(t, i18n.resolvedLanguage ?? 'en', error, ['email']));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <AuthLayout title={t('account.forgotTitle')} subtitle={t('account.forgotSubtitle')} footer={<BackToSignIn />}>
      {isSent ? (
        <FormAlert color="green" message={t('account.forgotSent', { email: email.trim() })} />
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <Stack gap="md">
            <FormAlert message={errors.general} />
            <TextInput label={t('auth.email')} type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.currentTarget.value)} error={errors.byField.email} autoFocus />
            <Button type="submit" loading={isBusy} fullWidth>
              {t('account.sendLink')}
            </Button>
          </Stack>
        </form>
      )}
    </AuthLayout>
  );
};
