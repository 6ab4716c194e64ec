import { describe, expect, it } from 'vitest';
import { labelInSentence } from './labels.ts';

describe('labelInSentence', () => {
  it('should lower-case capitalised words of an English label used mid-sentence', () => {
    expect(labelInSentence('Opportunities', 'en')).toBe('opportunities');
    expect(labelInSentence('Support Cases', 'en-GB')).toBe('support cases');
    expect(labelInSentence('People', 'en')).toBe('people');
  });

  it('should keep acronyms, mixed-case names and words with digits as written', () => {
    expect(labelInSentence('SLA Contracts', 'en')).toBe('SLA contracts');
    expect(labelInSentence('iPhone Repairs', 'en')).toBe('iPhone repairs');
    expect(labelInSentence('McKay Files', 'en')).toBe('McKay files');
    expect(labelInSentence('Q3 Targets', 'en')).toBe('Q3 targets');
  });

  it('should keep the label in languages whose templates quote it, capitalise nouns or have no case', () => {
    expect(labelInSentence('Verkaufschancen', 'de')).toBe('Verkaufschancen');
    expect(labelInSentence('Opportunités', 'fr')).toBe('Opportunités');
    expect(labelInSentence('Сделки', 'ru')).toBe('Сделки');
    expect(labelInSentence('商机', 'zh')).toBe('商机');
  });
});
