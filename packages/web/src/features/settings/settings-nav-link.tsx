import { NavLink } from '@mantine/core';
import { IconSettings } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterNavLink, useLocation } from 'react-router';
import { useIsAdmin } from './use-is-admin.ts';

/** The Settings entry of the navigation, for administrators only. */
export const SettingsNavLink = ({ onNavigate }: { onNavigate?: (() => void) | undefined }) => {
  const { t } = useTranslation();
  const isAdmin = useIsAdmin();
  const location = useLocation();
  if (!isAdmin) return null;
  const isActive = location.pathname.startsWith('/settings');
  return (
    <NavLink
      component={RouterNavLink}
      to="/settings/users"
      label={t('settings.title')}
      leftSection={<IconSettings size={18} aria-hidden />}
      active={isActive}
      aria-current={isActive ? 'page' : undefined}
      onClick={onNavigate}
      variant="light"
      style={{ borderRadius: 'var(--mantine-radius-sm)' }}
    />
  );
};
