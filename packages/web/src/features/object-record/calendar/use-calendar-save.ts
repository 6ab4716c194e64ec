import type { ObjectDefinition } from '@rapport/common';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { queryKeys } from '../../../api/queries.ts';
import type { ApiRecord } from '../../../api/types.ts';
import { notify } from '../../../components/ui/notify.ts';
import { isStale, refusalMessage, saveFields } from '../views/save-fields.ts';

/**
 * Saves a record moved in the calendar or planner with the version it was read at (`If-Match`). Resolves true when
 * saved; on a refusal says why (a 412: someone else changed it, and the range is read again) and resolves false,
 * so the caller puts the item back.
 */
export const useCalendarSave = (object: ObjectDefinition) => {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  return async ({ record, patch, name, done }: { record: ApiRecord; patch: Record<string, unknown>; name: string; done: string }): Promise<boolean> => {
    if (Object.keys(patch).length === 0) return true;
    try {
      await saveFields(object.name, record, patch);
      await queryClient.invalidateQueries({ queryKey: queryKeys.records(object.name) });
      notify({ message: done });
      return true;
    } catch (error) {
      if (isStale(error)) void queryClient.invalidateQueries({ queryKey: queryKeys.records(object.name) });
      notifications.show({
        color: 'red',
        title: t('calendar.notSaved', { name }),
        message: refusalMessage(t, i18n.resolvedLanguage ?? i18n.language, error),
        autoClose: 8000,
        closeButtonProps: { 'aria-label': t('common.close') },
      });
      return false;
    }
  };
};
