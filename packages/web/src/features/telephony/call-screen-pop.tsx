import { ActionIcon, Button, Group, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconPhoneIncoming, IconX } from '@tabler/icons-react';
import { formatPhone } from '@rapport/common/values/phone';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LOG_CALL_EVENT, type LogCallRequest } from '../../components/ui/call-request.ts';
import { paths } from '../object-record/metadata.ts';
import { CallLogPanel } from './call-log-panel.tsx';
import type { CallDraft } from './call-log.ts';
import classes from './call-screen-pop.module.css';
import { useRingingCalls, type RingingCall } from './use-ringing-calls.ts';

const RingingCallCard = ({ call, onLog, onDismiss }: { call: RingingCall; onLog(): void; onDismiss(): void }) => {
  const { t } = useTranslation();
  const number = call.phone ? formatPhone(call.phone) : null;
  const caller = call.person?.name ?? number ?? (call.from || t('telephony.unknownCaller'));
  return (
    <Paper shadow="lg" radius="md" p="sm" withBorder role="alert" aria-label={t('telephony.ringingTitle')} className={classes.card}>
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <ThemeIcon color="teal" radius="xl" size="lg" aria-hidden className={classes.ringing}>
          <IconPhoneIncoming size={18} />
        </ThemeIcon>
        <Stack gap={4} className={classes.body}>
          <Text size="xs" c="dimmed">
            {t('telephony.ringingTitle')}
          </Text>
          <Text fw={600}>{t('telephony.ringingFrom', { caller })}</Text>
          {call.person && number ? (
            <Text size="sm" c="dimmed">
              {number}
            </Text>
          ) : null}
          <Group gap="xs" mt={4}>
            <Button size="compact-sm" onClick={onLog}>
              {t('telephony.logCall')}
            </Button>
            {call.person ? (
              <Button size="compact-sm" variant="default" component={Link} to={paths.record('person', call.person.id)}>
                {t('telephony.openPerson', { name: call.person.name })}
              </Button>
            ) : null}
          </Group>
        </Stack>
        <ActionIcon variant="subtle" color="gray" onClick={onDismiss} aria-label={t('telephony.dismiss')}>
          <IconX size={16} aria-hidden />
        </ActionIcon>
      </Group>
    </Paper>
  );
};

/**
 * The screen pop: a card per call ringing for me (the change feed's `call.ringing`), and the in-call panel it opens;
 * the panel also answers "Log a call" asked from a phone number (call-request.ts).
 */
export const CallScreenPop = () => {
  const { calls, dismiss } = useRingingCalls();
  const [draft, setDraft] = useState<CallDraft | null>(null);

  useEffect(() => {
    const onRequest = (event: Event) => {
      const { phone, related } = (event as CustomEvent<LogCallRequest>).detail ?? {};
      const person = related?.object === 'person' ? { id: related.id, name: related.title ?? phone ?? '' } : null;
      setDraft({ direction: 'outbound', phone: phone ?? null, person });
    };
    window.addEventListener(LOG_CALL_EVENT, onRequest);
    return () => window.removeEventListener(LOG_CALL_EVENT, onRequest);
  }, []);

  const log = (call: RingingCall) => {
    dismiss(call.callId);
    setDraft({ callId: call.callId, direction: 'inbound', phone: call.phone, person: call.person });
  };

  return (
    <>
      {calls.length > 0 ? (
        <Stack gap="xs" className={classes.stack}>
          {calls.map((call) => (
            <RingingCallCard key={call.callId} call={call} onLog={() => log(call)} onDismiss={() => dismiss(call.callId)} />
          ))}
        </Stack>
      ) : null}
      {/* Keyed by the call: each opens with a fresh form. */}
      <CallLogPanel key={draft ? (draft.callId ?? `new:${draft.phone}`) : 'closed'} draft={draft} onClose={() => setDraft(null)} />
    </>
  );
};
