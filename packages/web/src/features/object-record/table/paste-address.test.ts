import { describe, expect, it } from 'vitest';
import { countryCodeOf, parseAddress } from './paste-address.ts';

describe('parseAddress', () => {
  it.each([
    // As the table shows an address: "street, postalCode city, region, country".
    ['12 rue de la Paix, 75002 Paris, Île-de-France, France', { street: '12 rue de la Paix', postalCode: '75002', city: 'Paris', region: 'Île-de-France', country: 'FR' }],
    ['Unter den Linden 77, 10117 Berlin, DE', { street: 'Unter den Linden 77', postalCode: '10117', city: 'Berlin', country: 'DE' }],
    ['Flat 2, 221B Baker Street, London NW1 6XE, United Kingdom', { street: 'Flat 2, 221B Baker Street', postalCode: 'NW1 6XE', city: 'London', country: 'GB' }],
    ['1 Infinite Loop, Cupertino, CA 95014, USA', { street: '1 Infinite Loop', city: 'Cupertino', region: 'CA', postalCode: '95014', country: 'USA' }],
    ['Damrak 1, 1012 LG Amsterdam, Pays-Bas', { street: 'Damrak 1', postalCode: '1012 LG', city: 'Amsterdam', country: 'NL' }],
    ['Тверская ул. 1, 125009 Москва, Россия', { street: 'Тверская ул. 1', postalCode: '125009', city: 'Москва', country: 'RU' }],
    ['Via Roma 3, Torino, Piemonte', { street: 'Via Roma 3', city: 'Torino', region: 'Piemonte' }],
    ['75002 Paris, France', { postalCode: '75002', city: 'Paris', country: 'FR' }],
    ['Lyon, fr', { city: 'Lyon', country: 'FR' }],
    ['Deutschland', { country: 'DE' }],
    ['12 rue de la Paix', { street: '12 rue de la Paix' }],
    ['Paris', { city: 'Paris' }],
    ['5 Main Street, 62704, US', { street: '5 Main Street', postalCode: '62704', country: 'US' }],
    // A quoted spreadsheet cell may hold line breaks: each line is a part.
    ['5 Main Street\nSpringfield 62704\nUnited States', { street: '5 Main Street', city: 'Springfield', postalCode: '62704', country: 'US' }],
  ])('should read %j into its parts', (text, expected) => {
    expect(parseAddress(text)).toEqual(expected);
  });

  it('should make an empty text an empty address', () => {
    expect(parseAddress('')).toBeNull();
    expect(parseAddress(' , ')).toBeNull();
  });

  it('should keep a last part that names no country as the region', () => {
    expect(parseAddress('1 High Street, Oxford, Oxfordshire')).toEqual({ street: '1 High Street', city: 'Oxford', region: 'Oxfordshire' });
  });
});

describe('countryCodeOf', () => {
  it.each([
    ['FR', 'FR'],
    ['fr', 'FR'],
    ['France', 'FR'],
    ['Allemagne', 'DE'],
    ['Germany', 'DE'],
    ['Германия', 'DE'],
    ['德国', 'DE'],
    ['united states', 'US'],
    ['DEU', 'DEU'],
  ])('should read %j as %s', (text, code) => {
    expect(countryCodeOf(text)).toBe(code);
  });

  it.each(['Atlantis', 'ZZ', 'Oxfordshire', 'Paris'])('should find no country in %j', (text) => {
    expect(countryCodeOf(text)).toBeUndefined();
  });
});
