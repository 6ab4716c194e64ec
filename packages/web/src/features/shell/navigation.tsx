import { NavLink, ScrollArea, Skeleton, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterNavLink, useLocation } from 'react-router';
import { problemMessage } from '../../api/problem-messages.ts';
import { useObjects } from '../../api/queries.ts';
import { objectIconOf } from '../object-record/object-icon.tsx';
import { useLabels } from '../object-record/labels.ts';
import { paths } from '../object-record/metadata.ts';
import { FavouritesNav, ObjectViewLinks } from '../object-record/views/navigation-views.tsx';
import { SettingsNavLink } from '../settings/settings-nav-link.tsx';

/** The workspace's objects, standard first then custom, each opening its table. */
export const Navigation = ({ onNavigate }: { onNavigate?: () => void }) => {
  const { t } = useTranslation();
  const labels = useLabels();
  const location = useLocation();
  const { data: objects, isLoading, error } = useObjects();
  const standard = objects?.filter((object) => object.isStandard) ?? [];
  const custom = objects?.filter((object) => !object.isStandard) ?? [];

  const renderGroup = (title: string, list: typeof standard) => (
    <div>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mb={4} component="h2">
        {title}
      </Text>
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
    </div>
  );

  return (
    <ScrollArea type="auto" style={{ flex: 1 }}>
      <Stack gap="lg" p="sm">
        {isLoading ? <Skeleton height={180} /> : null}
        {error ? <Text size="sm" c="red">{problemMessage(t, error)}</Text> : null}
        <FavouritesNav onNavigate={onNavigate} />
        {standard.length ? renderGroup(t('shell.objects'), standard) : null}
        {custom.length ? renderGroup(t('shell.customObjects'), custom) : null}
        <SettingsNavLink onNavigate={onNavigate} />
      </Stack>
    </ScrollArea>
  );
};
