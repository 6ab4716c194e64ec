import { NavLink } from '@mantine/core';
import { IconListCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useObjects } from '../../api/queries.ts';

export const MY_ACTIVITIES_PATH = '/activities';

/** "My activities" in the navigation, for those who may read tasks. */
export const ActivitiesNavLink = ({ onNavigate }: { onNavigate?: (() => void) | undefined }) => {
  const { t } = useTranslation();
  const location = useLocation();
  const { data: objects = [] } = useObjects();
  if (!objects.some((object) => object.name === 'task')) return null;
  const isActive = location.pathname === MY_ACTIVITIES_PATH;
  return (
    <NavLink
      component={Link}
      to={MY_ACTIVITIES_PATH}
      label={t('myActivities.title')}
      leftSection={<IconListCheck size={18} aria-hidden />}
      active={isActive}
      aria-current={isActive ? 'page' : undefined}
      onClick={onNavigate}
      variant="light"
      style={{ borderRadius: 'var(--mantine-radius-sm)' }}
    />
  );
};
