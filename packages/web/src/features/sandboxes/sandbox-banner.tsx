import { Button, Group, Text } from '@mantine/core';
import { IconFlask } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../api/problem-messages.ts';
import { notify } from '../../components/ui/notify.ts';
import { switchWorkspace, useCurrentSandbox } from './sandboxes-api.ts';
import classes from './sandbox-banner.module.css';

/**
 * Above every screen of a sandbox workspace: whose sandbox this is, and the way back to production
 * (the session moves back and production's Settings › Sandboxes opens, to compare and deploy).
 */
export const SandboxBanner = ({ isSignedIn }: { isSignedIn: boolean }) => {
  const { t } = useTranslation();
  const current = useCurrentSandbox(isSignedIn);
  const [isLeaving, setIsLeaving] = useState(false);
  const sandbox = current.data?.sandbox;
  const production = current.data?.production;
  if (!sandbox || !production) return null;
  const back = async () => {
    setIsLeaving(true);
    try {
      await switchWorkspace({ workspaceId: production.id, path: `/settings/sandboxes/${sandbox.id}` });
    } catch (error) {
      notify({ message: problemMessage(t, error), color: 'red' });
      setIsLeaving(false);
    }
  };
  return (
    <section className={classes.banner} aria-label={t('sandboxes.banner.label')} data-sandbox-banner>
      <Group gap="sm" justify="space-between" wrap="wrap">
        <Group gap="xs" wrap="nowrap">
          <IconFlask size={18} aria-hidden style={{ flexShrink: 0 }} />
          <Text size="sm" fw={600}>{t('sandboxes.banner.text', { name: sandbox.name, production: production.name })}</Text>
        </Group>
        <Button size="compact-sm" variant="white" color="dark" loading={isLeaving} onClick={() => void back()}>
          {t('sandboxes.banner.back')}
        </Button>
      </Group>
    </section>
  );
};
