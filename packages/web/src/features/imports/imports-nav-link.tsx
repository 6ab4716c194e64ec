import { NavLink } from '@mantine/core';
import { IconFileImport } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterNavLink, useLocation } from 'react-router';
import { useObjects } from '../../api/queries.ts';
import { importableObjects } from './import-model.ts';
import { importPaths } from './import-paths.ts';

/** The navigation's "Import history" (every import, their errors and undo), for those who may import into an object. */
export const ImportsNavLink = ({ onNavigate }: { onNavigate?: (() => void) | undefined }) => {
  const { t } = useTranslation();
  const location = useLocation();
  const { data: objects } = useObjects();
  if (importableObjects(objects ?? []).length === 0) return null;
  const isActive = location.pathname === importPaths.history() || location.pathname.startsWith(`${importPaths.history()}/`);
  return (
    <NavLink
      component={RouterNavLink}
      to={importPaths.history()}
      label={t('imports.history.title')}
      leftSection={<IconFileImport size={18} aria-hidden />}
      active={isActive}
      aria-current={isActive ? 'page' : undefined}
      onClick={onNavigate}
      variant="light"
      style={{ borderRadius: 'var(--mantine-radius-sm)' }}
    />
  );
};
