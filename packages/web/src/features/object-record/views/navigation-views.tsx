import type { ObjectDefinition } from '@rapport/common';
import { Group, NavLink, Text } from '@mantine/core';
import { IconLayoutKanban, IconStar, IconTable } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
// Plain links: react-router's NavLink matches the path only, so every view of an object (and the
// object itself) would claim `aria-current`; which one is current depends on `?view=` too.
import { Link, useLocation } from 'react-router';
import { paths } from '../metadata.ts';
import { FavouritesOrderButton } from './navigation-order.tsx';
import { useFavourites, useViews } from './views-api.ts';

const viewPath = (object: string, id: string) => `${paths.list(object)}?view=${encodeURIComponent(id)}`;
const linkStyle = { borderRadius: 'var(--mantine-radius-sm)' };
const listStyle = { listStyle: 'none', margin: 0, padding: 0 } as const;

/** The saved views of one object, under its entry in the navigation (the second level). */
export const ObjectViewLinks = ({ object, onNavigate }: { object: ObjectDefinition; onNavigate?: (() => void) | undefined }) => {
  const location = useLocation();
  const views = useViews();
  const list = (views.data ?? []).filter((view) => view.object === object.name);
  if (list.length === 0) return null;
  const currentId = new URLSearchParams(location.search).get('view');
  return (
    <ul style={{ ...listStyle, paddingLeft: 28 }}>
      {list.map((view) => {
        const isActive = location.pathname === paths.list(object.name) && currentId === view.id;
        const Icon = view.type === 'kanban' ? IconLayoutKanban : IconTable;
        return (
          <li key={view.id}>
            <NavLink
              component={Link}
              to={viewPath(object.name, view.id)}
              label={view.name}
              leftSection={<Icon size={14} aria-hidden />}
              active={isActive}
              aria-current={isActive ? 'page' : undefined}
              onClick={onNavigate}
              variant="light"
              py={4}
              style={linkStyle}
            />
          </li>
        );
      })}
    </ul>
  );
};

/** The person's pinned views and records, in their order; nothing while there are none. */
export const FavouritesNav = ({ onNavigate }: { onNavigate?: (() => void) | undefined }) => {
  const { t } = useTranslation();
  const location = useLocation();
  const favourites = useFavourites();
  const list = favourites.data ?? [];
  if (list.length === 0) return null;
  return (
    <div>
      <Group justify="space-between" wrap="nowrap" pr={4} mb={4}>
        <Text id="favourites-heading" size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" component="h2" m={0}>
          {t('savedViews.favourites')}
        </Text>
        <FavouritesOrderButton />
      </Group>
      <ul style={listStyle}>
        {list.map((favourite) => {
          const to = favourite.kind === 'view' ? viewPath(favourite.view.object, favourite.view.id) : paths.record(favourite.record.object, favourite.record.id);
          const label = favourite.kind === 'view' ? favourite.view.name : favourite.record.label || t('fieldValue.untitled');
          const isActive = `${location.pathname}${location.search}` === to;
          return (
            <li key={favourite.id}>
              <NavLink
                component={Link}
                to={to}
                label={label}
                leftSection={<IconStar size={16} aria-hidden />}
                active={isActive}
                aria-current={isActive ? 'page' : undefined}
                onClick={onNavigate}
                variant="light"
                style={linkStyle}
              />
            </li>
          );
        })}
      </ul>
    </div>
  );
};
