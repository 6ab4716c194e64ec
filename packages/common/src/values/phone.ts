import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js';
import { reject, type ValueFailure } from './result.ts';

/** A phone number in E.164 (`+14155552671`); an extension, when given, is kept beside it. */
export type PhoneResult = { ok: true; value: string; extension?: string } | ValueFailure;

export type PhoneStyle = 'international' | 'national';

const MAX_INPUT_LENGTH = 64;

/**
 * Reads a phone number written in any common format and returns it in E.164.
 * `defaultCountry` (ISO 3166 alpha-2) is used for numbers written without a country code;
 * an unknown country is ignored rather than failing the write.
 */
export const normalizePhone = (input: string, defaultCountry?: string): PhoneResult => {
  const text = input.trim().replace(/^tel:/i, '');
  if (text === '') return reject('invalidPhone', 'Enter a phone number.');
  if (text.length > MAX_INPUT_LENGTH) return reject('invalidPhone', `A phone number can have at most ${MAX_INPUT_LENGTH} characters.`);
  const country = toCountryCode(defaultCountry);

  const parsed = parseValid(text, country) ?? parseWithInternationalPrefix(text);
  if (parsed) return parsed.ext ? { ok: true, value: parsed.number, extension: parsed.ext } : { ok: true, value: parsed.number };

  if (!/\d/.test(text)) return reject('invalidPhone', 'A phone number must contain digits.');
  if (!country && !text.startsWith('+')) {
    return reject('invalidPhone', 'Add the country code, as in +33 1 42 68 53 00.');
  }
  return reject('invalidPhone', `"${text}" is not a valid phone number.`);
};

/** Formats a stored E.164 number for display; returns the input unchanged when it cannot be read. */
export const formatPhone = (e164: string, style: PhoneStyle = 'international'): string => {
  const parsed = parsePhoneNumberFromString(e164, { extract: false });
  if (!parsed) return e164;
  return style === 'national' ? parsed.formatNational() : parsed.formatInternational();
};

const toCountryCode = (country: string | undefined): CountryCode | undefined => {
  const code = country?.trim().toUpperCase();
  return code && isSupportedCountry(code) ? code : undefined;
};

const parseValid = (text: string, defaultCountry: CountryCode | undefined): PhoneNumber | undefined => {
  // extract: false refuses numbers with trailing words instead of silently dropping them.
  const parsed = parsePhoneNumberFromString(text, { defaultCountry, extract: false });
  return parsed?.isValid() ? parsed : undefined;
};

// "00" is the international call prefix almost everywhere but in North America (011), so
// "001-215-760-4642" means +1 215 760 4642 even when the default country is the US.
const parseWithInternationalPrefix = (text: string): PhoneNumber | undefined =>
  /^00[1-9]/.test(text) ? parseValid(`+${text.slice(2)}`, undefined) : undefined;
