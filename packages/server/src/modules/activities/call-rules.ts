import { sql } from 'kysely';
import type { RecordBehaviour } from '../../engine/records/record-behaviours.ts';
import { isEncryptedField } from '../../engine/crypto/field-keys.ts';

const WORDS = { inbound: 'Inbound call', outbound: 'Outbound call' } as const;

/**
 * A call logged without a subject (by hand in a hurry, or by the telephony webhook before it is matched) is named
 * after its direction and its person, so lists and timelines never show a row of "Untitled": "Outbound call with Ada
 * Byron". The person's name is read as stored; it names only a record the writer linked.
 */
export const callRules: RecordBehaviour = {
  object: 'call',
  async beforeWrite({ trx, workspace }, records) {
    const people = workspace.objects.get('person');
    const nameField = people?.fieldsByName.get(people.labelField);
    const unnamed = records.filter((record) => record.isCreate && (typeof record.after.subject !== 'string' || record.after.subject.trim() === ''));
    if (unnamed.length === 0) return [];
    const ids = [...new Set(unnamed.map((record) => record.after.person).filter((id): id is string => typeof id === 'string'))];
    const names = new Map<string, string>();
    // An encrypted title stays out of a subject (it would be stored in the clear).
    if (people && nameField && !isEncryptedField(nameField) && nameField.type !== 'address' && ids.length > 0) {
      const { rows } = await sql<{ id: string; name: string | null }>`
        select id, ${sql.id(nameField.column)}::text as name from ${sql.id(workspace.schema, people.table)} where id = any(${ids}::uuid[])`.execute(trx);
      for (const row of rows) if (row.name) names.set(row.id, row.name);
    }
    for (const record of unnamed) {
      const direction = record.after.direction === 'inbound' ? WORDS.inbound : WORDS.outbound;
      const name = typeof record.after.person === 'string' ? names.get(record.after.person) : undefined;
      record.set('subject', name ? `${direction} with ${name}` : direction);
    }
    return [];
  },
};
