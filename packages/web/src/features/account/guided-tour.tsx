import { Button, CloseButton, Group, Paper, Portal, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { useSession } from '../auth/session.tsx';
import { isTourDone, markTourDone, tourStepsFor } from './tour-state.ts';

/**
 * A short tour on the start screen until the person finishes or dismisses it (remembered per user in
 * this browser). It is a card in a corner, not a modal: nothing on the page is blocked behind it.
 */
export const GuidedTour = () => {
  const { t } = useTranslation();
  const { session } = useSession();
  const location = useLocation();
  const [index, setIndex] = useState(0);
  const [isDismissed, setIsDismissed] = useState(false);
  if (session.status !== 'signedIn' || location.pathname !== '/' || isDismissed || isTourDone(session.user.id)) return null;
  const steps = tourStepsFor(session.user.isAdmin === true);
  const step = steps[Math.min(index, steps.length - 1)]!;
  const isLast = index >= steps.length - 1;
  const finish = () => {
    markTourDone(session.user.id);
    setIsDismissed(true);
  };

  return (
    <Portal>
      <Paper
        component="aside"
        aria-labelledby="guided-tour-title"
        withBorder
        shadow="lg"
        radius="md"
        p="md"
        w={340}
        maw="calc(100vw - 32px)"
        style={{ position: 'fixed', right: 16, bottom: 16, zIndex: 150 }}
      >
        <Stack gap="xs">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <div>
              <Text size="xs" c="dimmed">{t('admin.tour.progress', { current: index + 1, total: steps.length })}</Text>
              <Title order={2} size="h5" id="guided-tour-title">{t(`admin.tour.steps.${step}.title`)}</Title>
            </div>
            <CloseButton aria-label={t('admin.tour.dismiss')} onClick={finish} />
          </Group>
          <Text size="sm">{t(`admin.tour.steps.${step}.body`)}</Text>
          <Group justify="space-between" mt={4}>
            <Button variant="subtle" size="xs" onClick={finish}>{t('admin.tour.skip')}</Button>
            <Group gap="xs">
              {index > 0 ? <Button variant="default" size="xs" onClick={() => setIndex(index - 1)}>{t('common.back')}</Button> : null}
              <Button size="xs" onClick={isLast ? finish : () => setIndex(index + 1)}>{isLast ? t('admin.tour.done') : t('admin.tour.next')}</Button>
            </Group>
          </Group>
        </Stack>
      </Paper>
    </Portal>
  );
};
