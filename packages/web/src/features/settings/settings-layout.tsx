import { Button, Group, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/session.tsx';

const TABS = ['workspace', 'objects', 'users', 'teams', 'roles', 'sharing', 'licences', 'sso', 'api-keys', 'audit'] as const;

/** Whether the signed-in person administers the workspace (the Settings entry is shown only then). */
export const useIsAdmin = () => {
  const { session } = useSession();
  return session.status === 'signedIn' && session.user.isAdmin === true;
};

/** Settings (administrators only): one tab per area, each tab a route under /settings. */
export const SettingsLayout = () => {
  const { t } = useTranslation();
  const isAdmin = useIsAdmin();
  const location = useLocation();
  if (!isAdmin) return <Navigate to="/" replace />;
  const current = TABS.find((tab) => location.pathname.startsWith(`/settings/${tab}`)) ?? 'users';
  return (
    <Stack gap="md">
      <Group component="nav" aria-label={t('settings.title')} gap="xs">
        {TABS.map((tab) => (
          <Button key={tab} component={Link} to={`/settings/${tab}`} variant={tab === current ? 'filled' : 'default'} size="sm" aria-current={tab === current ? 'page' : undefined}>
            {t(`settings.tabs.${tab}`)}
          </Button>
        ))}
      </Group>
      <Outlet />
    </Stack>
  );
};

/** The heading of a settings screen. */
export const SettingsTitle = ({ children }: { children: string }) => (
  <Title order={1} size="h2" data-page-title tabIndex={-1}>
    {children}
  </Title>
);
