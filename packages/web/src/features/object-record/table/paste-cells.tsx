import type { FieldDefinition } from '@rapport/common';
import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { QueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { api, isApiError } from '../../../api/client.ts';
import { fieldErrorMessage, problemMessage } from '../../../api/problem-messages.ts';
import { queryKeys } from '../../../api/queries.ts';
import type { ApiRecord } from '../../../api/types.ts';
import { cellOfBatchError, type PasteCellError, type PastePlan } from './cell-range.ts';

const batch = (object: string, records: Record<string, unknown>[]) =>
  api.post<{ data: ApiRecord[] }>(`/records/${encodeURIComponent(object)}/batch`, { records });

export type PasteOutcome = { isSaved: true; count: number } | { isSaved: false; errors: PasteCellError[]; message?: string };

/**
 * Writes a paste in one batch request (all or nothing, each record at the version read), then
 * offers Undo, which writes the previous values back in one batch. A refusal names its cells.
 */
export const savePaste = async ({ object, plan, columns, t, language, queryClient }: {
  object: string;
  plan: PastePlan;
  columns: readonly FieldDefinition[];
  t: TFunction;
  language: string;
  queryClient: QueryClient;
}): Promise<PasteOutcome> => {
  const close = { closeButtonProps: { 'aria-label': t('common.close') } };
  let saved: ApiRecord[];
  try {
    saved = (await batch(object, plan.updates.map((update) => ({ id: update.id, version: update.version, ...update.values })))).data;
  } catch (error) {
    await queryClient.invalidateQueries({ queryKey: queryKeys.records(object) });
    if (!isApiError(error)) return { isSaved: false, errors: [], message: problemMessage(t, error) };
    const errors: PasteCellError[] = [];
    const general: string[] = [];
    for (const fieldError of error.fieldErrors) {
      const cell = cellOfBatchError(fieldError.field, plan.updates, columns);
      if (cell) errors.push({ ...cell, code: fieldError.code, message: fieldErrorMessage(t, language, fieldError) });
      else general.push(fieldErrorMessage(t, language, fieldError));
    }
    const message = error.status === 412 || error.code === 'VERSION_MISMATCH' ? t('views.changedElsewhere') : general.length > 0 || errors.length === 0 ? [problemMessage(t, error), ...general].join(' ') : undefined;
    return { isSaved: false, errors, ...(message ? { message } : {}) };
  }
  await queryClient.invalidateQueries({ queryKey: queryKeys.records(object) });
  const count = plan.updates.reduce((sum, update) => sum + Object.keys(update.values).length, 0);
  const id = `pasted-${Date.now()}`;
  const undo = async () => {
    notifications.hide(id);
    try {
      await batch(object, plan.updates.map((update, index) => ({ id: update.id, version: saved[index]?.version, ...update.previous })));
      notifications.show({ color: 'green', message: t('tableExtras.range.undone', { count }), ...close });
    } catch (error) {
      notifications.show({ color: 'red', message: problemMessage(t, error), ...close });
    }
    await queryClient.invalidateQueries({ queryKey: queryKeys.records(object) });
  };
  notifications.show({
    id,
    color: 'green',
    autoClose: 10_000,
    ...close,
    message: (
      <Group justify="space-between" gap="sm" wrap="nowrap">
        <Text size="sm">{t('tableExtras.range.pasted', { count })}</Text>
        <Button size="compact-sm" variant="light" onClick={() => void undo()}>
          {t('massDelete.undo')}
        </Button>
      </Group>
    ),
  });
  return { isSaved: true, count };
};
