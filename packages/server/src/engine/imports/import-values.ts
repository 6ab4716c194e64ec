import { ADDRESS_PARTS } from '@rapport/common';
import type { FieldMeta } from '../metadata/types.ts';

/** A cell read as the value the API takes for a field; the write path then checks it like any other. */
export type CellValue = { ok: true; value: unknown } | { ok: false; code: string; message: string };

const TRUE = new Set(['true', 'yes', 'y', '1', 'x', 'on', 'oui', 'ja', 'si', 'sí', 'checked']);
const FALSE = new Set(['false', 'no', 'n', '0', 'off', 'non', 'nein', 'unchecked']);

// "1,234.50", "1 234,50", "1.234,50", "12%", "$ 40" → numbers; the last separator with 1-2 or 3+ digits after decides.
export const parseNumber = (text: string): number | undefined => {
  let cleaned = text.replace(/[\s\u00a0\u202f'’]/g, '').replace(/^[^\d+\-.,]+|[^\d.,]+$/g, '');
  if (cleaned === '') return undefined;
  const lastComma = cleaned.lastIndexOf(',');
  const lastDot = cleaned.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    cleaned = lastComma > lastDot ? cleaned.replace(/\./g, '').replace(',', '.') : cleaned.replace(/,/g, '');
  } else if (lastComma >= 0) {
    const decimals = cleaned.length - lastComma - 1;
    cleaned = (cleaned.match(/,/g)!.length === 1 && decimals !== 3) ? cleaned.replace(',', '.') : cleaned.replace(/,/g, '');
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(cleaned)) return undefined;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : undefined;
};

const splitList = (text: string) => text.split(/[;,|\n]/).map((item) => item.trim()).filter(Boolean);

const choiceOf = (field: FieldMeta, text: string): string => {
  const wanted = text.trim().toLowerCase();
  const choice = (field.options?.choices ?? []).find((candidate) => candidate.value.toLowerCase() === wanted || candidate.label.toLowerCase() === wanted);
  return choice ? choice.value : text.trim();
};

// DD/MM/YYYY and MM/DD/YYYY are ambiguous: only a day above 12 decides; ISO dates pass as they are.
const SLASHED = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/;
const toIsoDate = (text: string): string => {
  const match = SLASHED.exec(text.trim());
  if (!match) return text.trim();
  const [, a, b, year] = match;
  const [day, month] = Number(a) > 12 ? [a!, b!] : Number(b) > 12 ? [b!, a!] : [a!, b!];
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
};

/**
 * The API value of one cell for a field (`part`: an address part, or `amount`/`currency`). Empty cells
 * are undefined: they set nothing, so an upsert never blanks what a file leaves empty.
 */
export const cellToValue = (field: FieldMeta, cell: string, part?: string): CellValue | undefined => {
  const text = cell.trim();
  if (text === '') return undefined;
  switch (field.type) {
    case 'number':
    case 'percent':
    case 'rating': {
      const value = parseNumber(text);
      return value === undefined ? { ok: false, code: 'invalidType', message: `"${text}" is not a number.` } : { ok: true, value };
    }
    case 'currency': {
      if (part === 'currency') return { ok: true, value: { currency: text.toUpperCase() } };
      const code = /\b([A-Z]{3})\b/.exec(text)?.[1];
      const amount = parseNumber(text.replace(/\b[A-Z]{3}\b/, ''));
      if (amount === undefined) return { ok: false, code: 'invalidType', message: `"${text}" is not an amount.` };
      return { ok: true, value: code ? { amount, currency: code } : { amount } };
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      if (TRUE.has(lower)) return { ok: true, value: true };
      if (FALSE.has(lower)) return { ok: true, value: false };
      return { ok: false, code: 'invalidType', message: `"${text}" is not yes or no.` };
    }
    case 'date':
      return { ok: true, value: toIsoDate(text) };
    case 'datetime':
      return { ok: true, value: SLASHED.test(text) ? toIsoDate(text) : text };
    case 'select':
      return { ok: true, value: choiceOf(field, text) };
    case 'multiSelect':
      return { ok: true, value: splitList(text).map((item) => choiceOf(field, item)) };
    case 'email':
    case 'phone':
    case 'url':
      return { ok: true, value: field.options?.multiple ? splitList(text) : text };
    case 'address': {
      const target = part && (ADDRESS_PARTS as readonly string[]).includes(part) ? part : 'street';
      if (target === 'lat' || target === 'lng') {
        const value = parseNumber(text);
        return value === undefined ? { ok: false, code: 'invalidType', message: `"${text}" is not a number.` } : { ok: true, value: { [target]: value } };
      }
      return { ok: true, value: { [target]: text } };
    }
    case 'json':
      try {
        return { ok: true, value: JSON.parse(text) };
      } catch {
        return { ok: true, value: text };
      }
    case 'reference': {
      // `object:id`, as an export writes it (or the API's JSON).
      const match = /^([a-z][a-zA-Z0-9]*):([0-9a-fA-F-]{36})$/.exec(text);
      if (match) return { ok: true, value: { object: match[1], id: match[2] } };
      try {
        return { ok: true, value: JSON.parse(text) };
      } catch {
        return { ok: false, code: 'invalidType', message: `"${text}" is not a record: expected object:id, e.g. person:9a7d1f0e-….` };
      }
    }
    default:
      return { ok: true, value: text };
  }
};

/** Sets a value on a record input, merging the parts of composite values (address, currency). */
export const assignValue = (record: Record<string, unknown>, field: FieldMeta, value: unknown): void => {
  const current = record[field.name];
  if ((field.type === 'address' || field.type === 'currency') && typeof current === 'object' && current !== null && typeof value === 'object' && value !== null) {
    record[field.name] = { ...current, ...value };
  } else record[field.name] = value;
};
