import ICAL from 'ical.js';
import type { ApiRecord } from '../records/record-shape.ts';
import { asList } from './export-columns.ts';

export const VCARD_VERSIONS = ['4.0', '3.0'] as const;
export type VcardVersion = (typeof VCARD_VERSIONS)[number];

/** The person fields a vCard carries (RFC 6350 properties): names, emails, phones, organisation, title, address, note. */
export const VCARD_FIELDS = ['firstName', 'lastName', 'fullName', 'email', 'phone', 'jobTitle', 'company', 'address', 'notes'] as const;

export interface VcardOptions {
  version: VcardVersion;
  /** The organisation's name (the related company's title). */
  organisation?: string | undefined;
  /** A country code as a name for ADR's country-name (vCard has no code there). */
  countryName(code: string): string;
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/**
 * One person as a vCard 4.0 (RFC 6350) or 3.0 (RFC 2426), written by ical.js (escaping, line folding,
 * CRLF). UID is the record's id as a URN, REV its last change: a round trip finds the same person.
 */
export const toVcard = (person: ApiRecord, options: VcardOptions): string => {
  const card = new ICAL.Component('vcard');
  card.addPropertyWithValue('version', options.version);
  const first = text(person.firstName) ?? '';
  const last = text(person.lastName) ?? '';
  // FN is required: the full name, else the parts, else the first email.
  card.addPropertyWithValue('fn', text(person.fullName) ?? ([first, last].filter(Boolean).join(' ') || asList(person.email).map(String)[0] || person.id));
  const name = new ICAL.Property('n', card);
  name.setValue([last, first, '', '', '']);
  card.addProperty(name);
  for (const email of asList(person.email).map(String)) card.addPropertyWithValue('email', email).setParameter('type', 'work');
  for (const phone of asList(person.phone).map(String)) {
    // vCard 4.0 writes telephone numbers as tel: URIs; 3.0 as text.
    const property = card.addPropertyWithValue('tel', options.version === '4.0' ? `tel:${phone.replace(/\s+/g, '')}` : phone);
    if (options.version === '4.0') property.setParameter('value', 'uri');
    property.setParameter('type', 'work');
  }
  if (options.organisation) card.addPropertyWithValue('org', options.organisation);
  if (text(person.jobTitle)) card.addPropertyWithValue('title', person.jobTitle as string);
  const address = person.address as Record<string, unknown> | null | undefined;
  if (address && typeof address === 'object' && ['street', 'city', 'postalCode', 'region', 'country'].some((part) => text(address[part]))) {
    const country = text(address.country);
    const adr = new ICAL.Property('adr', card);
    adr.setValue(['', '', text(address.street) ?? '', text(address.city) ?? '', text(address.region) ?? '', text(address.postalCode) ?? '', country ? options.countryName(country) : '']);
    adr.setParameter('type', 'work');
    card.addProperty(adr);
    if (options.version === '4.0' && typeof address.lat === 'number' && typeof address.lng === 'number') card.addPropertyWithValue('geo', `geo:${address.lat},${address.lng}`);
  }
  if (text(person.notes)) card.addPropertyWithValue('note', person.notes as string);
  card.addPropertyWithValue('uid', `urn:uuid:${person.id}`);
  // REV is a timestamp: basic format, seconds, UTC (both versions accept it).
  card.addPropertyWithValue('rev', `${new Date(person.updatedAt).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')}`);
  return card.toString();
};
