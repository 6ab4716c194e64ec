import type { FieldError } from '@rapport/common';
import { validationFailed } from '../errors.ts';
import { relationKind } from '../fields/types/relation.field.ts';
import type { FieldMeta, ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import { assignValue, cellToValue } from './import-values.ts';
import type { ImportMapping } from './import-store.ts';
import { nameSplitOf, splitFullName } from './file/index.ts';

/** The part of a whole-name column (mapped to a computed title such as `fullName`): split into first and last name. */
const WHOLE_NAME = 'wholeName';

/** How a related record is found from a cell: by its title (case-insensitive), or exactly by a url/email/unique field. */
export type MatchKind = 'title' | 'domain' | 'email' | 'exact';

interface FieldColumn {
  kind: 'field';
  index: number;
  header: string;
  field: FieldMeta;
  part?: string;
}

interface RelationColumn {
  kind: 'relation';
  index: number;
  header: string;
  /** The many-to-one field of the imported object. */
  relation: FieldMeta;
  target: ObjectMeta;
  /** The target's field this column fills; undefined for a plain relation target (title, or domain when it looks like one). */
  field?: FieldMeta;
  part?: string;
  /** Set when this column identifies the related record. */
  match?: MatchKind;
}

export type ColumnPlan = FieldColumn | RelationColumn;

export interface MappingPlan {
  object: ObjectMeta;
  columns: ColumnPlan[];
  /** The relation fields the file fills, each with its target. */
  relations: Map<string, { relation: FieldMeta; target: ObjectMeta }>;
}

const matchKindOf = (target: ObjectMeta, field: FieldMeta): MatchKind | undefined => {
  if (field.options?.encrypted) return undefined;
  if (field.name === target.labelField) return 'title';
  if (field.type === 'url' && !field.options?.multiple) return 'domain';
  if (field.type === 'email' && !field.options?.multiple) return 'email';
  if (field.unique && (field.type === 'text' || field.type === 'phone')) return 'exact';
  return undefined;
};

const isWritable = (field: FieldMeta) => field.type !== 'formula' && !(field.type === 'relation' && relationKind(field) === 'oneToMany');

/**
 * Checks a mapping against the object (as the caller sees it) and the file's headers, and says what
 * each column fills. Unknown headers and targets are VALIDATION_FAILED on `mapping.<header>`.
 */
export const planMapping = ({ workspace, object, headers, mapping }: { workspace: WorkspaceMeta; object: ObjectMeta; headers: readonly string[]; mapping: ImportMapping }): MappingPlan => {
  const errors: FieldError[] = [];
  const columns: ColumnPlan[] = [];
  const relations = new Map<string, { relation: FieldMeta; target: ObjectMeta }>();
  for (const [header, target] of Object.entries(mapping)) {
    if (target === null || target === '') continue;
    const index = headers.indexOf(header);
    const path = `mapping.${header}`;
    if (index < 0) {
      errors.push({ field: path, code: 'unknownField', message: `The file has no column "${header}".` });
      continue;
    }
    const [name = '', rest] = splitTarget(target);
    const field = object.fieldsByName.get(name);
    if (field && rest === undefined && nameSplitOf(object)?.target === name) {
      columns.push({ kind: 'field', index, header, field, part: WHOLE_NAME });
      continue;
    }
    if (!field || !isWritable(field) || field.type === 'owner' && rest !== undefined) {
      errors.push({ field: path, code: 'unknownField', message: `${object.name} has no writable field "${name}".` });
      continue;
    }
    if (field.type === 'relation') {
      const targetObject = workspace.objects.get(field.options?.target ?? '');
      if (relationKind(field) !== 'manyToOne' || !targetObject) {
        errors.push({ field: path, code: 'invalidChoice', message: `"${name}" links many records: import it from the other side.` });
        continue;
      }
      relations.set(field.name, { relation: field, target: targetObject });
      if (rest === undefined) {
        columns.push({ kind: 'relation', index, header, relation: field, target: targetObject });
        continue;
      }
      const [subName = '', part] = splitTarget(rest);
      const sub = targetObject.fieldsByName.get(subName);
      if (!sub || !isWritable(sub) || sub.type === 'relation') {
        errors.push({ field: path, code: 'unknownField', message: `${targetObject.name} has no writable field "${subName}".` });
        continue;
      }
      const match = part === undefined ? matchKindOf(targetObject, sub) : undefined;
      columns.push({ kind: 'relation', index, header, relation: field, target: targetObject, field: sub, ...(part ? { part } : {}), ...(match ? { match } : {}) });
      continue;
    }
    if (rest !== undefined && field.type !== 'address' && field.type !== 'currency') {
      errors.push({ field: path, code: 'unknownField', message: `"${name}" has no part "${rest}".` });
      continue;
    }
    columns.push({ kind: 'field', index, header, field, ...(rest ? { part: rest } : {}) });
  }
  // A related record needs a column that finds it.
  for (const { relation } of relations.values()) {
    const own = columns.filter((column): column is RelationColumn => column.kind === 'relation' && column.relation === relation);
    if (!own.some((column) => column.field === undefined || column.match !== undefined)) {
      errors.push({ field: `mapping.${own[0]!.header}`, code: 'required', message: `Map a column to "${relation.name}", or to its title or domain ("${relation.name}.${own[0]!.target.labelField}"), to find the ${own[0]!.target.name}.` });
    }
  }
  if (errors.length > 0) throw validationFailed(errors);
  return { object, columns, relations };
};

const splitTarget = (target: string): [string, string | undefined] => {
  const dot = target.indexOf('.');
  return dot < 0 ? [target, undefined] : [target.slice(0, dot), target.slice(dot + 1)];
};

/** A problem of one cell or row, before or during the write. */
export interface RowProblem {
  column: string | null;
  field: string;
  code: string;
  message: string;
}

/** What identifies a related record in a row: matchers in order of trust (domain/email/unique first, then title). */
export interface RelatedKey {
  relation: string;
  matchers: { kind: MatchKind; field: FieldMeta; value: string; column: string }[];
  /** Values for the related record when it is created. */
  values: Record<string, unknown>;
}

export interface MappedRow {
  rowNumber: number;
  cells: string[];
  values: Record<string, unknown>;
  related: RelatedKey[];
  problems: RowProblem[];
}

const looksLikeDomain = (text: string) => /^(https?:\/\/)?(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)+(\/.*)?$/i.test(text) && !/\s/.test(text);

/** One file row as a record input plus what finds its related records; cell problems are collected, not thrown. */
export const mapRow = (plan: MappingPlan, row: { rowNumber: number; cells: string[]; problem?: { code: string; message: string } }): MappedRow => {
  const values: Record<string, unknown> = {};
  const problems: RowProblem[] = row.problem ? [{ column: null, field: '', code: row.problem.code, message: row.problem.message }] : [];
  const related = new Map<string, RelatedKey>();
  const relatedOf = (relation: FieldMeta) => {
    let key = related.get(relation.name);
    if (!key) related.set(relation.name, (key = { relation: relation.name, matchers: [], values: {} }));
    return key;
  };
  for (const column of plan.columns) {
    const cell = row.cells[column.index] ?? '';
    if (cell.trim() === '') continue;
    if (column.kind === 'field' && column.part === WHOLE_NAME) {
      // "Ada Lovelace" or "Lovelace, Ada": first and last name, unless columns of their own give them.
      const split = nameSplitOf(plan.object)!;
      const { firstName, lastName } = splitFullName(cell);
      if (values[split.firstName] === undefined) values[split.firstName] = firstName || null;
      if (values[split.lastName] === undefined && lastName) values[split.lastName] = lastName;
      continue;
    }
    if (column.kind === 'field') {
      const result = cellToValue(column.field, cell, column.part);
      if (!result) continue;
      if (!result.ok) problems.push({ column: column.header, field: column.field.name, code: result.code, message: result.message });
      else assignValue(values, column.field, result.value);
      continue;
    }
    const key = relatedOf(column.relation);
    const text = cell.trim();
    if (column.field === undefined) {
      const title = column.target.fieldsByName.get(column.target.labelField);
      const domain = column.target.fields.find((field) => matchKindOf(column.target, field) === 'domain');
      if (domain && looksLikeDomain(text)) key.matchers.push({ kind: 'domain', field: domain, value: text, column: column.header });
      if (title) key.matchers.push({ kind: 'title', field: title, value: text, column: column.header });
      continue;
    }
    if (column.match) key.matchers.push({ kind: column.match, field: column.field, value: text, column: column.header });
    const result = cellToValue(column.field, cell, column.part);
    if (!result) continue;
    if (!result.ok) problems.push({ column: column.header, field: `${column.relation.name}.${column.field.name}`, code: result.code, message: result.message });
    else assignValue(key.values, column.field, result.value);
  }
  // The most trusted matcher first: an exact domain or email before a name.
  const rank: Record<MatchKind, number> = { domain: 0, email: 0, exact: 1, title: 2 };
  for (const key of related.values()) key.matchers.sort((a, b) => rank[a.kind] - rank[b.kind]);
  return { rowNumber: row.rowNumber, cells: row.cells, values, related: [...related.values()].filter((key) => key.matchers.length > 0), problems };
};
