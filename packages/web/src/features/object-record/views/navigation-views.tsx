import type { ObjectDefinition } from '@rapport/common';
import { NavLink } from '@mantine/core';
import { IconCalendar, IconLayoutKanban, IconTable } from '@tabler/icons-react';
// Plain links: react-router's NavLink matches the path only, so every view of an object (and the
// object itself) would claim `aria-current`; which one is current depends on `?view=` too.
import { Link, useLocation } from 'react-router';
import type { SavedView } from '@rapport/common';
import { useQueryClient } from '@tanstack/react-query';
import { useObjects } from '../../../api/queries.ts';
import { loadRecordTablePage } from '../../../app/route-modules.ts';
import { paths } from '../metadata.ts';
import { useViews } from './views-api.ts';

const viewPath = (object: string, id: string) => `${paths.list(object)}?view=${encodeURIComponent(id)}`;
const linkStyle = { borderRadius: 'var(--mantine-radius-sm)' };
const listStyle = { listStyle: 'none', margin: 0, padding: 0 } as const;

/** The saved views of one object, under its entry in the navigation (the second level). */
export const ObjectViewLinks = ({ object, onNavigate }: { object: ObjectDefinition; onNavigate?: (() => void) | undefined }) => {
  const location = useLocation();
  const views = useViews();
  const queryClient = useQueryClient();
  const objects = useObjects();
  // Pressing a view's link asks for its records at once: they are on their way while the page opens.
  const prefetch = (view: SavedView) => {
    const all = objects.data;
    if (all) void loadRecordTablePage().then((module) => module.prefetchView(queryClient, view, all)).catch(() => undefined);
  };
  const list = (views.data ?? []).filter((view) => view.object === object.name);
  if (list.length === 0) return null;
  const currentId = new URLSearchParams(location.search).get('view');
  return (
    <ul style={{ ...listStyle, paddingLeft: 28 }}>
      {list.map((view) => {
        const isActive = location.pathname === paths.list(object.name) && currentId === view.id;
        const Icon = view.type === 'kanban' ? IconLayoutKanban : view.type === 'calendar' ? IconCalendar : IconTable;
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
              onPointerDown={(event: React.PointerEvent) => event.button === 0 && prefetch(view)}
              onKeyDown={(event: React.KeyboardEvent) => event.key === 'Enter' && prefetch(view)}
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
