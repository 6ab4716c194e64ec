import type { FieldError } from '@rapport/common';
import type { RecordBehaviour } from '../../../engine/records/record-behaviours.ts';

/** `HH:MM`, 00:00 to 23:59: the time of day a template's task is due. */
export const isTimeOfDay = (value: unknown): boolean => typeof value === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(value);

// Inside the write path a json field holds its stored text; a caller's value may be either.
const jsonValueOf = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};

/**
 * The objects a template shows on: a list of object names of the workspace, each once, in the order given; empty or
 * null is "everywhere". A problem as a sentence, else the cleaned list.
 */
export const checkObjectList = (value: unknown, known: (name: string) => boolean): { names: string[] } | { code: 'invalidObjectList' | 'unknownObject'; message: string } => {
  if (value === null || value === undefined) return { names: [] };
  if (!Array.isArray(value) || value.some((name) => typeof name !== 'string')) {
    return { code: 'invalidObjectList', message: 'Expected a list of object names, e.g. ["person", "opportunity"]; empty: every object.' };
  }
  const names = [...new Set((value as string[]).map((name) => name.trim()).filter((name) => name !== ''))];
  const unknown = names.filter((name) => !known(name));
  if (unknown.length > 0) return { code: 'unknownObject', message: `No object ${unknown.map((name) => JSON.stringify(name)).join(', ')} in this workspace.` };
  return { names };
};

/**
 * An action template is usable by `apply-template.ts`: `objects` names objects of the workspace (stored as a clean
 * list) and `dueTime` is a time of day. The settings screen shows these errors beside their fields.
 */
export const actionTemplateRules: RecordBehaviour = {
  object: 'actionTemplate',
  beforeWrite({ workspace }, records) {
    const errors: FieldError[] = [];
    for (const record of records) {
      if (record.isGiven('objects')) {
        const checked = checkObjectList(jsonValueOf(record.after.objects), (name) => workspace.objects.has(name));
        if ('code' in checked) errors.push({ field: `${record.path}objects`, code: checked.code, message: checked.message });
        else record.set('objects', checked.names.length > 0 ? checked.names : null);
      }
      const { dueTime } = record.after;
      if (record.isGiven('dueTime') && dueTime !== null && dueTime !== undefined && dueTime !== '' && !isTimeOfDay(dueTime)) {
        errors.push({ field: `${record.path}dueTime`, code: 'invalidTime', message: 'Expected a time of day as HH:MM, e.g. 09:30.' });
      }
    }
    return errors;
  },
};
