import { describe, expect, it } from 'vitest';
import { domainOf, normalizeUrl } from './url.ts';

describe('normalizeUrl', () => {
  it.each([
    ['example.com', 'https://example.com'],
    ['  Example.COM/Pricing?plan=pro#faq ', 'https://example.com/Pricing?plan=pro#faq'],
    ['http://example.com/', 'http://example.com'],
    ['HTTPS://www.acme.co.uk/a b'.replace(' ', '%20'), 'https://www.acme.co.uk/a%20b'],
    ['example.com:8080/x', 'https://example.com:8080/x'],
    ['//cdn.example.com/a.js', 'https://cdn.example.com/a.js'],
    ['https://münchen.de', 'https://xn--mnchen-3ya.de'],
    ['http://192.168.0.10/admin', 'http://192.168.0.10/admin'],
  ])('should accept %s', (input, expected) => {
    expect(normalizeUrl(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'Enter a web address.'],
    ['javascript:alert(1)', 'not "javascript:"'],
    ['JavaScript:alert(1)', 'not "javascript:"'],
    ['data:text/html,<b>x</b>', 'not "data:"'],
    ['ftp://example.com', 'not "ftp:"'],
    ['mailto:jane@acme.com', 'not "mailto:"'],
    ['example .com', 'cannot contain spaces'],
    ['https://exa mple.com', 'cannot contain spaces'],
    ['localhost', 'not a valid domain'],
    ['https://example', 'not a valid domain'],
    ['https://', 'not a valid web address'],
    ['https://user:secret@example.com', 'user name or password'],
    [`https://example.com/${'a'.repeat(2048)}`, 'at most 2048'],
  ])('should reject %j', (input, fragment) => {
    const result = normalizeUrl(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('invalidUrl');
      expect(result.message).toContain(fragment);
    }
  });
});

describe('domainOf', () => {
  it.each([
    ['https://www.acme.com/pricing', 'acme.com'],
    ['https://app.acme.com', 'app.acme.com'],
    ['www.acme.com', 'acme.com'],
    ['http://acme.com:8080', 'acme.com'],
  ])('should return the host of %s without www', (input, expected) => {
    expect(domainOf(input)).toBe(expected);
  });

  it('should return undefined when the URL cannot be read', () => {
    expect(domainOf('https://')).toBeUndefined();
  });
});
