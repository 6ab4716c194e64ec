import { hasDuplicateKeys } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import { newRecordId } from '../records/record-id.ts';
import { createDuplicateIndexes } from './duplicate-indexes.ts';
import { candidateCondition, candidateIds, domainExpression, getDuplicateKeys, lowerExpression, reasonColumns, scoreOf, similarityThreshold, valuesArray } from './duplicate-keys.ts';

/** Records looked at per object and run: a run's work is bounded whatever the table's size. */
export const SCAN_BATCH = 500;
/** Candidates kept per record. */
const CANDIDATES_PER_RECORD = 10;

export interface ScanResult {
  object: string;
  scanned: number;
  pairs: number;
}

interface ScanPosition {
  last_updated_at: string;
  last_id: string;
}

/**
 * Looks for duplicates of the records of one object changed since the last run (keyset on
 * `updated_at, id`, the object's own index), at most `batch` of them, each against the whole table
 * through the lookup indexes. Pairs are upserted; a dismissed pair stays dismissed.
 */
const scanObject = async (db: Db, options: { workspace: WorkspaceMeta; object: ObjectMeta; batch: number }): Promise<ScanResult> => {
  const { workspace, object, batch } = options;
  const keys = getDuplicateKeys(object);
  const table = sql.id(workspace.schema, object.table);
  const { rows: positions } = await sql<ScanPosition>`
    select last_updated_at::text as last_updated_at, last_id from rapport.duplicate_scan where workspace_id = ${workspace.id} and object = ${object.name}`.execute(db);
  const position = positions[0];
  // Times travel as text: the microseconds survive the round trip (the keyset must not step back).
  const { rows: changed } = await sql<{ id: string; updated_at: string }>`
    select id, updated_at::text as updated_at from ${table}
    where deleted_at is null ${position ? sql`and (updated_at, id) > (${position.last_updated_at}::timestamptz, ${position.last_id}::uuid)` : sql``}
    order by updated_at, id limit ${batch}`.execute(db);
  if (changed.length === 0) return { object: object.name, scanned: 0, pairs: 0 };
  const probe = {
    emails: valuesArray('a', keys.emails, lowerExpression),
    phones: valuesArray('a', keys.phones),
    domains: valuesArray('a', keys.urls, domainExpression),
    name: keys.name ? sql`a.${sql.id(keys.name.column)}` : sql`null::text`,
  };
  const reasons = reasonColumns('b', keys, probe);
  const rows = await db.transaction().execute(async (trx) => {
    await similarityThreshold().execute(trx);
    // Each probe is a handful of index lookups; a small table's planner otherwise scans it whole once per probe.
    await sql`select set_config('enable_seqscan', 'off', true)`.execute(trx);
    return (await sql<{ a_id: string; b_id: string; r_email: boolean; r_phone: boolean; r_domain: boolean; r_name: number }>`
    select a.id as a_id, c.* from ${table} as a
    cross join lateral (
      select b.id as b_id, ${reasons.email} as r_email, ${reasons.phone} as r_phone, ${reasons.domain} as r_domain, ${reasons.name} as r_name
      from ${table} as b
      where b.deleted_at is null and b.id <> a.id and b.id in (${candidateIds(table, keys, probe, CANDIDATES_PER_RECORD + 1)}) and ${candidateCondition('b', keys, probe)}
      limit ${CANDIDATES_PER_RECORD}
    ) as c
    where a.id = any(${changed.map((row) => row.id)}::uuid[])`.execute(trx)).rows;
  });
  const pairs = new Map<string, { a: string; b: string; score: number; reasons: string[] }>();
  for (const row of rows) {
    const { score, reasons: found } = scoreOf(row);
    if (found.length === 0) continue;
    const [a, b] = row.a_id < row.b_id ? [row.a_id, row.b_id] : [row.b_id, row.a_id];
    pairs.set(`${a}:${b}`, { a, b, score, reasons: found });
  }
  const list = [...pairs.values()];
  if (list.length > 0) {
    await sql`
      insert into rapport.duplicate_pair (id, workspace_id, object, a_id, b_id, score, reasons)
      select v.id, ${workspace.id}::uuid, ${object.name}, v.a, v.b, v.score, string_to_array(v.reasons, ',')
      from unnest(${list.map(() => newRecordId())}::uuid[], ${list.map((pair) => pair.a)}::uuid[], ${list.map((pair) => pair.b)}::uuid[],
        ${list.map((pair) => pair.score)}::real[], ${list.map((pair) => pair.reasons.join(','))}::text[]) as v(id, a, b, score, reasons)
      on conflict (workspace_id, object, a_id, b_id) do update set score = excluded.score, reasons = excluded.reasons, found_at = now()
        where rapport.duplicate_pair.dismissed_at is null`.execute(db);
  }
  const last = changed.at(-1)!;
  await sql`
    insert into rapport.duplicate_scan (workspace_id, object, last_updated_at, last_id) values (${workspace.id}, ${object.name}, ${last.updated_at}::timestamptz, ${last.id}::uuid)
    on conflict (workspace_id, object) do update set last_updated_at = excluded.last_updated_at, last_id = excluded.last_id, scanned_at = now()`.execute(db);
  return { object: object.name, scanned: changed.length, pairs: list.length };
};

/** One bounded pass over a workspace: every object with emails, phones or web addresses. */
export const scanWorkspaceForDuplicates = async (db: Db, options: { workspace: WorkspaceMeta; objectName?: string; batch?: number }): Promise<ScanResult[]> => {
  const { workspace } = options;
  await createDuplicateIndexes(db, workspace);
  const results: ScanResult[] = [];
  for (const object of workspace.objects.values()) {
    if (options.objectName ? object.name !== options.objectName : !hasDuplicateKeys(object)) continue;
    results.push(await scanObject(db, { workspace, object, batch: options.batch ?? SCAN_BATCH }));
  }
  return results;
};
