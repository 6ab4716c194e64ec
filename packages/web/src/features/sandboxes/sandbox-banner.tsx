import { Button, Group, Text } from '@mantine/core';
import { IconFlask } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useCurrentSandbox } from './sandboxes-api.ts';
import { useWorkspaceSwitch } from './workspace-switch.ts';
import classes from './sandbox-banner.module.css';

/**
 * Above every screen of a sandbox workspace: whose sandbox this is, and the way back to production
 * (the session moves back and production's Settings › Sandboxes opens, to compare and deploy).
 */
export const SandboxBanner = ({ isSignedIn }: { isSignedIn: boolean }) => {
  const { t } = useTranslation();
  const current = useCurrentSandbox(isSignedIn);
  const { switchTo, switchingTo } = useWorkspaceSwitch();
  const sandbox = current.data?.sandbox;
  const production = current.data?.production;
  if (!sandbox || !production) return null;
  return (
    <section className={classes.banner} aria-label={t('sandboxes.banner.label')} data-sandbox-banner>
      <Group gap="sm" justify="space-between" wrap="wrap">
        <Group gap="xs" wrap="nowrap">
          <IconFlask size={18} aria-hidden style={{ flexShrink: 0 }} />
          <Text size="sm" fw={600}>{t('sandboxes.banner.text', { name: sandbox.name, production: production.name })}</Text>
        </Group>
        <Button size="compact-sm" variant="white" color="dark" loading={switchingTo === production.id} onClick={() => void switchTo(production.id, `/settings/sandboxes/${sandbox.id}`)}>
          {t('sandboxes.banner.back')}
        </Button>
      </Group>
    </section>
  );
};
