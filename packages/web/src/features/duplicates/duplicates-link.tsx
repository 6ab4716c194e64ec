import { hasDuplicateKeys, type ObjectDefinition } from '@rapport/common';
import { Button } from '@mantine/core';
import { IconCopy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { duplicatePaths } from './duplicate-paths.ts';

/** The table page's way to the duplicates the scan found, for objects the server compares. */
export const DuplicatesLink = ({ object }: { object: ObjectDefinition }) => {
  const { t } = useTranslation();
  if (!hasDuplicateKeys(object)) return null;
  return (
    <Button component={Link} to={duplicatePaths.list(object.name)} variant="default" leftSection={<IconCopy size={16} aria-hidden />}>
      {t('duplicates.list.button')}
    </Button>
  );
};
