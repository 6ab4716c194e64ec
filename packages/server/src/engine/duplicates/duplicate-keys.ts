import type { DuplicateReason } from '@rapport/common';
import { sql, type RawBuilder } from 'kysely';
import type { FieldMeta, ObjectMeta } from '../metadata/types.ts';

/** Two names this similar (pg_trgm, 0..1) make a candidate on their own. */
export const NAME_SIMILARITY = 0.5;

/**
 * Makes `%` (and so the trigram index's own filter) use NAME_SIMILARITY instead of pg_trgm's 0.3 for the
 * rest of the transaction: far fewer rows to fetch and recheck for common names.
 */
export const similarityThreshold = (): RawBuilder<unknown> => sql`select set_config('pg_trgm.similarity_threshold', ${String(NAME_SIMILARITY)}, true)`;

/** How much each reason alone says "same"; several combine as independent evidence. */
const REASON_WEIGHT: Record<Exclude<DuplicateReason, 'name'>, number> = { email: 0.95, phone: 0.85, domain: 0.8 };

/**
 * What makes two records of an object look alike, read from its metadata: its email, phone and web
 * address fields (a web address compares by domain) and its title. Encrypted fields are left out:
 * their stored values are sealed, so equal values do not compare equal.
 */
export interface DuplicateKeys {
  emails: FieldMeta[];
  phones: FieldMeta[];
  urls: FieldMeta[];
  name?: FieldMeta;
}

const isPlain = (field: FieldMeta) => !field.options?.encrypted;

export const getDuplicateKeys = (object: ObjectMeta): DuplicateKeys => {
  const ofType = (type: string) => object.fields.filter((field) => field.type === type && isPlain(field));
  const label = object.fieldsByName.get(object.labelField);
  const name = label && (label.type === 'text' || (label.type === 'formula' && label.options?.resultType === 'text')) && isPlain(label) ? label : undefined;
  return { emails: ofType('email'), phones: ofType('phone'), urls: ofType('url'), ...(name ? { name } : {}) };
};

const column = (alias: string, field: FieldMeta) => sql`${sql.id(alias)}.${sql.id(field.column)}`;

/**
 * The host of a stored web address without `www.` — the same as `domainOf` for the normalised URLs
 * the url type stores (scheme and host lower-cased). Spelt once: the expression index uses it too.
 */
export const domainExpression = (value: RawBuilder<unknown>): RawBuilder<string> =>
  sql<string>`regexp_replace(substring(${value} from '^[a-z]+://([^/:?#]+)'), '^www\\.', '')`;

/** Emails compare without case (the part before the @ keeps the case it was typed in). */
export const lowerExpression = (value: RawBuilder<unknown>): RawBuilder<string> => sql<string>`lower(${value})`;

/** Every value of some fields of a row as one text[] (single fields and `multiple` lists alike). */
export const valuesArray = (alias: string, fields: FieldMeta[], map: (value: RawBuilder<unknown>) => RawBuilder<unknown> = (value) => value): RawBuilder<string[]> => {
  if (fields.length === 0) return sql<string[]>`'{}'::text[]`;
  const parts = fields.map((field) =>
    field.options?.multiple
      ? sql`coalesce(array(select ${map(sql`v`)} from unnest(${column(alias, field)}) as v), '{}'::text[])`
      : sql`array_remove(array[${map(column(alias, field))}]::text[], null)`,
  );
  return sql<string[]>`(${sql.join(parts, sql` || `)})`;
};

/** What a row (alias) is compared with: lists of emails, phones, domains and a name, as SQL values. */
export interface DuplicateProbe {
  emails: RawBuilder<unknown>;
  phones: RawBuilder<unknown>;
  domains: RawBuilder<unknown>;
  name: RawBuilder<unknown>;
}

const anyOf = (alias: string, fields: FieldMeta[], values: RawBuilder<unknown>, map?: (value: RawBuilder<unknown>) => RawBuilder<unknown>): RawBuilder<boolean> => {
  if (fields.length === 0) return sql<boolean>`false`;
  // Each field on its own: a single field by its btree index, a list by its GIN index.
  const tests = fields.map((field) => {
    if (!field.options?.multiple) return sql`${map ? map(column(alias, field)) : column(alias, field)} = any(${values}::text[])`;
    if (!map) return sql`${column(alias, field)} && ${values}::text[]`;
    return sql`exists (select from unnest(${column(alias, field)}) as v where ${map(sql`v`)} = any(${values}::text[]))`;
  });
  return sql<boolean>`(${sql.join(tests, sql` or `)})`;
};

