import type { FieldDefinition, ObjectDefinition, RecordReference } from '@rapport/common';
import type { ApiRecord } from '../../api/types.ts';
import { canOn } from '../object-record/metadata.ts';

const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OBJECT_NAME = /^[a-z][a-zA-Z0-9]{0,62}$/;

export const isRecordId = (text: string): boolean => RECORD_ID.test(text.trim());

/**
 * The `{object, id}` of a reference value: the API's `{object, id}`, or `{object, id, record}` when read with
 * `include`. Undefined for anything else (null, a malformed value).
 */
export const referenceOf = (value: unknown): RecordReference | undefined => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { object, id } = value as { object?: unknown; id?: unknown };
  return typeof object === 'string' && object !== '' && typeof id === 'string' && id !== '' ? { object, id } : undefined;
};

/**
 * The record a reference read with `include` carries: the record, `null` when the reader may not see it (or it is
 * in the trash), `undefined` when the value was not read with `include`.
 */
export const includedRecordOf = (value: unknown): ApiRecord | null | undefined => {
  if (!value || typeof value !== 'object' || !('record' in value)) return undefined;
  const record = (value as { record: unknown }).record;
  return record && typeof record === 'object' ? (record as ApiRecord) : null;
};

/** `person:<id>`: how a reference is written as text (copied cells, filter values, `?related=` in a create link). */
export const referenceToText = (reference: RecordReference): string => `${reference.object}:${reference.id}`;

/** `{object, id}` from `person:<id>` (object by API name, id a record id), else undefined. */
export const parseReferenceText = (text: string): RecordReference | undefined => {
  const match = /^\s*([a-zA-Z][a-zA-Z0-9]*)\s*:\s*([0-9a-fA-F-]{36})\s*$/.exec(text);
  if (!match || !OBJECT_NAME.test(match[1]!) || !isRecordId(match[2]!)) return undefined;
  return { object: match[1]!, id: match[2]!.toLowerCase() };
};

/** The objects a reference field may point to (`options.targets`, else all), among those the person may read. */
export const referenceTargetsOf = (field: FieldDefinition, objects: readonly ObjectDefinition[]): ObjectDefinition[] => {
  const targets = field.options?.targets;
  return objects.filter((object) => canOn(object, 'read') && (!targets || targets.includes(object.name)));
};

/** The one object a reference field may point to, when `options.targets` names exactly one. */
export const soleTargetOf = (field: FieldDefinition): string | undefined => (field.options?.targets?.length === 1 ? field.options.targets[0] : undefined);
