import { Box, NativeSelect, NavLink, Stack, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterNavLink, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { SETTINGS_GROUPS, sectionLabelKey, sectionOfPath, type SettingsGroup, type SettingsSection } from './settings-sections.ts';
import classes from './settings-layout.module.css';
import { useIsAdmin } from './use-is-admin.ts';
import { BackupOverdueNotice } from './backup-overdue-notice.tsx';

const NavGroup = ({ group, sections, current }: { group: SettingsGroup; sections: readonly SettingsSection[]; current: SettingsSection }) => {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <div role="group" aria-labelledby={headingId}>
      <Text id={headingId} size="xs" fw={700} tt="uppercase" c="dimmed" px="sm" pt="sm" pb={4}>
        {t(`settingsMore.groups.${group}`)}
      </Text>
      {sections.map((section) => (
        <NavLink
          key={section}
          component={RouterNavLink}
          to={`/settings/${section}`}
          label={t(sectionLabelKey(section))}
          active={section === current}
          aria-current={section === current ? 'page' : undefined}
          variant="light"
          className={classes.link}
        />
      ))}
    </div>
  );
};

/** Settings (administrators only): a grouped section list on the left (a select on narrow screens), the screen beside it. */
export const SettingsLayout = () => {
  const { t } = useTranslation();
  const isAdmin = useIsAdmin();
  const location = useLocation();
  const navigate = useNavigate();
  if (!isAdmin) return <Navigate to="/" replace />;
  const current = sectionOfPath(location.pathname);
  return (
    <div className={classes.layout}>
      <Box component="nav" aria-label={t('settings.title')} className={classes.sideNav} visibleFrom="md">
        <Stack gap={0}>
          {SETTINGS_GROUPS.map((entry) => (
            <NavGroup key={entry.group} group={entry.group} sections={entry.sections} current={current} />
          ))}
        </Stack>
      </Box>
      <Box hiddenFrom="md" className={classes.compactNav}>
        <NativeSelect
          label={t('settingsMore.section')}
          value={current}
          onChange={(event) => void navigate(`/settings/${event.currentTarget.value}`)}
          data={SETTINGS_GROUPS.map((entry) => ({
            group: t(`settingsMore.groups.${entry.group}`),
            items: entry.sections.map((section) => ({ value: section, label: t(sectionLabelKey(section)) })),
          }))}
        />
      </Box>
      <div className={classes.content}>
        <BackupOverdueNotice />
        <Outlet />
      </div>
    </div>
  );
};

/** The heading of a settings screen. */
export const SettingsTitle = ({ children }: { children: string }) => (
  <Title order={1} size="h2" data-page-title tabIndex={-1}>
    {children}
  </Title>
);