/** Per reason, whether the row `alias` matches the probe; name as its similarity (0 when it has none). */
export const reasonColumns = (alias: string, keys: DuplicateKeys, probe: DuplicateProbe) => ({
  email: anyOf(alias, keys.emails, probe.emails, lowerExpression),
  phone: anyOf(alias, keys.phones, probe.phones),
  domain: anyOf(alias, keys.urls, probe.domains, domainExpression),
  name: keys.name ? sql<number>`coalesce(similarity(${column(alias, keys.name)}, ${probe.name}), 0)` : sql<number>`0`,
});

/** The candidate condition: any reason holds. `%` lets the trigram index find similar names. */
export const candidateCondition = (alias: string, keys: DuplicateKeys, probe: DuplicateProbe): RawBuilder<boolean> => {
  const reasons = reasonColumns(alias, keys, probe);
  const name = keys.name
    ? sql`(${probe.name} is not null and length(${probe.name}) > 2 and ${column(alias, keys.name)} % ${probe.name} and similarity(${column(alias, keys.name)}, ${probe.name}) >= ${NAME_SIMILARITY})`
    : sql`false`;
  return sql<boolean>`(${reasons.email} or ${reasons.phone} or ${reasons.domain} or ${name})`;
};

/**
 * Ids of live rows of `table` that may match the probe: one lookup per key, each on that key's own index
 * (similar names: at most `limit` of them). Given a probe from a lateral row, an OR of the keys in one scan is not turned
 * into a bitmap OR: it read the whole table once per probe (10,000 people: 30 s a scan run on PGlite).
 */
export const candidateIds = (table: RawBuilder<unknown>, keys: DuplicateKeys, probe: DuplicateProbe, limit: number): RawBuilder<unknown> => {
  const lookup = (condition: RawBuilder<unknown>, limited = false) =>
    sql`(select x.id from ${table} as x where x.deleted_at is null and ${condition}${limited ? sql` limit ${limit}` : sql``})`;
  // Equal values are few: unlimited, so the planner reads their index instead of hoping a scan meets them early.
  const equalTo = (field: FieldMeta, values: RawBuilder<unknown>, map?: (value: RawBuilder<unknown>) => RawBuilder<unknown>) => lookup(anyOf('x', [field], values, map));
  const lookups = [
    ...keys.emails.map((field) => equalTo(field, probe.emails, lowerExpression)),
    ...keys.phones.map((field) => equalTo(field, probe.phones)),
    ...keys.urls.map((field) => equalTo(field, probe.domains, domainExpression)),
    ...(keys.name ? [lookup(sql`${probe.name} is not null and length(${probe.name}) > 2 and ${column('x', keys.name)} % ${probe.name}`, true)] : []),
  ];
  return lookups.length > 0 ? sql.join(lookups, sql` union `) : sql`select null::uuid where false`;
};

/** Reasons and score (0..1) of a candidate from its reason columns. */
export const scoreOf = (row: { r_email: boolean; r_phone: boolean; r_domain: boolean; r_name: number }): { score: number; reasons: DuplicateReason[] } => {
  const reasons: DuplicateReason[] = [];
  let unlikely = 1;
  for (const reason of ['email', 'phone', 'domain'] as const) {
    if (row[`r_${reason}`] !== true) continue;
    reasons.push(reason);
    unlikely *= 1 - REASON_WEIGHT[reason];
  }
  const similarity = Number(row.r_name) || 0;
  if (similarity >= NAME_SIMILARITY) {
    reasons.push('name');
    unlikely *= 1 - similarity * 0.9;
  }
  return { score: Math.round((1 - unlikely) * 1000) / 1000, reasons };
};

/** The trigram, lower-case email and domain indexes the lookups use, on live rows (names are `<table>_dup_…`). */
export const duplicateIndexStatements = (schema: string, object: ObjectMeta): RawBuilder<unknown>[] => {
  const keys = getDuplicateKeys(object);
  const table = sql.id(schema, object.table);
  const statements: RawBuilder<unknown>[] = [];
  if (keys.name) {
    statements.push(sql`create index if not exists ${sql.id(`${object.table}_dup_name`.slice(0, 63))} on ${table} using gin (${sql.id(keys.name.column)} gin_trgm_ops) where deleted_at is null`);
  }
  for (const field of keys.emails.filter((email) => !email.options?.multiple)) {
    statements.push(sql`create index if not exists ${sql.id(`${object.table}_dup_${field.column}`.slice(0, 63))} on ${table} (${lowerExpression(sql.id(field.column))}) where deleted_at is null`);
  }
  for (const field of keys.urls.filter((url) => !url.options?.multiple)) {
    statements.push(sql`create index if not exists ${sql.id(`${object.table}_dup_${field.column}`.slice(0, 63))} on ${table} (${domainExpression(sql.id(field.column))}) where deleted_at is null`);
  }
  return statements;
};
