import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// Tokens carry 256 random bits, so a fast hash is as safe as a slow one and keeps auth cheap per request.
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** `prefix_<id hex>_<32 random bytes>`: the id finds the row, the hash proves the token. */
export const newToken = (prefix: 'rap' | 'rps', id: string) => `${prefix}_${id.replace(/-/g, '')}_${randomBytes(32).toString('base64url')}`;

/** A random single-use token for links (invitations, password resets). */
export const newLinkToken = () => randomBytes(32).toString('base64url');

export const sameHash = (storedHex: string | undefined, token: string) => {
  const expected = Buffer.from(storedHex ?? '0'.repeat(64), 'hex');
  const actual = Buffer.from(hashToken(token), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual) && storedHex !== undefined;
};
