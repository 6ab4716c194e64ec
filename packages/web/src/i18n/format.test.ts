import { describe, expect, it } from 'vitest';
import { createFormatters } from './format.ts';
import { toLanguageCode } from './languages.ts';

describe('formatting per interface language', () => {
  it('should format numbers, percentages and currencies the way each locale writes them', () => {
    expect(createFormatters('en').number(1234567.5)).toBe('1,234,567.5');
    expect(createFormatters('de').number(1234567.5)).toBe('1.234.567,5');
    expect(createFormatters('fr').number(1234.5, 2)).toMatch(/^1\s234,50$/);
    expect(createFormatters('en').percent(12.5)).toBe('12.5%');
    expect(createFormatters('de').currency(125000, 'EUR')).toMatch(/^125\.000,00\s€$/);
    expect(createFormatters('en').currency(10, 'USD')).toBe('$10.00');
    expect(createFormatters('zh').currency(10, 'CNY')).toBe('¥10.00');
    // An unknown currency code still shows the amount.
    expect(createFormatters('en').currency(10, 'X1')).toBe('10 X1');
  });

  it('should show a date as its calendar day whatever the time zone', () => {
    expect(createFormatters('en').date('2025-01-01')).toBe('Jan 1, 2025');
    expect(createFormatters('ru').date('2025-01-01')).toMatch(/^1 янв\. 2025/);
    expect(createFormatters('de').date('not a date')).toBe('not a date');
  });

  it('should name countries in the interface language', () => {
    expect(createFormatters('fr').country('DE')).toBe('Allemagne');
    expect(createFormatters('zh').country('FR')).toBe('法国');
  });

  it('should map browser languages to the supported ones', () => {
    expect(toLanguageCode('fr-CA')).toBe('fr');
    expect(toLanguageCode('zh-Hans-CN')).toBe('zh');
    expect(toLanguageCode('pt-BR')).toBe('en');
    expect(toLanguageCode(undefined)).toBe('en');
  });
});
