import { Alert, Button, Group, List, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconCircleCheck, IconPlugConnected, IconAlertTriangle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client.ts';
import { fieldErrorMessage, problemMessage } from '../../api/problem-messages.ts';
import { memberLabel } from '../settings/admin-ui.tsx';
import { useMembers } from '../settings/settings-api.ts';
import type { TelephonySettings } from './telephony-settings-model.ts';
import { SERVER_MESSAGE, summariseTestResult, testEventBodyOf, type ResultLine, type TestEventResult } from './telephony-test-model.ts';

/**
 * "Send a test event" on Settings › Telephony: a sample ringing call, signed with the saved secret, through the
 * webhook's own pipeline on the server and rolled back there. Shows what the call would be, or the plain reason it
 * would not be logged.
 */
const DEFAULT_LINE = '__default';

export const TelephonyTestPanel = ({ settings }: { settings: TelephonySettings }) => {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'en';
  const { data: members = [] } = useMembers();
  const [from, setFrom] = useState('');
  const [line, setLine] = useState<string | null>(null);
  const [fromError, setFromError] = useState<string | undefined>();
  const [result, setResult] = useState<TestEventResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const isReady = settings.hasSecret && Boolean(settings.webhookUrl);
  const nameOf = (userId: string) => {
    const member = members.find((each) => each.id === userId);
    return member ? memberLabel(member) : userId;
  };
  const lineOptions = Object.entries(settings.lines)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, userId]) => ({ value: key, label: `${key} — ${nameOf(userId)}` }));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setFailure(null);
    setFromError(undefined);
    setResult(null);
    try {
      setResult(await api.post<TestEventResult>('/telephony/test-event', testEventBodyOf({ from, line })));
    } catch (error) {
      const fromField = isApiError(error) ? error.fieldErrors.find((each) => each.field === 'from') : undefined;
      if (fromField) setFromError(fieldErrorMessage(t, language, fromField));
      else setFailure(problemMessage(t, error));
    } finally {
      setIsBusy(false);
    }
  };

  // A code this version does not know: the server's own sentence, as it wrote it.
  const translate = t as unknown as (key: string, values: Record<string, string>) => string;
  const say = (line: ResultLine) => (line.key === SERVER_MESSAGE ? (line.values.message ?? '') : translate(`telephony.test.${line.key}`, line.values));
  const summary = result ? summariseTestResult(result) : null;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="telephony-test" maw={820}>
      <Text component="h2" fw={700} size="lg" id="telephony-test" mb={4}>{t('telephony.test.title')}</Text>
      <Text size="sm" c="dimmed" mb="md">{t('telephony.test.help')}</Text>
      {!isReady ? (
        <Text size="sm" data-testid="telephony-test-not-ready">{t('telephony.test.notReady')}</Text>
      ) : (
        <form onSubmit={onSubmit} noValidate aria-labelledby="telephony-test">
          <Stack gap="sm">
            <Group align="flex-start" grow wrap="wrap">
              <TextInput
                label={t('telephony.test.from')}
                description={t('telephony.test.fromHelp')}
                placeholder="+1 202 555 0142"
                value={from}
                onChange={(event) => {
                  setFrom(event.currentTarget.value);
                  setFromError(undefined);
                }}
                error={fromError}
                miw={240}
              />
              <Select
                label={t('telephony.test.line')}
                description={t('telephony.test.lineHelp')}
                placeholder={t('telephony.test.noLines')}
                // The server's choice is an option of its own: picked back from the keyboard like any line.
                data={lineOptions.length > 0 ? [{ value: DEFAULT_LINE, label: t('telephony.test.lineDefault') }, ...lineOptions] : []}
                value={lineOptions.length > 0 ? (line ?? DEFAULT_LINE) : null}
                onChange={(value) => setLine(value === DEFAULT_LINE ? null : value)}
                allowDeselect={false}
                disabled={lineOptions.length === 0}
                miw={240}
              />
            </Group>
            <Group>
              <Button type="submit" variant="light" loading={isBusy} leftSection={<IconPlugConnected size={16} aria-hidden />}>{t('telephony.test.send')}</Button>
            </Group>
            {failure ? <Alert color="red" role="alert">{failure}</Alert> : null}
            {summary ? (
              <Alert
                color={summary.tone === 'ok' ? 'green' : 'red'}
                role={summary.tone === 'ok' ? 'status' : 'alert'}
                icon={summary.tone === 'ok' ? <IconCircleCheck size={18} aria-hidden /> : <IconAlertTriangle size={18} aria-hidden />}
                title={summary.tone === 'ok' ? t('telephony.test.okTitle') : t('telephony.test.failedTitle')}
                data-testid="telephony-test-result"
                data-result={summary.tone}
              >
                <Stack gap={6}>
                  {summary.lines.map((each) => <Text size="sm" key={each.key}>{say(each)}</Text>)}
                  {summary.fieldErrors.length > 0 ? (
                    <List size="sm">
                      {summary.fieldErrors.map((each) => <List.Item key={`${each.field}-${each.code}`}><b>{each.field}</b>: {fieldErrorMessage(t, language, each)}</List.Item>)}
                    </List>
                  ) : null}
                  {summary.notes.length > 0 ? (
                    <>
                      <Text size="sm" fw={600} mt={4}>{t('telephony.test.notesTitle')}</Text>
                      <List size="sm">
                        {summary.notes.map((each) => <List.Item key={each.key}>{say(each)}</List.Item>)}
                      </List>
                    </>
                  ) : null}
                </Stack>
              </Alert>
            ) : null}
          </Stack>
        </form>
      )}
    </Paper>
  );
};
