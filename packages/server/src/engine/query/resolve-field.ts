import { ADDRESS_PARTS, SYSTEM_FIELDS, type ComparisonOp, type FieldType } from '@rapport/common';
import { AppError, invalidQuery } from '../errors.ts';
import type { Operand, ScalarKind } from '../fields/field-type.ts';
import { getFieldTypeHandler } from '../fields/registry.ts';
import { relationKind } from '../fields/types/relation.field.ts';
import { getSystemOperand } from '../metadata/system-fields.ts';
import type { FieldMeta, ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';

/** How many many-to-one relations a path may follow (`company.parentCompany.industry` follows 2). */
export const MAX_RELATION_HOPS = 3;

/** One many-to-one step of a path: `field` (on the previous object) points at `target`. */
export interface RelationHop {
  field: FieldMeta;
  target: ObjectMeta;
}

/** A path ending on a value: a column of the last object of the hops (the queried object when none). */
export interface ResolvedOperand {
  type: 'operand';
  path: string;
  hops: readonly RelationHop[];
  operand: Operand;
  /** False only for the system columns declared NOT NULL. */
  isNullable: boolean;
  /** The field of the value; absent for system fields. */
  field?: FieldMeta;
}

/** A path ending on a one-to-many or many-to-many relation: filtered by the ids of linked records. */
export interface ResolvedCollection {
  type: 'collection';
  path: string;
  hops: readonly RelationHop[];
  field: FieldMeta;
  target: ObjectMeta;
  link:
    | { type: 'junction'; table: string; selfColumn: string; otherColumn: string }
    | { type: 'inverse'; /** The target's many-to-one column pointing back. */ column: string };
}

export type ResolvedPath = ResolvedOperand | ResolvedCollection;

export interface ResolvePathOptions {
  workspace: WorkspaceMeta;
  object: ObjectMeta;
  path: string;
}

const NOT_NULL_SYSTEM_FIELDS: ReadonlySet<string> = new Set(['id', 'version', 'createdAt', 'updatedAt']);
const KNOWN_PARTS: Partial<Record<FieldType, readonly string[]>> = { address: ADDRESS_PARTS, currency: ['amount', 'currency'] };
const MAX_LISTED_FIELDS = 60;

const listFields = (object: ObjectMeta): string => {
  const names = [...SYSTEM_FIELDS, ...object.fields.map((field) => field.name)];
  const shown = names.slice(0, MAX_LISTED_FIELDS).join(', ');
  return names.length > MAX_LISTED_FIELDS ? `${shown}, …` : shown;
};

const unknownPart = (object: ObjectMeta, field: FieldMeta, part: string | undefined, path: string) => {
  const parts = KNOWN_PARTS[field.type];
  if (!parts) return invalidQuery(`Field "${field.name}" on ${object.name} is a ${field.type} field and has no part "${part}".`, path);
  const known = parts.map((name) => `${field.name}.${name}`).join(', ');
  return part === undefined
    ? invalidQuery(`Field "${field.name}" on ${object.name} is a ${field.type} field; use one of its parts: ${known}.`, path)
    : invalidQuery(`Unknown part "${part}" of field "${field.name}" on ${object.name}. Known parts: ${known}.`, path);
};

const getTarget = (workspace: WorkspaceMeta, field: FieldMeta, path: string): ObjectMeta => {
  const target = workspace.objects.get(field.options?.target ?? '');
  if (!target) throw invalidQuery(`Relation "${field.name}" points at an unknown object "${field.options?.target}".`, path);
  return target;
};

const resolveCollection = (workspace: WorkspaceMeta, field: FieldMeta, path: string, hops: RelationHop[]): ResolvedCollection => {
  const target = getTarget(workspace, field, path);
  if (relationKind(field) === 'manyToMany') {
    if (!field.junction) throw invalidQuery(`Relation "${field.name}" has no junction table.`, path);
    return { type: 'collection', path, hops, field, target, link: { type: 'junction', ...field.junction } };
  }
  const inverse = target.fieldsByName.get(field.options?.inverseName ?? '');
  if (!inverse || inverse.type !== 'relation' || relationKind(inverse) !== 'manyToOne') {
    throw invalidQuery(`Relation "${field.name}" has no many-to-one field "${field.options?.inverseName}" on ${target.name}.`, path);
  }
  return { type: 'collection', path, hops, field, target, link: { type: 'inverse', column: inverse.column } };
};

/**
 * Resolves a field path: a system field (`createdAt`), a field (`name`), a composite part
 * (`address.city`, `amount.currency`), a path through many-to-one relations (`company.industry`,
 * at most 3 of them), or a one-to-many / many-to-many relation (`contacts`), possibly at the end of one.
 */
export const resolvePath = ({ workspace, object, path }: ResolvePathOptions): ResolvedPath => {
  const segments = path.split('.');
  if (path.length > 500 || segments.some((segment) => segment === '')) throw invalidQuery(`Invalid field path "${path}".`, path);
  const hops: RelationHop[] = [];
  let current = object;
  for (let index = 0; index < segments.length; index++) {
    const name = segments[index] ?? '';
    const rest = segments.slice(index + 1);
    const system = getSystemOperand(name);
    if (system) {
      if (rest.length > 0) throw invalidQuery(`System field "${name}" on ${current.name} has no parts; "${path}" is not a field.`, path);
      return { type: 'operand', path, hops, operand: system, isNullable: !NOT_NULL_SYSTEM_FIELDS.has(name) };
    }
    const field = current.fieldsByName.get(name);
    if (!field) throw invalidQuery(`Unknown field "${name}" on ${current.name}. Known fields: ${listFields(current)}.`, path);
    if (field.type === 'relation' && relationKind(field) !== 'manyToOne') {
      if (rest.length > 0) {
        throw invalidQuery(`"${name}" on ${current.name} links many records: filter it by ids with eq, in, isEmpty or isNotEmpty, not through "${path}".`, path);
      }
      return resolveCollection(workspace, field, path, hops);
    }
    const isHop = field.type === 'relation' && rest.length > 0 && !(rest.length === 1 && rest[0] === 'id');
    if (isHop) {
      if (hops.length === MAX_RELATION_HOPS) throw invalidQuery(`"${path}" follows more than ${MAX_RELATION_HOPS} relations.`, path);
      current = getTarget(workspace, field, path);
      hops.push({ field, target: current });
      continue;
    }
    if (rest.length > 1) throw unknownPart(current, field, rest.join('.'), path);
    const operand = getFieldTypeHandler(field.type).operand(field, rest[0]);
    if (!operand) throw unknownPart(current, field, rest[0], path);
    return { type: 'operand', path, hops, operand, isNullable: true, field };
  }
  throw invalidQuery(`Invalid field path "${path}".`, path);
};

const ORDERED_OPS: readonly ComparisonOp[] = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 'between', 'isEmpty', 'isNotEmpty'];
const DATE_OPS: readonly ComparisonOp[] = [...ORDERED_OPS, 'during', 'inLastDays', 'inNextDays'];
const EQUALITY_OPS: readonly ComparisonOp[] = ['eq', 'neq', 'in', 'nin', 'isEmpty', 'isNotEmpty'];

