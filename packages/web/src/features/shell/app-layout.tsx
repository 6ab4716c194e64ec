import { AppShell, Avatar, Burger, Button, Group, Kbd, Menu, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDisclosure, useOs } from '@mantine/hooks';
import { spotlight } from '@mantine/spotlight';
import { IconLogout, IconSearch, IconShieldLock, IconUser } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { TwoFactorGate } from '../account/two-factor-gate.tsx';
import { useSession } from '../auth/session.tsx';
import { ValueContextProvider } from '../field-types/value-context.tsx';
import { CommandPalette } from '../search/command-palette.tsx';
import { NotificationBell } from '../notifications/notification-bell.tsx';
import { SandboxBanner } from '../sandboxes/sandbox-banner.tsx';
import { CallScreenPop } from '../telephony/call-screen-pop.tsx';
import { useLiveEvents } from '../../api/live-events.ts';
import { useWorkspaceSettings } from '../../api/queries.ts';
import '../../components/ui/live-change.css';
import { Brand } from './brand.tsx';
import { useWorkspaceLanguage } from './interface-language.ts';
import { LanguageMenu } from './language-menu.tsx';
import { Navigation } from './navigation.tsx';
import { ThemeToggle } from './theme-toggle.tsx';
import classes from './app-layout.module.css';

const UserMenu = () => {
  const { t } = useTranslation();
  const { session, signOut } = useSession();
  const navigate = useNavigate();
  if (session.status !== 'signedIn') return null;
  const name = session.user.name || session.user.email;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={t('shell.account', { name })} className={classes.userButton}>
          <Avatar size={32} radius="xl" color="blue" aria-hidden>
            <IconUser size={18} />
          </Avatar>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={500} c="var(--mantine-color-text)">{session.user.name}</Text>
          <Text size="xs">{session.user.email}</Text>
          {session.user.workspace ? <Text size="xs">{session.user.workspace.name}</Text> : null}
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item leftSection={<IconUser size={16} aria-hidden />} onClick={() => void navigate('/account/preferences')}>{t('account.preferences.title')}</Menu.Item>
        <Menu.Item leftSection={<IconShieldLock size={16} aria-hidden />} onClick={() => void navigate('/account/security')}>
          {t('account.securityTitle')}
        </Menu.Item>
        <Menu.Item
          leftSection={<IconLogout size={16} aria-hidden />}
          onClick={async () => {
            await signOut();
            void navigate('/sign-in', { replace: true });
          }}
        >
          {t('auth.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
};

/** The signed-in frame: header (search, language, theme, account), objects on the left, the screen in the middle. */
export const AppLayout = () => {
  const { t } = useTranslation();
  const [isNavOpen, { toggle, close }] = useDisclosure(false);
  const os = useOs();
  const location = useLocation();
  const isFirstRender = useRef(true);
  const { session } = useSession();
  // Changes made by others reach lists, boards and record pages within a second (server-sent events).
  useLiveEvents(session.status === 'signedIn' ? session.user.id : null);
  // Without a language of their own, people read the workspace's default locale.
  const { data: workspace } = useWorkspaceSettings(session.status === 'signedIn');
  useWorkspaceLanguage(workspace?.locale);

  // After each navigation, focus moves to the new screen's title so screen readers announce it.
  useEffect(() => {
    if (isFirstRender.current) {
      isFirstRender.current = false;
      return;
    }
    const timer = window.setTimeout(() => document.querySelector<HTMLElement>('main [data-page-title]')?.focus({ preventScroll: true }), 50);
    return () => window.clearTimeout(timer);
  }, [location.pathname]);

  return (
    <ValueContextProvider>
    <AppShell header={{ height: 56 }} navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !isNavOpen } }} padding="md">
      <a href="#main" className={classes.skipLink}>
        {t('shell.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" style={{ flexShrink: 0 }}>
            <Burger opened={isNavOpen} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('shell.toggleNavigation')} />
            <Brand />
          </Group>
          <Button
            variant="default"
            color="gray"
            onClick={() => spotlight.open()}
            leftSection={<IconSearch size={16} aria-hidden />}
            rightSection={
              <Kbd size="xs" visibleFrom="sm" aria-hidden>
                {os === 'macos' ? '⌘' : 'Ctrl'} K
              </Kbd>
            }
            className={classes.searchButton}
            styles={{ inner: { justifyContent: 'flex-start' }, label: { flex: 1 } }}
            aria-keyshortcuts="Control+K Meta+K"
          >
            <Text span size="sm" c="dimmed" visibleFrom="xs">
              {t('search.button')}
            </Text>
            <VisuallyHidden>{t('search.shortcut')}</VisuallyHidden>
          </Button>
          <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
            <LanguageMenu />
            <ThemeToggle />
            <NotificationBell />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar component="nav" aria-label={t('shell.navigation')}>
        <Navigation onNavigate={close} />
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <SandboxBanner isSignedIn={session.status === 'signedIn'} />
        <TwoFactorGate>
          <Outlet />
        </TwoFactorGate>
      </AppShell.Main>
      <CommandPalette />
      {/* A call ringing for me, and the in-call panel. */}
      <CallScreenPop />
    </AppShell>
    </ValueContextProvider>
  );
};
