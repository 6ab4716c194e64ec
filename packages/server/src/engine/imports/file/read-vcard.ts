import { normalizeCountry } from '@rapport/common/values/index';
import ICAL from 'ical.js';
import { decodeChunks, MAX_RECORD_CHARS } from './read-csv.ts';
import { ImportFileError, type ImportByteSource, type ImportRow } from './types.ts';

/**
 * The columns a vCard file (RFC 6350 4.0, RFC 2426 3.0) is read into: the export's own headers, so the
 * mapping suggestions find the person's fields (and "Company" the company relation) as for a CSV.
 */
export const VCARD_HEADERS = [
  'First name',
  'Last name',
  'Full name',
  'Email',
  'Phone',
  'Job title',
  'Company',
  'Address (street)',
  'Address (city)',
  'Address (postal code)',
  'Address (region)',
  'Address (country)',
  'Note',
  'Other emails',
  'Other phones',
];

export const isVcardText = (text: string): boolean => /^\s*BEGIN:VCARD\s*$/im.test(text.slice(0, 4096).split(/\r\n|\n|\r/).find((line) => line.trim() !== '') ?? '');

type JCardProperty = [string, Record<string, unknown>, string, ...unknown[]];

const text = (value: unknown): string => (Array.isArray(value) ? value.map(text).filter(Boolean).join(' ') : value === null || value === undefined ? '' : String(value).trim());

// The preferred value first (PREF=1 in 4.0, TYPE=pref in 3.0), then in file order.
const byPreference = (properties: JCardProperty[]) =>
  [...properties].sort((a, b) => rank(a) - rank(b));
const rank = (property: JCardProperty): number => {
  const params = property[1];
  const pref = Number(params.pref);
  if (Number.isInteger(pref) && pref > 0) return pref;
  const types = ([] as unknown[]).concat(params.type ?? []).map((type) => String(type).toLowerCase());
  return types.includes('pref') ? 1 : 100;
};

// ADR's country is a name ("United Kingdom", as the export writes it): its ISO code when it is one the
// address field knows (codes, and names in English, French or German); else as written, for the write path to judge.
export const countryCodeOf = (name: string): string => {
  const country = normalizeCountry(name);
  return country.ok ? country.value : name;
};

const uriValue = (value: unknown, scheme: string): string => text(value).replace(new RegExp(`^${scheme}:`, 'i'), '');

/** One card's cells, aligned to VCARD_HEADERS. */
export const vcardCells = (cardText: string): string[] => {
  const parsed = ICAL.parse(cardText) as unknown;
  const card = (Array.isArray(parsed) && parsed[0] === 'vcard' ? parsed : Array.isArray(parsed) ? parsed[0] : parsed) as [string, JCardProperty[]];
  const properties = card[1] ?? [];
  const all = (name: string) => properties.filter((property) => property[0] === name);
  const first = (name: string) => all(name)[0];
  const n = first('n')?.[3];
  const parts = Array.isArray(n) ? n : typeof n === 'string' ? n.split(';') : [];
  const [family, given] = [text(parts[0]), text(parts[1])];
  const emails = byPreference(all('email')).map((property) => uriValue(property[3], 'mailto')).filter(Boolean);
  const phones = byPreference(all('tel')).map((property) => uriValue(property[3], 'tel')).filter(Boolean);
  const org = first('org')?.[3];
  const adr = byPreference(all('adr'))[0]?.[3];
  const address = Array.isArray(adr) ? adr : typeof adr === 'string' ? adr.split(';') : [];
  // ADR: post office box; extended address; street; locality; region; postal code; country.
  const street = [text(address[2]), text(address[1]), text(address[0])].filter(Boolean).join(', ');
  return [
    given,
    family,
    text(first('fn')?.[3]),
    emails[0] ?? '',
    phones[0] ?? '',
    text(first('title')?.[3]),
    Array.isArray(org) ? text(org[0]) : text(org),
    street,
    text(address[3]),
    text(address[5]),
    text(address[4]),
    countryCodeOf(text(address[6])),
    all('note').map((property) => text(property[3])).filter(Boolean).join('\n'),
    emails.slice(1).join('; '),
    phones.slice(1).join('; '),
  ];
};

const END = /^END:VCARD[ \t]*$/im;

/** Streams the cards of a vCard file as rows (1 card = 1 row), `skipRows` cards passed over. */
export async function* readVcardRows(source: ImportByteSource, encoding: string, skipRows: number): AsyncGenerator<ImportRow> {
  let buffer = '';
  let rowNumber = 0;
  const take = (card: string): ImportRow | undefined => {
    if (!/BEGIN:VCARD/i.test(card)) return undefined;
    rowNumber += 1;
    if (rowNumber <= skipRows) return undefined;
    try {
      return { rowNumber, cells: vcardCells(card.slice(card.search(/BEGIN:VCARD/i))) };
    } catch (error) {
      // A card ical.js cannot read: kept as a row of its own so the import reports it, with the others going on.
      return { rowNumber, cells: VCARD_HEADERS.map(() => ''), problem: { code: 'unreadableCard', message: `This vCard cannot be read: ${(error as Error).message}` } };
    }
  };
  for await (const chunk of decodeChunks(source, encoding)) {
    buffer += chunk;
    for (let match = END.exec(buffer); match; match = END.exec(buffer)) {
      const end = match.index + match[0].length;
      const row = take(buffer.slice(0, end));
      buffer = buffer.slice(end).replace(/^\r?\n|^\r/, '');
      if (row) yield row;
    }
    if (buffer.length > MAX_RECORD_CHARS) throw new ImportFileError('recordTooLarge', `A vCard is longer than ${MAX_RECORD_CHARS / 1024 / 1024} MB, or END:VCARD is missing after card ${rowNumber}.`);
  }
  if (/BEGIN:VCARD/i.test(buffer)) throw new ImportFileError('unclosedQuote', `The last vCard (after card ${rowNumber}) has no END:VCARD line: the file was cut off.`);
}
