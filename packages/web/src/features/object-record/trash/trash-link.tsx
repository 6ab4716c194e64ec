import type { ObjectDefinition } from '@rapport/common';
import { ActionIcon, Tooltip } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { canOn } from '../metadata.ts';
import { trashPath } from './trash-model.ts';

/** The table page's way to the object's trash, for those who may delete (and so restore) its records. */
export const TrashLink = ({ object }: { object: ObjectDefinition }) => {
  const { t } = useTranslation();
  if (!canOn(object, 'delete')) return null;
  return (
    <Tooltip label={t('trash.open')}>
      <ActionIcon component={Link} to={trashPath(object.name)} variant="default" size="lg" aria-label={t('trash.open')}>
        <IconTrash size={18} aria-hidden />
      </ActionIcon>
    </Tooltip>
  );
};
