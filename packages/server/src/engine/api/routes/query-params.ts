import type { Filter } from '@rapport/common';
import { AppError } from '../../errors.ts';

/** Query-string parameters the record routes share (lists, the list's own and the export's). */
export const splitList = (value: string | undefined) => (value ? value.split(',').map((item) => item.trim()).filter(Boolean) : undefined);

export const parseFilter = (text: string | undefined): Filter | undefined => {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as Filter;
  } catch {
    throw new AppError('INVALID_QUERY', 'filter must be URL-encoded JSON, e.g. {"field":"lastName","op":"eq","value":"Doe"}.', {
      errors: [{ field: 'filter', code: 'invalidFormat', message: 'Not valid JSON.' }],
    });
  }
};
