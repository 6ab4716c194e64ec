import countries from 'i18n-iso-countries';
import de from 'i18n-iso-countries/langs/de.json' with { type: 'json' };
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import fr from 'i18n-iso-countries/langs/fr.json' with { type: 'json' };
import { reject, succeed, type ValueResult } from './result.ts';
import { toNameKey } from './name-key.ts';

// Names are indexed by hand rather than through registerLocale/getAlpha2Code: one map
// lookup instead of a scan of every name, and "cote d ivoire" finds "Côte d'Ivoire".
// null marks a name shared by two countries ("Congo"), which must not pick one at random.
let alpha2ByName: ReadonlyMap<string, string | null> | undefined;

// Everyday names the locale files lack.
const COMMON_NAMES: Record<string, string[]> = {
  US: ['États-Unis'],
  SY: ['Syria'],
  MD: ['Moldova'],
  LA: ['Laos'],
  VA: ['Vatican', 'Vatican City'],
};

const getAlpha2ByName = (): ReadonlyMap<string, string | null> => {
  if (alpha2ByName) return alpha2ByName;
  const index = new Map<string, string | null>();
  for (const countriesByCode of [en.countries, fr.countries, de.countries, COMMON_NAMES]) {
    for (const [alpha2, names] of Object.entries(countriesByCode)) {
      for (const name of Array.isArray(names) ? names : [names]) {
        const key = toNameKey(name);
        const known = index.get(key);
        index.set(key, known === undefined || known === alpha2 ? alpha2 : null);
      }
    }
  }
  return (alpha2ByName = index);
};

/**
 * Reads a country as an ISO 3166-1 alpha-2 code (any case), an alpha-3 code, or its English,
 * French or German name, and returns the uppercase alpha-2 code.
 */
export const normalizeCountry = (input: string): ValueResult<string> => {
  const text = input.trim();
  if (text === '') return reject('invalidCountry', 'Enter a country.');
  const code = text.toUpperCase();
  if (/^[A-Z]{2}$/.test(code) && countries.isValid(code)) return succeed(code);
  if (/^[A-Z]{3}$/.test(code)) {
    const alpha2 = countries.alpha3ToAlpha2(code);
    if (alpha2) return succeed(alpha2);
  }
  const byName = getAlpha2ByName().get(toNameKey(text));
  if (byName) return succeed(byName);
  if (byName === null) return reject('invalidCountry', `"${text}" names more than one country; use its ISO code instead.`);
  return reject('invalidCountry', `Unknown country "${text}"; use an ISO code such as FR or DEU, or the country's name in English, French or German.`);
};