/** The operators each kind of value supports. */
export const OPERATORS_BY_KIND: Readonly<Record<ScalarKind, readonly ComparisonOp[]>> = {
  text: [...ORDERED_OPS, 'contains', 'startsWith', 'endsWith'],
  number: ORDERED_OPS,
  date: DATE_OPS,
  datetime: DATE_OPS,
  boolean: ['eq', 'neq', 'isEmpty', 'isNotEmpty'],
  uuid: EQUALITY_OPS,
  textArray: ['contains', 'eq', 'neq', 'in', 'nin', 'isEmpty', 'isNotEmpty'],
  json: ['contains', 'isEmpty', 'isNotEmpty'],
};

/** What a path is called in messages: `number`, `select`, `multiSelect`, `relation`... */
export const describeKind = (resolved: ResolvedPath): string => {
  if (resolved.type === 'collection') return 'relation';
  const { kind, choices } = resolved.operand;
  if (choices && kind === 'text') return 'select';
  if (choices && kind === 'textArray') return 'multiSelect';
  return kind;
};

export const getSupportedOperators = (resolved: ResolvedPath): readonly ComparisonOp[] => {
  if (resolved.type === 'collection') return EQUALITY_OPS;
  // A select compares whole choices: ordering and substrings of choice values mean nothing to users.
  if (resolved.operand.choices && resolved.operand.kind === 'text') return EQUALITY_OPS;
  return OPERATORS_BY_KIND[resolved.operand.kind];
};

const encryptedUnsupported = (resolved: ResolvedOperand, what: string, hint: string) =>
  new AppError('ENCRYPTED_FIELD_UNSUPPORTED', `Cannot ${what} "${resolved.path}": it is encrypted. ${hint}`, {
    errors: [{ field: resolved.path, code: 'encrypted', message: `"${resolved.path}" is encrypted: ${hint}` }],
  });

/** Sorting, grouping and metrics need values the database can read: never those of an encrypted field. */
export const assertNotEncrypted = (resolved: ResolvedPath, what: string): void => {
  if (resolved.type === 'operand' && resolved.operand.encryption) {
    throw encryptedUnsupported(resolved, what, 'only isEmpty and isNotEmpty (and eq, neq, in, nin on single email and phone fields) apply to it.');
  }
};

// Equality through the blind index (single email, phone) and emptiness are all an encrypted value answers.
const ENCRYPTED_OPS: readonly ComparisonOp[] = ['isEmpty', 'isNotEmpty'];

export const assertOperatorSupported = (resolved: ResolvedPath, op: ComparisonOp): void => {
  if (resolved.type === 'operand' && resolved.operand.encryption) {
    const allowed = resolved.operand.encryption.blindIndex ? EQUALITY_OPS : ENCRYPTED_OPS;
    if (allowed.includes(op)) return;
    throw encryptedUnsupported(resolved, `filter with ${op} on`, `supported: ${allowed.join(', ')}.`);
  }
  const supported = getSupportedOperators(resolved);
  if (supported.includes(op)) return;
  throw invalidQuery(
    `Operator ${op} is not supported for ${describeKind(resolved)} fields ("${resolved.path}"). Supported: ${supported.join(', ')}.`,
    resolved.path,
  );
};
