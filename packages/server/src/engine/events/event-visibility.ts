import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { ObjectMeta } from '../metadata/types.ts';
import type { Access } from '../permissions/access.ts';
import { openEncryptedValues } from '../records/field-encryption.ts';
import { readEvents, type StoredEvent } from './outbox.ts';

// Keys of every record payload that are not fields (record-shape.ts).
const SYSTEM_KEYS = new Set(['id', 'version', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'deletedAt']);

const isVisibleKey = (object: ObjectMeta, key: string) => SYSTEM_KEYS.has(key) || object.fieldsByName.has(key);

/** Ids among `ids` of rows of `object` the caller may read now (trashed rows included: their deletion is news). */
export const findReadableIds = async (db: Db, access: Access, object: ObjectMeta, ids: string[]): Promise<Set<string>> => {
  const condition = access.rows.predicate({ object, alias: 't', mode: 'read' });
  if (!condition) return new Set(ids);
  const table = sql.id(access.workspace.schema, object.table);
  const { rows } = await sql<{ id: string }>`select t.id from ${table} as t where t.id = any(${ids}::uuid[]) and ${condition}`.execute(db);
  return new Set(rows.map((row) => row.id));
};

/**
 * The events as the caller may see them: events of objects they may read, of records they may read
 * now (owner, team, territory, sharing rules — the record's current state decides), with hidden fields
 * left out of the payload and of `changedFields`. An update that only touched hidden fields is dropped:
 * its very existence would tell that something hidden changed. A notification, or a ringing call, reaches only its user.
 * Encrypted fields, sealed in the outbox, are opened for a caller who may see them.
 */
export const filterEventsFor = async (db: Db, access: Access, events: StoredEvent[]): Promise<StoredEvent[]> => {
  const byObject = new Map<string, string[]>();
  for (const event of events) {
    if (!event.type.startsWith('record.') || !access.view.objects.has(event.object)) continue;
    byObject.set(event.object, [...(byObject.get(event.object) ?? []), event.recordId]);
  }
  const readable = new Map<string, Set<string>>();
  for (const [name, ids] of byObject) {
    // Rules compile against the whole workspace: they may name fields hidden from the caller.
    const object = access.workspace.objects.get(name)!;
    readable.set(name, access.readsEverything ? new Set(ids) : await findReadableIds(db, access, object, [...new Set(ids)]));
  }
  return events.flatMap((event) => {
    // Events not about a record (a notification, a ringing call) are addressed to one user.
    if (!event.type.startsWith('record.')) return access.userId !== null && event.payload.userId === access.userId ? [event] : [];
    const object = access.view.objects.get(event.object);
    if (!object || !readable.get(event.object)?.has(event.recordId)) return [];
    // The outbox keeps encrypted fields sealed; a caller who may see them reads them in the clear.
    if (access.readsEverything) return [{ ...event, payload: openEncryptedValues(object, event.payload) as Record<string, unknown> }];
    const changedFields = event.changedFields.filter((name) => isVisibleKey(object, name));
    if (event.type === 'record.updated' && event.changedFields.length > 0 && changedFields.length === 0) return [];
    const payload = Object.fromEntries(Object.entries(event.payload).filter(([key]) => isVisibleKey(object, key)));
    return [{ ...event, changedFields, payload: openEncryptedValues(object, payload) as Record<string, unknown> }];
  });
};

export interface ReadVisibleEventsOptions {
  access: Access;
  afterId: number;
  limit: number;
}

export interface VisibleEventsPage {
  data: StoredEvent[];
  /** The last event looked at, seen or not: the next page starts after it. */
  lastId: number;
  /** More events may follow (the scan stopped at its limit). */
  hasMore: boolean;
}

// A caller who sees little must not make one request scan the whole outbox.
const MAX_SCANNED_PAGES = 10;

/** Up to `limit` events the caller may see after `afterId`, reading the outbox a page at a time. */
export const readVisibleEvents = async (db: Db, { access, afterId, limit }: ReadVisibleEventsOptions): Promise<VisibleEventsPage> => {
  const data: StoredEvent[] = [];
  let lastId = afterId;
  for (let page = 0; page < MAX_SCANNED_PAGES; page++) {
    const events = await readEvents(db, { workspaceId: access.workspace.id, afterId: lastId, limit });
    const visible = await filterEventsFor(db, access, events);
    for (const event of visible) {
      if (data.length === limit) return { data, lastId: data.at(-1)!.id, hasMore: true };
      data.push(event);
    }
    lastId = events.at(-1)?.id ?? lastId;
    if (events.length < limit) return { data, lastId, hasMore: false };
    if (data.length === limit) return { data, lastId, hasMore: true };
  }
  return { data, lastId, hasMore: true };
};
