import { toNameKey } from '@rapport/common/values/name-key';

/** The parts of an address value the API takes (coordinates are never pasted). */
export type PastedAddress = Partial<Record<'street' | 'postalCode' | 'city' | 'region' | 'country', string>>;

// The languages whose country names a paste understands: the app's five. The server also reads English,
// French and German names and ISO codes; names are turned into codes here so every language works.
const NAME_LANGUAGES = ['en', 'fr', 'de', 'ru', 'zh'] as const;
// Names are reduced as the server reduces them (packages/common/src/values/country.ts).

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const NOT_COUNTRIES = new Set(['AA', 'ZZ', 'FX', 'EU', 'EZ', 'UN', 'QO', 'AC', 'CP', 'CQ', 'DG', 'EA', 'IC', 'TA', 'UK', 'SU', 'DD', 'YU', 'CS', 'ZR', 'TP', 'BU', 'NT', 'AN']);
let countryCodes: ReadonlyMap<string, string> | undefined;
let knownCodes: ReadonlySet<string> | undefined;

// ISO 3166 alpha-2 codes and their names, from the browser's own Intl data (nothing to download).
const countryIndex = () => {
  if (countryCodes && knownCodes) return { byName: countryCodes, codes: knownCodes };
  const byName = new Map<string, string>();
  const codes = new Set<string>();
  const names = NAME_LANGUAGES.map((language) => new Intl.DisplayNames([language], { type: 'region', fallback: 'none' }));
  for (const first of LETTERS) {
    for (const second of LETTERS) {
      const code = `${first}${second}`;
      // Private-use, reserved and withdrawn codes name no country of today (FX is "Metropolitan France").
      if (NOT_COUNTRIES.has(code) || /^(Q[M-Z]|X[A-Z])$/.test(code)) continue;
      const localised = names.map((display) => display.of(code)).filter((name): name is string => Boolean(name) && name !== code);
      if (localised.length === 0) continue;
      codes.add(code);
      for (const name of localised) if (!byName.has(toNameKey(name))) byName.set(toNameKey(name), code);
    }
  }
  countryCodes = byName;
  knownCodes = codes;
  return { byName, codes };
};

/**
 * The ISO code of a country written as its code (`FR`, `fr`) or its name in one of the app's languages
 * (`France`, `Allemagne`, `Германия`), or a three-letter code in capitals (`DEU`, `USA`) left for the
 * server to read; undefined when the text names no country.
 */
export const countryCodeOf = (text: string): string | undefined => {
  const trimmed = text.trim();
  const { byName, codes } = countryIndex();
  if (/^[A-Za-z]{2}$/.test(trimmed) && codes.has(trimmed.toUpperCase())) return trimmed.toUpperCase();
  if (/^[A-Z]{3}$/.test(trimmed)) return trimmed;
  return byName.get(toNameKey(trimmed));
};

// Postal codes people write before the city (75002 Paris, 10115 Berlin, 1000 Bruxelles, 111 22 Praha,
// 00-950 Warszawa, 1234 AB Amsterdam) or after it (London SW1A 1AA, Toronto M5V 2T6, Springfield 62704).
const CODE_FIRST = /^(\d{2}-\d{3}|\d{3} \d{2}|\d{4} ?[A-Z]{2}|\d{4,6}(?:-\d{3,4})?)\s+(\D.*)$/;
const CODE_LAST = /^(.*\D)\s+([A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d|\d{5}(?:-\d{4})?|\d{4,6})$/;

// North America writes the state or province and its code after the city: "Cupertino, CA 95014".
const STATE_CODE = /^([A-Z]{2})\s+(\d{5}(?:-\d{4})?|[A-Z]\d[A-Z] ?\d[A-Z]\d)$/;

const localityOf = (segment: string): { postalCode: string; city: string } | undefined => {
  const first = CODE_FIRST.exec(segment);
  if (first) return { postalCode: first[1]!, city: first[2]!.trim() };
  const last = CODE_LAST.exec(segment);
  if (last) return { postalCode: last[2]!, city: last[1]!.trim() };
  // A postal code alone, the city left out.
  return /^\d{4,6}$/.test(segment) ? { postalCode: segment, city: '' } : undefined;
};

const compact = (address: PastedAddress): PastedAddress =>
  Object.fromEntries(Object.entries(address).filter(([, value]) => value !== undefined && value !== '')) as PastedAddress;

/**
 * A one-line address as the table shows it — "street, postalCode city, region, country" — read back
 * into its parts. Line breaks count as commas. The last part is the country when it names one; the
 * part holding a postal code is the locality, with the street before it and the region after it;
 * without a postal code the parts are street, city, region in that order. Null for an empty text.
 */
export const parseAddress = (text: string): PastedAddress | null => {
  const segments = text.split(/[,\n]/).map((segment) => segment.trim().replace(/\s+/g, ' ')).filter(Boolean);
  if (segments.length === 0) return null;
  const last = segments.at(-1)!;
  const country = countryCodeOf(last);
  const rest = country ? segments.slice(0, -1) : segments;
  if (rest.length === 0) return { country: country! };
  if (rest.length === 1) {
    const only = rest[0]!;
    const locality = localityOf(only);
    // "75002 Paris" or "Paris" is where; "12 rue de la Paix" is a street.
    if (locality) return compact({ ...locality, country });
    return compact(/\d/.test(only) ? { street: only, country } : { city: only, country });
  }
  // The last part with a postal code: a street may start with a number that looks like one.
  let at = rest.length - 1;
  while (at > 0 && !STATE_CODE.test(rest[at]!) && !localityOf(rest[at]!)) at -= 1;
  const state = at > 0 ? STATE_CODE.exec(rest[at]!) : null;
  if (state) {
    return compact({ street: rest.slice(0, at - 1).join(', '), city: rest[at - 1], region: [state[1]!, ...rest.slice(at + 1)].join(', '), postalCode: state[2], country });
  }
  if (at > 0 && localityOf(rest[at]!)) {
    return compact({ street: rest.slice(0, at).join(', '), ...localityOf(rest[at]!), region: rest.slice(at + 1).join(', '), country });
  }
  return compact({ street: rest[0], city: rest[1], region: rest.slice(2).join(', '), country });
};
