import { describe, expect, it } from 'vitest';
import { normalizeEmail } from './email.ts';

const messageOf = (input: string): string => {
  const result = normalizeEmail(input);
  if (result.ok) throw new Error(`expected ${input} to be rejected`);
  expect(result.code).toBe('invalidEmail');
  return result.message;
};

describe('normalizeEmail', () => {
  it.each([
    ['jane@acme.com', 'jane@acme.com'],
    ['  Jane.Doe@ACME.com ', 'Jane.Doe@acme.com'],
    ['jane+crm@mail.acme.co.uk', 'jane+crm@mail.acme.co.uk'],
    ["o'brien@acme.io", "o'brien@acme.io"],
    ['a@b-c.de', 'a@b-c.de'],
    ['info@xn--mnchen-3ya.de', 'info@xn--mnchen-3ya.de'],
    ['info@München.de', 'info@münchen.de'],
  ])('should accept %s', (input, expected) => {
    expect(normalizeEmail(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'Enter an email address.'],
    ['jane', 'needs an @'],
    ['jane@@acme.com', 'only one @'],
    ['jane@acme@corp.com', 'only one @'],
    ['@acme.com', 'before the @ is missing'],
    ['jane@', 'domain after the @ is missing'],
    ['jane doe@acme.com', 'cannot contain spaces'],
    ['Jane <jane@acme.com>', 'without a name'],
    ['.jane@acme.com', 'cannot start or end with a dot'],
    ['jane..doe@acme.com', 'two dots in a row'],
    ['"jane"@acme.com', 'not allowed'],
    ['jane@localhost', 'needs a dot'],
    ['jane@acme..com', 'two dots in a row'],
    ['jane@acme.com.', 'cannot start or end with a dot'],
    ['jane@-acme.com', 'inner hyphens'],
    ['jane@acme_corp.com', 'inner hyphens'],
    ['jane@acme.c', 'must end with letters'],
    ['jane@acme.123', 'must end with letters'],
    ['jane@[192.168.0.1]', 'not an IP address'],
    [`${'a'.repeat(65)}@acme.com`, 'at most 64'],
    [`jane@${'a'.repeat(64)}.com`, 'at most 63'],
    [`${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(60)}.com`, 'at most 254'],
  ])('should reject %j with a clear message', (input, fragment) => {
    expect(messageOf(input)).toContain(fragment);
  });
});
