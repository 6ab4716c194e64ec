import { Alert, Button, Code, Group, Image, List, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { groupSecret, qrCodeDataUrl } from './two-factor.ts';

/** Enrolment: a secret and its QR code, then a current code turns 2FA on and shows the recovery codes once. */
export const TotpEnrolment = ({ onDone }: { onDone?: () => void }) => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [enrolment, setEnrolment] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  const start = async () => {
    setIsBusy(true);
    setError(null);
    try {
      setEnrolment(await api.post<{ secret: string; otpauthUrl: string }>('/auth/totp/enroll', {}));
    } catch (failure) {
      setError(problemMessage(t, failure));
    } finally {
      setIsBusy(false);
    }
  };

  const verify = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setCodeError(null);
    try {
      const result = await api.post<{ recoveryCodes: string[] }>('/auth/totp/verify', { code: code.trim() });
      setRecoveryCodes(result.recoveryCodes);
    } catch (failure) {
      setCodeError(isApiError(failure) && failure.fieldErrors.length ? t('account.totpWrongCode') : problemMessage(t, failure));
    } finally {
      setIsBusy(false);
    }
  };

  const finish = async () => {
    await queryClient.invalidateQueries();
    onDone?.();
  };

  if (recoveryCodes) {
    return (
      <Stack gap="md">
        <Alert color="green" role="status">{t('account.totpOn')}</Alert>
        <Text size="sm">{t('account.recoveryCodesHelp')}</Text>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing={4} component="ul" aria-label={t('account.recoveryCodes')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {recoveryCodes.map((recovery) => (
            <li key={recovery}><Code>{recovery}</Code></li>
          ))}
        </SimpleGrid>
        <Group>
          <Button onClick={() => void finish()}>{t('account.savedCodes')}</Button>
        </Group>
      </Stack>
    );
  }

  if (!enrolment) {
    return (
      <Stack gap="sm" align="flex-start">
        {error ? <Alert color="red" role="alert">{error}</Alert> : null}
        <Text size="sm">{t('account.totpIntro')}</Text>
        <Button onClick={() => void start()} loading={isBusy}>{t('account.totpSetUp')}</Button>
      </Stack>
    );
  }

  return (
    <form onSubmit={verify} noValidate>
      <Stack gap="md">
        <List type="ordered" size="sm" spacing={4}>
          <List.Item>{t('account.totpStepScan')}</List.Item>
          <List.Item>{t('account.totpStepCode')}</List.Item>
        </List>
        <Group align="flex-start" gap="lg">
          <Image src={qrCodeDataUrl(enrolment.otpauthUrl)} alt={t('account.qrAlt')} w={180} h={180} bg="white" radius="sm" />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="totp-secret-label">{t('account.secretLabel')}</Text>
            <Code aria-labelledby="totp-secret-label" data-secret={enrolment.secret} fz="md">{groupSecret(enrolment.secret)}</Code>
          </Stack>
        </Group>
        <TextInput
          label={t('auth.totpLabel')}
          autoComplete="one-time-code"
          inputMode="numeric"
          required
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          error={codeError}
          maw={220}
        />
        <Group>
          <Button type="submit" loading={isBusy}>{t('account.totpTurnOn')}</Button>
        </Group>
      </Stack>
    </form>
  );
};

/**
 * The screen shown instead of the app while the workspace or the role requires two-factor
 * authentication and the person has not enrolled (the API answers TWO_FACTOR_ENROLMENT_REQUIRED).
 * Loaded by the gate (two-factor-gate.tsx) only when it is needed.
 */
export const EnrolmentRequiredScreen = () => {
  const { t } = useTranslation();
  useDocumentTitle(t('account.enrolmentRequiredTitle'));
  return (
    <Stack gap="lg" maw={720}>
      <Title order={1} size="h2" data-page-title tabIndex={-1}>{t('account.enrolmentRequiredTitle')}</Title>
      <Alert color="blue">{t('account.enrolmentRequiredHelp')}</Alert>
      <Paper withBorder radius="md" p="lg">
        <TotpEnrolment />
      </Paper>
    </Stack>
  );
};
