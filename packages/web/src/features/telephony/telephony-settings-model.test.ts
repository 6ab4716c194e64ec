import { describe, expect, it } from 'vitest';
import { bodyOf, checkForm, countryOptions, formOf, hasErrors, lineKeyOf, newLineRow, serverErrorsOf, type TelephonySettings } from './telephony-settings-model.ts';

const ADA = '5f1d7a4e-0000-4000-8000-000000000001';
const BOB = '5f1d7a4e-0000-4000-8000-000000000002';

const stored: TelephonySettings = {
  isConfigured: true,
  provider: 'twilio',
  hasSecret: true,
  secretHint: '…9f3a',
  webhookUrl: 'https://crm.example.com/api/v1/telephony/events?token=abc',
  lines: { '+33142685300': ADA, '201': BOB },
  defaultCountry: 'FR',
  updatedAt: '2026-12-02T10:00:00.000Z',
};

describe('telephony settings form', () => {
  it('should start a workspace without settings on the generic format with one empty line', () => {
    const form = formOf({ ...stored, isConfigured: false, provider: null, hasSecret: false, secretHint: null, webhookUrl: null, lines: {}, defaultCountry: null, updatedAt: null });
    expect(form).toMatchObject({ provider: 'rapport', secret: '', defaultCountry: null, lines: [{ line: '', userId: null }] });
    expect(checkForm(form, false).secret).toBe('secretRequired');
  });

  it('should read the stored settings back into the form, never with a secret', () => {
    const form = formOf(stored);
    expect(form).toMatchObject({ provider: 'twilio', secret: '', defaultCountry: 'FR', lines: [{ line: '+33142685300', userId: ADA }, { line: '201', userId: BOB }] });
    // The stored secret is kept: nothing to type, and the body leaves it out.
    expect(hasErrors(checkForm(form, true))).toBe(false);
    expect(bodyOf(form)).toEqual({ provider: 'twilio', lines: { '+33142685300': ADA, '201': BOB }, defaultCountry: 'FR' });
  });

  it('should key lines as the server does: numbers in E.164 (national ones in the default country), extensions trimmed and lower-cased', () => {
    expect(lineKeyOf('+1 (415) 555-0100', null)).toBe('+14155550100');
    expect(lineKeyOf('01 42 68 53 00', 'FR')).toBe('+33142685300');
    expect(lineKeyOf(' Desk-12 ', null)).toBe('desk-12');
    const form = { provider: 'rapport' as const, secret: 'a-secret-of-enough-length', defaultCountry: 'FR', lines: [newLineRow('01 42 68 53 00', ADA), newLineRow(' 201 ', BOB), newLineRow()] };
    expect(bodyOf(form)).toEqual({ provider: 'rapport', secret: 'a-secret-of-enough-length', lines: { '+33142685300': ADA, '201': BOB }, defaultCountry: 'FR' });
  });

  it('should send no lines when the table is emptied, so the stored ones are cleared', () => {
    expect(bodyOf({ ...formOf(stored), lines: [] }).lines).toEqual({});
  });

  it('should check the secret and each row before sending', () => {
    const short = newLineRow('201', null);
    const noNumber = newLineRow('  ', ADA);
    const first = newLineRow('+33 1 42 68 53 00', ADA);
    const same = newLineRow('0142685300', BOB);
    const errors = checkForm({ provider: 'rapport', secret: 'short', defaultCountry: 'FR', lines: [short, noNumber, first, same, newLineRow()] }, true);
    expect(errors).toEqual({ secret: 'secretTooShort', lines: { [noNumber.id]: 'lineRequired', [same.id]: 'duplicateLine' }, users: { [short.id]: 'userRequired' }, general: [] });
  });

  it('should put the server\'s field errors on the row whose key they name', () => {
    const number = newLineRow('+1 415 555 0100', ADA);
    const extension = newLineRow('201', BOB);
    const form = { provider: 'rapport' as const, secret: '', defaultCountry: null, lines: [number, extension] };
    const errors = serverErrorsOf(
      form,
      [
        { field: 'lines.+14155550100', code: 'relationNotFound', message: 'No member.' },
        { field: 'lines.201', code: 'tooLong', message: 'Too long.' },
        { field: 'secret', code: 'required', message: 'The secret.' },
        { field: 'lines.999', code: 'relationNotFound', message: 'Elsewhere.' },
        { field: 'provider', code: 'invalidChoice', message: 'One of rapport, twilio.' },
      ],
      (error) => error.message,
    );
    expect(errors).toEqual({ secret: 'The secret.', lines: { [extension.id]: 'Too long.' }, users: { [number.id]: 'No member.' }, general: ['Elsewhere.', 'One of rapport, twilio.'] });
  });

  it('should list the countries by their name in the interface language', () => {
    const english = countryOptions('en');
    expect(english.find((option) => option.value === 'FR')?.label).toBe('France (FR)');
    expect(countryOptions('de').find((option) => option.value === 'DE')?.label).toBe('Deutschland (DE)');
    expect(english.some((option) => option.value === 'ZZ' || option.value === 'EU')).toBe(false);
    expect(english.length).toBeGreaterThan(200);
    expect(english.map((option) => option.label)).toEqual([...english.map((option) => option.label)].sort(new Intl.Collator('en').compare));
  });
});
