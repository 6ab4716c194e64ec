import type { RecordReference } from '@rapport/common';
import type { BehaviourContext, RecordBehaviour } from '../../engine/records/record-behaviours.ts';
import { asReference } from '../../engine/fields/types/reference.field.ts';
import { ACTIVITY_TARGETS } from './task.object.ts';

/** A json field's value as a write sees it: the API value, or its JSON text once converted for the column. */
export const jsonValueOf = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
};

/** The typed links of `objectName` an activity of this object carries (person, company, opportunity). */
const typedLinks = (context: BehaviourContext) => ACTIVITY_TARGETS.filter((target) => context.object.fieldsByName.get(target)?.options?.target === target);

/**
 * `related` (a reference: any record, `{object, id}`) and the typed links (person, company, opportunity) tell the
 * same thing. The write path checks that a given `related` names a live record the writer may read (a reference
 * field); this behaviour keeps the two in step:
 * - `related` given: its typed link, when the activity has one and it was not given, is set to it;
 * - a typed link given (and `related` not): `related` follows it when it was empty or pointed at the link's old value.
 */
export const relatedRules = (object: string): RecordBehaviour => ({
  object,
  beforeWrite(context, records) {
    const links = typedLinks(context);
    for (const record of records) {
      if (record.isGiven('related')) {
        const related = asReference(record.after.related);
        const link = related && links.find((target) => target === related.object);
        if (link && !record.isGiven(link)) record.set(link, related.id);
        continue;
      }
      const current: RecordReference | undefined = asReference(record.after.related);
      for (const link of links) {
        if (!record.isGiven(link)) continue;
        const value = record.after[link];
        const wasFollowing = !current || (current.object === link && current.id === record.before?.[link]);
        if (wasFollowing) {
          record.set('related', typeof value === 'string' ? { object: link, id: value } : null);
          break;
        }
      }
    }
    return Promise.resolve([]);
  },
});
