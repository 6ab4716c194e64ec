import { createHash, randomBytes } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
// Crockford's base32 alphabet: no i, l, o or u to misread.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** `xxxx-xxxx-xxxx-xxxx`: 16 characters of a 32-letter alphabet (80 bits), easy to read and type. */
export const newRecoveryCode = (): string => {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((byte) => ALPHABET[byte & 31]!).join('');
  return chars.match(/.{4}/g)!.join('-');
};

export const normalizeRecoveryCode = (code: string) => code.toLowerCase().replace(/[\s-]/g, '');

export const looksLikeRecoveryCode = (code: string) => /^[a-z0-9]{16}$/.test(normalizeRecoveryCode(code));

// 80 random bits: a fast hash is enough (no dictionary to try), and lets a code be found by its hash.
export const hashRecoveryCode = (code: string) => createHash('sha256').update(`recovery:${normalizeRecoveryCode(code)}`).digest('hex');
