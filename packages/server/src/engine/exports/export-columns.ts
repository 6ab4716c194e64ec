import { ADDRESS_PARTS, type AddressPart } from '@rapport/common';
import type { FieldMeta, ObjectMeta } from '../metadata/types.ts';
import { relationKind } from '../fields/types/relation.field.ts';
import type { ApiRecord } from '../records/record-shape.ts';

/** A cell as a spreadsheet should hold it: text, a number, a yes/no, a calendar day or an instant. */
export type ExportCell = { kind: 'text'; value: string } | { kind: 'number'; value: number } | { kind: 'boolean'; value: boolean } | { kind: 'date'; value: string } | { kind: 'datetime'; value: string } | null;

export interface ExportColumn {
  header: string;
  cell(record: ApiRecord): ExportCell;
}

/** What a column needs besides the record: the names of users (owners) and of related records. */
export interface ExportLookups {
  userName(id: string): string | undefined;
  /** The related object's title field, to name a related record. */
  titleOf(objectName: string, record: Record<string, unknown>): string;
}

const PART_LABELS: Record<AddressPart, string> = { street: 'street', city: 'city', postalCode: 'postal code', region: 'region', country: 'country', lat: 'latitude', lng: 'longitude' };
const LIST_SEPARATOR = '; ';

const text = (value: string): ExportCell => ({ kind: 'text', value });
const numberCell = (value: unknown): ExportCell => (typeof value === 'number' && Number.isFinite(value) ? { kind: 'number', value } : null);
/** A field value as a list: one value, several (emails, choices, related records) or none. */
export const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === null || value === undefined || value === '' ? [] : [value]);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const choiceLabel = (field: FieldMeta, value: unknown) => field.options?.choices?.find((choice) => choice.value === value)?.label ?? String(value);

// One field's cells: most fields are one column, a currency two (amount, code), an address one per part.
const columnsOfField = (field: FieldMeta, lookups: ExportLookups): ExportColumn[] => {
  const read = (record: ApiRecord) => record[field.name];
  const single = (cell: (value: unknown) => ExportCell): ExportColumn[] => [{ header: field.label, cell: (record) => (read(record) === null || read(record) === undefined ? null : cell(read(record))) }];
  switch (field.type) {
    case 'text':
    case 'longText':
    case 'richText':
      return single((value) => text(String(value)));
    case 'number':
    case 'percent':
    case 'rating':
      return single(numberCell);
    case 'boolean':
      return single((value) => ({ kind: 'boolean', value: value === true }));
    case 'date':
      return single((value) => ({ kind: 'date', value: String(value) }));
    case 'datetime':
      return single((value) => ({ kind: 'datetime', value: String(value) }));
    case 'select':
    case 'multiSelect':
      return single((value) => text(asList(value).map((item) => choiceLabel(field, item)).join(LIST_SEPARATOR)));
    case 'email':
    case 'phone':
    case 'url':
      return single((value) => text(asList(value).map(String).join(LIST_SEPARATOR)));
    case 'json':
      return single((value) => text(JSON.stringify(value)));
    case 'owner':
      return single((value) => text(typeof value === 'string' ? (lookups.userName(value) ?? value) : ''));
    case 'formula': {
      const result = field.options?.resultType;
      return single((value) =>
        result === 'number' ? numberCell(value) : result === 'boolean' ? { kind: 'boolean', value: value === true } : result === 'date' ? { kind: 'date', value: String(value) } : result === 'datetime' ? { kind: 'datetime', value: String(value) } : text(String(value)),
      );
    }
    case 'currency':
      return [
        { header: field.label, cell: (record) => (isRecord(read(record)) ? numberCell((read(record) as { amount?: unknown }).amount) : null) },
        { header: `${field.label} (currency)`, cell: (record) => (isRecord(read(record)) && typeof (read(record) as { currency?: unknown }).currency === 'string' ? text((read(record) as { currency: string }).currency) : null) },
      ];
    case 'address':
      return ADDRESS_PARTS.map((part) => ({
        header: `${field.label} (${PART_LABELS[part]})`,
        cell: (record) => {
          const address = read(record);
          const value = isRecord(address) ? address[part] : undefined;
          if (value === null || value === undefined || value === '') return null;
          return part === 'lat' || part === 'lng' ? numberCell(value) : text(String(value));
        },
      }));
    case 'relation': {
      const target = field.options?.target ?? '';
      // Related records come included (whole records, as the caller may read them) and are named by their title.
      return single((value) => text(asList(value).map((item) => (isRecord(item) ? lookups.titleOf(target, item) : String(item))).join(LIST_SEPARATOR)));
    }
    case 'reference': {
      // Two columns: the record's title (included as {object, id, record} when the caller may read it), and
      // `object:id`, which an import reads back.
      const reference = (record: ApiRecord) => (isRecord(read(record)) ? (read(record) as { object: string; id: string; record?: unknown }) : undefined);
      return [
        { header: field.label, cell: (record) => { const value = reference(record); return value && isRecord(value.record) ? text(lookups.titleOf(value.object, value.record)) : null; } },
        { header: `${field.label} (record)`, cell: (record) => { const value = reference(record); return value ? text(`${value.object}:${value.id}`) : null; } },
      ];
    }
    default:
      return field.type satisfies never;
  }
};

const SYSTEM_COLUMNS: Record<string, ExportColumn> = {
  id: { header: 'ID', cell: (record) => text(record.id) },
  createdAt: { header: 'Created', cell: (record) => ({ kind: 'datetime', value: record.createdAt }) },
  updatedAt: { header: 'Updated', cell: (record) => ({ kind: 'datetime', value: record.updatedAt }) },
};
export const SYSTEM_EXPORT_FIELDS = Object.keys(SYSTEM_COLUMNS);

/** The columns for the named fields in their order (system names allowed): one or more per field. */
export const exportColumnsOf = (object: ObjectMeta, names: readonly string[], lookups: ExportLookups): ExportColumn[] =>
  names.flatMap((name) => SYSTEM_COLUMNS[name] ?? columnsOfField(object.fieldsByName.get(name)!, lookups));

/** Relations and references to include so their titles can be written: the manyToOne, manyToMany and oneToMany ones exported. */
export const relationsToInclude = (object: ObjectMeta, names: readonly string[]): string[] =>
  names.filter((name) => {
    const field = object.fieldsByName.get(name);
    return field?.type === 'reference' || (field?.type === 'relation' && ['manyToOne', 'manyToMany', 'oneToMany'].includes(relationKind(field)));
  });

/**
 * A text cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return
 * before one) is kept as text by a leading apostrophe (OWASP "CSV injection"). Numbers are not text
 * cells and keep their sign.
 */
export const neutraliseFormula = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
