import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { QueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { api } from '../../../api/client.ts';
import { problemMessage } from '../../../api/problem-messages.ts';
import { queryKeys } from '../../../api/queries.ts';
import { restoreRecords } from '../trash/trash-api.ts';

const recordPath = (object: string, id: string) => `/records/${encodeURIComponent(object)}/${encodeURIComponent(id)}`;

/** Settles every call; answers the ids that succeeded and the first error. */
const each = async (ids: readonly string[], call: (id: string) => Promise<unknown>) => {
  const results = await Promise.allSettled(ids.map(call));
  const done = ids.filter((_, index) => results[index]!.status === 'fulfilled');
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  return { done, error: failure?.reason as unknown };
};

/**
 * Moves records to the trash (`DELETE`), then offers to undo for a while: Undo restores each one
 * (`POST …/restore`). Answers the ids deleted.
 */
export const deleteWithUndo = async ({ object, ids, t, queryClient }: { object: string; ids: readonly string[]; t: TFunction; queryClient: QueryClient }) => {
  const { done, error } = await each(ids, (id) => api.delete(recordPath(object, id)));
  await queryClient.invalidateQueries({ queryKey: queryKeys.records(object) });
  if (error !== undefined) notifications.show({ color: 'red', message: `${t('massDelete.failed', { count: ids.length - done.length })} ${problemMessage(t, error)}`, closeButtonProps: { 'aria-label': t('common.close') } });
  if (done.length === 0) return done;
  const id = `deleted-${Date.now()}`;
  const undo = async () => {
    notifications.hide(id);
    const { restored, failed } = await restoreRecords(object, done);
    await queryClient.invalidateQueries({ queryKey: queryKeys.records(object) });
    if (failed.length > 0) notifications.show({ color: 'red', message: problemMessage(t, failed[0]!.error), closeButtonProps: { 'aria-label': t('common.close') } });
    else notifications.show({ color: 'green', message: t('massDelete.restored', { count: restored.length }), closeButtonProps: { 'aria-label': t('common.close') } });
  };
  notifications.show({
    id,
    color: 'green',
    autoClose: 10_000,
    closeButtonProps: { 'aria-label': t('common.close') },
    message: (
      <Group justify="space-between" gap="sm" wrap="nowrap">
        <Text size="sm">{t('massDelete.deleted', { count: done.length })}</Text>
        <Button size="compact-sm" variant="light" onClick={() => void undo()}>
          {t('massDelete.undo')}
        </Button>
      </Group>
    ),
  });
  return done;
};
