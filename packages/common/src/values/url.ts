import { reject, succeed, type ValueResult } from './result.ts';

const MAX_URL_LENGTH = 2048;

// A scheme is letters then ":"; "example.com:8080" is a host and port, not a scheme.
const SCHEME = /^([a-z][a-z0-9+.-]*):(?!\d+(?:[/?#]|$))/i;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

const invalid = (message: string): ValueResult<string> => reject('invalidUrl', message);

/**
 * Normalizes a web address: `example.com/pricing` becomes `https://example.com/pricing`.
 * Only http and https are accepted, so stored links can never run script (`javascript:`, `data:`).
 */
export const normalizeUrl = (input: string): ValueResult<string> => {
  const text = input.trim();
  if (text === '') return invalid('Enter a web address.');
  if (text.length > MAX_URL_LENGTH) return invalid(`A web address can have at most ${MAX_URL_LENGTH} characters.`);
  if (/\s/.test(text)) return invalid('A web address cannot contain spaces.');

  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    return invalid(`Only http and https addresses are allowed, not "${scheme}:".`);
  }
  const url = parseUrl(withScheme(text, scheme));
  if (!url) return invalid(`"${text}" is not a valid web address.`);
  if (url.username !== '' || url.password !== '') return invalid('A web address cannot contain a user name or password.');
  if (!hasPublicLookingHost(url.hostname)) return invalid(`"${url.hostname}" is not a valid domain; expected something like example.com.`);

  // A bare host keeps no trailing slash: "https://example.com", as people write it.
  return succeed(url.pathname === '/' && url.search === '' && url.hash === '' ? url.origin : url.href);
};

/** The host of a URL without `www.` (`https://www.acme.com/x` → `acme.com`); undefined when unreadable. */
export const domainOf = (url: string): string | undefined => {
  const text = url.trim();
  const parsed = parseUrl(withScheme(text, SCHEME.exec(text)?.[1]));
  if (!parsed || parsed.hostname === '') return undefined;
  return parsed.hostname.replace(/^www\./, '');
};

const withScheme = (text: string, scheme: string | undefined): string => {
  if (scheme !== undefined) return text;
  return text.startsWith('//') ? `https:${text}` : `https://${text}`;
};

const parseUrl = (text: string): URL | undefined => {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
};

const hasPublicLookingHost = (hostname: string): boolean => {
  if (hostname.startsWith('[')) return true;
  if (IPV4.test(hostname)) return true;
  const labels = hostname.split('.');
  const tld = labels.at(-1) ?? '';
  return labels.length >= 2 && labels.every((label) => label !== '') && /^([a-z]{2,}|xn--[a-z0-9-]+)$/.test(tld);
};
