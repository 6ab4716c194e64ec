import { describe, expect, it } from 'vitest';
import { findReferencedFields } from './expression-references.ts';

describe('findReferencedFields', () => {
  it('should list the fields read by select, optional select and index', () => {
    const references = findReferencedFields('has(record.costPrice) ? record.amount - record.?discount.orValue(0) : record["tax"]');

    expect(references).not.toBe('all');
    expect([...(references as Set<string>)].sort()).toEqual(['amount', 'costPrice', 'discount', 'tax']);
  });

  it('should count every field as read when the record is used whole or the text does not parse', () => {
    expect(findReferencedFields('[record].map(r, r.costPrice).size() > 0')).toBe('all');
    expect(findReferencedFields('record.amount +')).toBe('all');
  });

  it('should ignore names that only appear in strings or other variables', () => {
    expect([...(findReferencedFields('record.name + "costPrice"') as Set<string>)]).toEqual(['name']);
    expect([...(findReferencedFields('previous.costPrice > 0 && record.amount > 0') as Set<string>)]).toEqual(['amount']);
  });
});
