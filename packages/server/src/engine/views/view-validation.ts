import { CALENDAR_START_FIELD_TYPES, GROUPABLE_FIELD_TYPES, type CalendarSettings, type FieldError, type SavedViewInput } from '@rapport/common';
import { isAppError, validationFailed } from '../errors.ts';
import { relationKind } from '../fields/types/relation.field.ts';
import type { FieldMeta, ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import { parseFilter } from '../query/parse-filter.ts';
import { parseSort } from '../query/sort.ts';

export interface CheckViewOptions {
  /** The workspace as the caller sees it: a hidden field is an unknown field here too. */
  view: WorkspaceMeta;
  object: ObjectMeta;
  input: SavedViewInput;
  type: string;
}

const messageOf = (error: unknown) => (isAppError(error) ? error.message : 'Invalid value.');

const isGroupable = (field: FieldMeta) =>
  (GROUPABLE_FIELD_TYPES as readonly string[]).includes(field.type) && (field.type !== 'relation' || relationKind(field) === 'manyToOne');

const checkField = (options: { object: ObjectMeta; name: string; at: string; accepts: (field: FieldMeta) => boolean; expected: string }): FieldError | undefined => {
  const field = options.object.fieldsByName.get(options.name);
  if (!field) return { field: options.at, code: 'unknownField', message: `${options.object.name} has no field "${options.name}".` };
  if (!options.accepts(field)) return { field: options.at, code: 'invalidType', message: `"${options.name}" is a ${field.type} field; expected ${options.expected}.` };
  return undefined;
};

/** Each name once, and a field of the object: `columns[i].field` or `cardFields[i]` otherwise. */
const checkFieldList = (object: ObjectMeta, names: readonly string[], list: string, errors: FieldError[], suffix = '') => {
  const seen = new Set<string>();
  names.forEach((name, index) => {
    const at = `${list}[${index}]${suffix}`;
    if (seen.has(name)) errors.push({ field: at, code: 'invalidFormat', message: `"${name}" appears twice in ${list}.` });
    seen.add(name);
    const error = checkField({ object, name, at, accepts: () => true, expected: '' });
    if (error) errors.push(error);
  });
};

const isDateField = (field: FieldMeta) => (CALENDAR_START_FIELD_TYPES as readonly string[]).includes(field.type);

/** A calendar's fields: where records start (a date or datetime), end (the same) or last (a number), and their colour (a select). */
const checkCalendar = (object: ObjectMeta, calendar: CalendarSettings, errors: FieldError[]) => {
  const checks = [
    { name: calendar.startField, at: 'calendar.startField', accepts: isDateField, expected: 'a date or datetime field' },
    { name: calendar.endField, at: 'calendar.endField', accepts: isDateField, expected: 'a date or datetime field' },
    { name: calendar.durationField, at: 'calendar.durationField', accepts: (field: FieldMeta) => field.type === 'number', expected: 'a number field' },
    { name: calendar.colorField, at: 'calendar.colorField', accepts: (field: FieldMeta) => field.type === 'select', expected: 'a select field' },
  ];
  for (const check of checks) {
    if (!check.name) continue;
    const error = checkField({ object, ...check, name: check.name });
    if (error) errors.push(error);
  }
};

/**
 * Checks a view's filter, sort, columns, grouping, board field, card fields and calendar fields against the object's
 * metadata as the caller sees it; throws VALIDATION_FAILED naming every bad part. `input` holds the
 * merged view.
 */
export const assertValidView = ({ view, object, input, type }: CheckViewOptions): void => {
  const errors: FieldError[] = [];
  if (input.filter !== undefined && input.filter !== null) {
    try {
      parseFilter({ workspace: view, object, filter: input.filter });
    } catch (error) {
      errors.push({ field: 'filter', code: 'invalidQuery', message: messageOf(error) });
    }
  }
  if (input.sort !== undefined && input.sort.length > 0) {
    try {
      parseSort({ workspace: view, object, sort: input.sort });
    } catch (error) {
      errors.push({ field: 'sort', code: 'invalidQuery', message: messageOf(error) });
    }
  }
  checkFieldList(object, (input.columns ?? []).map((column) => column.field), 'columns', errors, '.field');
  checkFieldList(object, input.cardFields ?? [], 'cardFields', errors);
  if (input.groupBy) {
    const error = checkField({ object, name: input.groupBy, at: 'groupBy', accepts: isGroupable, expected: 'a select, owner, boolean or many-to-one relation field' });
    if (error) errors.push(error);
  }
  if (input.kanbanField) {
    // Columns are a select's choices, or the records of a many-to-one relation's target (a deal's pipeline stages).
    const accepts = (field: FieldMeta) => field.type === 'select' || (field.type === 'relation' && relationKind(field) === 'manyToOne');
    const error = checkField({ object, name: input.kanbanField, at: 'kanbanField', accepts, expected: 'a select or many-to-one relation field' });
    if (error) errors.push(error);
  } else if (type === 'kanban') {
    errors.push({ field: 'kanbanField', code: 'required', message: 'A kanban view needs the field its columns come from (a select or a many-to-one relation).' });
  }
  if (input.calendar) checkCalendar(object, input.calendar, errors);
  else if (type === 'calendar') {
    errors.push({ field: 'calendar', code: 'required', message: 'A calendar view needs its settings: at least the date or datetime field its records start at.' });
  }
  if (errors.length > 0) throw validationFailed(errors, 'The view does not match the object; nothing was saved.');
};
