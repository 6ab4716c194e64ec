import type { TFunction } from 'i18next';
import { api, isApiError } from '../../../api/client.ts';
import { fieldErrorMessage, problemMessage } from '../../../api/problem-messages.ts';
import type { ApiRecord } from '../../../api/types.ts';

/** `PATCH /records/{object}/{id}` of some fields, with the version read (`If-Match`). */
export const saveFields = (object: string, record: ApiRecord, body: Record<string, unknown>) =>
  api.patch<ApiRecord>(`/records/${encodeURIComponent(object)}/${encodeURIComponent(record.id)}`, body, { ifMatch: record.version });

/** True when the record changed since it was read (412 on `If-Match`). */
export const isStale = (error: unknown) => isApiError(error) && (error.status === 412 || error.code === 'VERSION_MISMATCH');

/** One sentence for a refused save: the per-field messages (validation rules included) or the problem's own. */
export const refusalMessage = (t: TFunction, language: string, error: unknown): string => {
  if (isStale(error)) return t('views.changedElsewhere');
  if (isApiError(error) && error.fieldErrors.length > 0) return error.fieldErrors.map((fieldError) => fieldErrorMessage(t, language, fieldError)).join(' ');
  return problemMessage(t, error);
};
