import type { DuplicateCandidate as CommonDuplicateCandidate } from '@rapport/common';
import { domainOf } from '@rapport/common/values/index';
import { sql } from 'kysely';
import type { FieldMeta, ObjectMeta } from '../metadata/types.ts';
import { getReadableObject } from '../permissions/assert-access.ts';
import { getRecord, shapeRecords, type ReadContext } from '../records/read-records.ts';
import { computeFormulas } from '../records/record-expressions.ts';
import { prepareInput } from '../records/record-input.ts';
import type { ApiRecord } from '../records/record-shape.ts';
import { candidateCondition, getDuplicateKeys, reasonColumns, scoreOf, similarityThreshold, type DuplicateKeys } from './duplicate-keys.ts';

type DuplicateCandidate = CommonDuplicateCandidate<ApiRecord>;

/** Candidates looked at per check; the best `limit` are returned. */
const CANDIDATE_ROWS = 50;
export const DEFAULT_CANDIDATES = 5;

interface Probe {
  emails: string[];
  phones: string[];
  domains: string[];
  name: string | null;
}

const texts = (record: Record<string, unknown>, fields: FieldMeta[]): string[] =>
  fields.flatMap((field) => {
    const value = record[field.name];
    return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string' && item !== '');
  });

const probeOf = (keys: DuplicateKeys, record: Record<string, unknown>): Probe => {
  const name = keys.name ? record[keys.name.name] : null;
  return {
    emails: texts(record, keys.emails).map((email) => email.toLowerCase()),
    phones: texts(record, keys.phones),
    domains: texts(record, keys.urls).map((url) => domainOf(url)).filter((domain): domain is string => domain !== undefined),
    name: typeof name === 'string' && name.trim().length > 2 ? name.trim() : null,
  };
};

const isEmptyProbe = (probe: Probe) => probe.emails.length + probe.phones.length + probe.domains.length === 0 && probe.name === null;

/**
 * Live records of the object that look like the probe, among those the caller may read: their row
 * condition joins the query and only fields they see are compared, so a candidate never reveals a
 * record or a value they could not read.
 */
const findCandidates = async (context: ReadContext, options: { keys: DuplicateKeys; visible: ObjectMeta; probe: Probe; excludeIds: string[]; limit: number }): Promise<DuplicateCandidate[]> => {
  const { db, workspace, access } = context;
  const { keys, visible, probe, excludeIds, limit } = options;
  if (isEmptyProbe(probe)) return [];
  const sqlProbe = { emails: sql`${probe.emails}`, phones: sql`${probe.phones}`, domains: sql`${probe.domains}`, name: sql`${probe.name}::text` };
  const reasons = reasonColumns('t0', keys, sqlProbe);
  const readable = access.rows.predicate({ object: visible, alias: 't0', mode: 'read' });
  const rows = await db.transaction().execute(async (trx) => {
    await similarityThreshold().execute(trx);
    return (await sql<Record<string, unknown> & { r_email: boolean; r_phone: boolean; r_domain: boolean; r_name: number }>`
    select t0.*, ${reasons.email} as r_email, ${reasons.phone} as r_phone, ${reasons.domain} as r_domain, ${reasons.name} as r_name
    from ${sql.id(workspace.schema, visible.table)} as t0
    where t0.deleted_at is null and t0.id <> all(${excludeIds}::uuid[]) and ${candidateCondition('t0', keys, sqlProbe)}
    ${readable ? sql`and ${readable}` : sql``}
    limit ${CANDIDATE_ROWS}`.execute(trx)).rows;
  });
  const scored = rows
    .map((row) => ({ row, ...scoreOf(row) }))
    .filter((candidate) => candidate.reasons.length > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
  const records = await shapeRecords(context, scored.map((candidate) => candidate.row), {});
  return scored.map((candidate, index) => ({ record: records[index]!, score: candidate.score, reasons: candidate.reasons }));
};

/** Records that look like values about to be created (partial, as for a create); invalid values are left out. */
export const checkDuplicates = async (context: ReadContext, options: { input: Record<string, unknown>; limit?: number }): Promise<DuplicateCandidate[]> => {
  const visible = getReadableObject(context.access, context.object.name);
  const keys = getDuplicateKeys(visible);
  const given = Object.fromEntries(Object.entries(options.input).filter(([name]) => visible.fieldsByName.has(name)));
  const prepared = prepareInput({ workspace: context.workspace, object: visible, input: given });
  const invalid = new Set(prepared.errors.map((error) => error.field));
  const values = Object.fromEntries(Object.entries(prepared.values).filter(([name]) => !invalid.has(name)));
  // The title may be a formula (a person's full name from first and last names).
  const formulas = computeFormulas({ object: visible, record: values });
  const probe = probeOf(keys, { ...values, ...formulas.values });
  return findCandidates(context, { keys, visible, probe, excludeIds: [], limit: options.limit ?? DEFAULT_CANDIDATES });
};

/** Records that look like an existing one; RECORD_NOT_FOUND when the caller may not read it. */
export const findRecordDuplicates = async (context: ReadContext, options: { id: string; limit?: number }): Promise<DuplicateCandidate[]> => {
  const visible = getReadableObject(context.access, context.object.name);
  const record = await getRecord(context, { id: options.id });
  const keys = getDuplicateKeys(visible);
  return findCandidates(context, { keys, visible, probe: probeOf(keys, record), excludeIds: [options.id], limit: options.limit ?? DEFAULT_CANDIDATES });
};
