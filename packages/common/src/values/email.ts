import { reject, succeed, type ValueResult } from './result.ts';

const MAX_LOCAL_LENGTH = 64;
const MAX_EMAIL_LENGTH = 254;
const MAX_LABEL_LENGTH = 63;

// RFC 5322 dot-atom: atext runs separated by single dots. Quoted local parts are legal but
// almost always a typo in a CRM, so they are refused.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const TOP_LEVEL_DOMAIN = /^([a-z]{2,}|xn--[a-z0-9-]+)$/;

const invalid = (message: string): ValueResult<string> => reject('invalidEmail', message);

/**
 * Trims an email address and lowercases its domain (the local part is case-sensitive by the RFC).
 * Accepts the dot-atom syntax of RFC 5321/5322 with a public-looking domain: no quoted local parts,
 * no IP literals, no display names.
 */
export const normalizeEmail = (input: string): ValueResult<string> => {
  const email = input.trim();
  if (email === '') return invalid('Enter an email address.');
  if (/[<>]/.test(email)) return invalid('Enter the address alone, without a name or angle brackets.');
  if (/\s/.test(email)) return invalid('An email address cannot contain spaces.');
  const at = email.lastIndexOf('@');
  if (at === -1) return invalid('An email address needs an @ between the name and the domain.');
  if (email.indexOf('@') !== at) return invalid('An email address can contain only one @.');

  const local = email.slice(0, at);
  const domain = email.slice(at + 1).toLowerCase();
  if (local === '') return invalid('The part before the @ is missing.');
  if (domain === '') return invalid('The domain after the @ is missing.');
  if (local.length > MAX_LOCAL_LENGTH) return invalid(`The part before the @ can have at most ${MAX_LOCAL_LENGTH} characters.`);
  if (!LOCAL_PART.test(local)) {
    return /\.\.|^\.|\.$/.test(local)
      ? invalid('The part before the @ cannot start or end with a dot, or contain two dots in a row.')
      : invalid('The part before the @ contains a character that is not allowed.');
  }

  const domainProblem = findDomainProblem(domain);
  if (domainProblem) return invalid(domainProblem);

  const normalized = `${local}@${domain}`;
  if (normalized.length > MAX_EMAIL_LENGTH) return invalid(`An email address can have at most ${MAX_EMAIL_LENGTH} characters.`);
  return succeed(normalized);
};

const findDomainProblem = (domain: string): string | undefined => {
  if (domain.startsWith('[')) return 'Use a domain name after the @, not an IP address.';
  const ascii = toAsciiDomain(domain);
  if (ascii === undefined) return `"${domain}" is not a valid domain.`;
  const labels = ascii.split('.');
  if (labels.length < 2) return `The domain "${domain}" needs a dot, as in example.com.`;
  for (const label of labels) {
    if (label === '') return `The domain "${domain}" cannot start or end with a dot, or contain two dots in a row.`;
    if (label.length > MAX_LABEL_LENGTH) return `Each part of the domain can have at most ${MAX_LABEL_LENGTH} characters.`;
    if (!LABEL.test(label)) return `The domain "${domain}" can contain only letters, digits, dots and inner hyphens.`;
  }
  if (!TOP_LEVEL_DOMAIN.test(labels.at(-1) ?? '')) return `The domain "${domain}" must end with letters, as in .com or .fr.`;
  return undefined;
};

// Internationalized domains are checked in their punycode form; the URL parser does the
// conversion the same way in Node and in browsers.
const toAsciiDomain = (domain: string): string | undefined => {
  if (/^[\x20-\x7e]*$/.test(domain)) return domain;
  if (/[/?#:@\\%]/.test(domain)) return undefined;
  try {
    return new URL(`http://${domain}`).hostname;
  } catch {
    return undefined;
  }
};
