import { generateSecret, verifySync } from 'otplib';

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30-second steps. */
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;

/** A new random secret (160 bits), base32 as authenticator apps expect. */
export const newTotpSecret = (): string => generateSecret({ length: 20 });

/** The Key URI Format of authenticator apps, with every parameter spelt out (some apps ignore missing ones differently). */
export const totpUrl = ({ secret, account, issuer }: { secret: string; account: string; issuer: string }): string => {
  const query = new URLSearchParams({ secret, issuer, algorithm: 'SHA1', digits: String(TOTP_DIGITS), period: String(TOTP_PERIOD_SECONDS) });
  return `otpauth://totp/${encodeURIComponent(issuer)}:${encodeURIComponent(account)}?${query}`;
};

export const isTotpCode = (code: string) => /^\d{6}$/.test(code);

export interface CheckTotpOptions {
  /** Base32 (as stored and shown to people) or raw bytes. */
  secret: string | Uint8Array;
  code: string;
  /** 6 for people; RFC 6238's test vectors use 8. */
  digits?: 6 | 7 | 8;
  /** The last time step accepted for this secret: codes of that step or earlier are refused (no replay). */
  afterStep?: number | null;
  nowMs?: number;
}

/** The time step of a valid code (the current one, or one step either side for clock drift), else null. */
export const checkTotp = ({ secret, code, afterStep, digits = TOTP_DIGITS, nowMs = Date.now() }: CheckTotpOptions): number | null => {
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) return null;
  const result = verifySync({
    secret,
    token: code,
    digits,
    period: TOTP_PERIOD_SECONDS,
    algorithm: 'sha1',
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: TOTP_PERIOD_SECONDS,
    ...(afterStep !== null && afterStep !== undefined ? { afterTimeStep: afterStep } : {}),
  });
  // The result type also covers HOTP; a valid TOTP result carries its time step.
  return result.valid && 'timeStep' in result ? result.timeStep : null;
};
