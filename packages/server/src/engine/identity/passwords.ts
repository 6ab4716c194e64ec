import { readFileSync } from 'node:fs';
import { hash, verify } from '@node-rs/argon2';
import type { FieldError } from '@rapport/common';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

let commonPasswords: Set<string> | undefined;
// Loaded on first use: 10,000 lines, ~80 KB (see wordlists/README.md for its source and licence).
const isCommon = (word: string) =>
  (commonPasswords ??= new Set(readFileSync(new URL('./wordlists/common-passwords.txt', import.meta.url), 'utf8').split('\n').filter(Boolean))).has(word);

// argon2id with the library's defaults: 19 MiB, 2 passes, 1 lane (the OWASP recommendation).
export const hashPassword = (password: string): Promise<string> => hash(password);

let decoy: Promise<string> | undefined;

/** Checks a password against its hash; without a hash it still spends the time of one, so unknown accounts answer as slowly. */
export const verifyPassword = async (storedHash: string | null | undefined, password: string): Promise<boolean> => {
  if (!storedHash) {
    await verify(await (decoy ??= hash('decoy password for unknown accounts')), password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
};

export interface PasswordCheckOptions {
  password: string;
  /** The account's email and name: a password containing them is refused. */
  email?: string | null;
  name?: string | null;
  field?: string;
}

const personalParts = (email: string | null | undefined, name: string | null | undefined): string[] => {
  const local = email?.split('@')[0] ?? '';
  const parts = [email ?? '', local, ...local.split(/[._+-]+/), ...(name ?? '').split(/\s+/)];
  return [...new Set(parts.map((part) => part.toLowerCase().trim()).filter((part) => part.length >= 3))];
};

/**
 * The rules for a new password (NIST SP 800-63B style): at least 10 characters, not a common or
 * breached password (nor one followed or preceded by digits and symbols, like `Password2024!`), not
 * a handful of repeated characters, and not containing the account's email or name.
 */
export const checkPassword = ({ password, email, name, field = 'password' }: PasswordCheckOptions): FieldError[] => {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    return [{ field, code: 'tooShort', message: `Use at least ${MIN_PASSWORD_LENGTH} characters; a few words in a row make a good password.` }];
  }
  if (length > MAX_PASSWORD_LENGTH) return [{ field, code: 'tooLong', message: `Use at most ${MAX_PASSWORD_LENGTH} characters.` }];
  const lower = password.toLowerCase();
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  if (isCommon(lower) || (core.length >= 3 && isCommon(core)) || new Set(lower).size < 4) {
    return [{ field, code: 'commonPassword', message: 'This password is too common or too easy to guess; choose another.' }];
  }
  if (personalParts(email, name).some((part) => lower.includes(part))) {
    return [{ field, code: 'containsPersonalInfo', message: 'The password must not contain your name or email address.' }];
  }
  return [];
};
