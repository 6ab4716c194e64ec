import type { ObjectDefinition } from '@rapport/common';
import { Button, Menu } from '@mantine/core';
import { IconChevronDown, IconFileImport, IconHistory, IconUpload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { importPaths } from './import-paths.ts';

/** The table's "Import" menu: a file into this object, or the object's import history. */
export const ImportMenu = ({ object }: { object: ObjectDefinition }) => {
  const { t } = useTranslation();
  return (
    <Menu position="bottom-end" shadow="md" width={240} withinPortal transitionProps={{ duration: 0 }}>
      <Menu.Target>
        <Button variant="default" leftSection={<IconFileImport size={16} aria-hidden />} rightSection={<IconChevronDown size={14} aria-hidden />}>
          {t('imports.menu.button')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item component={Link} to={importPaths.wizard(object.name)} leftSection={<IconUpload size={16} aria-hidden />}>
          {t('imports.menu.fromFile')}
        </Menu.Item>
        <Menu.Item component={Link} to={importPaths.history(object.name)} leftSection={<IconHistory size={16} aria-hidden />}>
          {t('imports.menu.history')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
};
