import type { Filter } from '@rapport/common';
import { AppError } from '../../errors.ts';
import { isUuid } from '../../fields/types/relation.field.ts';

/** Parameters the record routes share (the list's, the export's, the privacy routes'). */
export type ObjectParams = { object: string };
export type RecordParams = { object: string; id: string };

export const objectParams = { type: 'object', properties: { object: { type: 'string', maxLength: 100 } }, required: ['object'] } as const;
export const recordParams = {
  type: 'object',
  properties: { object: { type: 'string', maxLength: 100 }, id: { type: 'string', maxLength: 100 } },
  required: ['object', 'id'],
} as const;

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

/** A record id from the path: anything but a UUID names no record. */
export const assertId = (id: string, object: string): void => {
  if (!isUuid(id)) throw new AppError('RECORD_NOT_FOUND', `No ${object} with id ${id} (ids are UUIDs).`);
};
