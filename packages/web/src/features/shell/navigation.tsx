import { Group, NavLink, ScrollArea, Skeleton, Stack, Text } from '@mantine/core';
import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterNavLink, useLocation } from 'react-router';
import { problemMessage } from '../../api/problem-messages.ts';
import { ImportsNavLink } from '../imports/imports-nav-link.tsx';
import { SalesNavLink } from '../sales/sales-nav-link.tsx';
import { ActivitiesNavLink } from '../activities/activities-nav-link.tsx';
import { objectIconOf } from '../object-record/object-icon.tsx';
import { useLabels } from '../object-record/labels.ts';
import { paths } from '../object-record/metadata.ts';
import { FavouritesNav } from '../object-record/views/favourites-nav.tsx';
import { ObjectViewLinks } from '../object-record/views/navigation-views.tsx';
import { ObjectsOrderButton, useOrderedObjects } from '../object-record/views/navigation-order.tsx';
import { useIsAdmin } from '../settings/use-is-admin.ts';
import { SettingsNavLink } from '../settings/settings-nav-link.tsx';
import { navigationGroupsOf } from './navigation-groups.ts';
import { prefetchEverydayScreens } from '../../app/route-modules.ts';
import { IconDots } from '@tabler/icons-react';

/** A performance mark, set once per page load when the navigation first shows the workspace's objects (read by bench/scenarios-browser.ts). */
const SHELL_READY_MARK = 'rapport:shell-ready';

/** The workspace's objects, standard first then custom, in the order an administrator set, each opening its table. */
export const Navigation = ({ onNavigate }: { onNavigate?: () => void }) => {
  const { t } = useTranslation();
  const labels = useLabels();
  const location = useLocation();
  const { data: objects, isLoading, error } = useOrderedObjects();
  const isAdmin = useIsAdmin();
  const { main: daily, secondary, custom } = navigationGroupsOf(objects ?? []);
  const standard = objects?.filter((object) => object.isStandard) ?? [];
  // The group of set-up objects opens by itself while one of them is shown.
  const isSecondaryOpen = secondary.some((object) => location.pathname.startsWith(paths.list(object.name)));
  // The app shell is ready once its objects are on screen: `npm run bench` times the first load to this mark.
  useEffect(() => {
    if (standard.length === 0 || performance.getEntriesByName(SHELL_READY_MARK).length > 0) return;
    performance.mark(SHELL_READY_MARK);
    prefetchEverydayScreens();
  }, [standard.length]);

  const renderObjects = (list: typeof standard) => (
    <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
      {list.map((object) => {
        const Icon = objectIconOf(object);
        const to = paths.list(object.name);
        const isActive = location.pathname === to || location.pathname.startsWith(`${to}/`);
        return (
          <li key={object.name}>
            <NavLink
              component={RouterNavLink}
              to={to}
              label={labels.objectPlural(object)}
              leftSection={<Icon size={18} aria-hidden />}
              active={isActive}
              aria-current={isActive ? 'page' : undefined}
              onClick={onNavigate}
              variant="light"
              style={{ borderRadius: 'var(--mantine-radius-sm)' }}
            />
            <ObjectViewLinks object={object} onNavigate={onNavigate} />
          </li>
        );
      })}
    </ul>
  );

  const renderGroup = (title: string, list: typeof standard, action?: ReactNode) => (
    <div>
      <Group justify="space-between" wrap="nowrap" pr={4} mb={4}>
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" component="h2" m={0}>
          {title}
        </Text>
        {action}
      </Group>
      {renderObjects(list)}
    </div>
  );

  return (
    <ScrollArea type="auto" style={{ flex: 1 }}>
      <Stack gap="lg" p="sm">
        {isLoading ? <Skeleton height={180} /> : null}
        {error ? <Text size="sm" c="red">{problemMessage(t, error)}</Text> : null}
        <ActivitiesNavLink onNavigate={onNavigate} />
        <FavouritesNav onNavigate={onNavigate} />
        {standard.length ? renderGroup(t('shell.objects'), daily, isAdmin ? <ObjectsOrderButton standard={standard} custom={custom} /> : null) : null}
        {secondary.length ? (
          <NavLink label={t('shell.moreObjects')} leftSection={<IconDots size={18} aria-hidden />} defaultOpened={isSecondaryOpen} variant="light" style={{ borderRadius: 'var(--mantine-radius-sm)' }}>
            {renderObjects(secondary)}
          </NavLink>
        ) : null}
        {custom.length ? renderGroup(t('shell.customObjects'), custom) : null}
        <SalesNavLink onNavigate={onNavigate} />
        <Stack gap={4}>
          <ImportsNavLink onNavigate={onNavigate} />
          <SettingsNavLink onNavigate={onNavigate} />
        </Stack>
      </Stack>
    </ScrollArea>
  );
};
