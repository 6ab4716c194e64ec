import type { Faker } from '@faker-js/faker';
import type { DemoLocale } from './demo-locales.ts';

export interface DemoPlace {
  city: string;
  postalCode: string;
  region: string;
}

/**
 * Values drawn once per locale with faker, then combined by the generators: faker costs
 * microseconds per call, far too slow for a million records, and combining pools is not.
 */
export interface LocalePools {
  locale: DemoLocale;
  firstNames: string[];
  /** Latin spelling of each first name for email addresses; empty when there is none (kanji, hanzi). */
  firstSlugs: string[];
  lastNames: string[];
  lastSlugs: string[];
  /** Email local parts for people whose names have no Latin spelling. */
  handles: string[];
  jobTitles: string[];
  companyNames: string[];
  /** Latin words for company domains when the name has none. */
  domainWords: string[];
  places: DemoPlace[];
  streets: string[];
}

const POOL_SIZES = { firstNames: 400, lastNames: 800, handles: 2000, jobTitles: 300, companyNames: 4000, domainWords: 2000, places: 800, streets: 1500 };

const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o',
  п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};
const LATIN_SPECIAL: Record<string, string> = { ß: 'ss', æ: 'ae', ø: 'o', œ: 'oe', ł: 'l', đ: 'd', þ: 'th', ı: 'i' };

/** Lowercase ASCII letters and digits of a name (`Müller` → `muller`, `Волкова` → `volkova`); empty for scripts without a mapping. */
export const toLatinSlug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[\u0400-\u04ff]/g, (char) => CYRILLIC[char] ?? '')
    .replace(/[ßæøœłđþı]/g, (char) => LATIN_SPECIAL[char] ?? '')
    .normalize('NFKD')
    .replace(/[^a-z0-9]/g, '');

const draw = (count: number, make: () => string): string[] => {
  const values = new Set<string>();
  // Bounded: small faker lists run out of new values long before the count.
  for (let i = 0; i < count * 3 && values.size < count; i++) {
    const value = make().trim();
    if (value !== '') values.add(value);
  }
  return [...values];
};

export const buildLocalePools = async (locale: DemoLocale, seed: number): Promise<LocalePools> => {
  const faker: Faker = await locale.loadFaker();
  faker.seed(seed);
  const firstNames = draw(POOL_SIZES.firstNames, () => faker.person.firstName());
  const lastNames = draw(POOL_SIZES.lastNames, () => faker.person.lastName());
  const handles = draw(POOL_SIZES.handles, () => faker.internet.username()).map(toEmailLocalPart).filter((handle) => handle.length >= 3);
  return {
    locale,
    firstNames,
    firstSlugs: firstNames.map(toLatinSlug),
    lastNames,
    lastSlugs: lastNames.map(toLatinSlug),
    handles: handles.length > 0 ? handles : ['contact'],
    jobTitles: draw(POOL_SIZES.jobTitles, () => faker.person.jobTitle()),
    companyNames: draw(POOL_SIZES.companyNames, () => faker.company.name()),
    domainWords: draw(POOL_SIZES.domainWords, () => faker.internet.domainWord()).map((word) => word.toLowerCase().replace(/[^a-z0-9-]/g, '')).filter((word) => /^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(word)),
    places: Array.from({ length: POOL_SIZES.places }, () => ({
      city: faker.location.city(),
      postalCode: faker.location.zipCode(),
      region: faker.location.state(),
    })),
    streets: draw(POOL_SIZES.streets, () => faker.location.streetAddress()),
  };
};

/** Letters, digits, dots and underscores, no leading, trailing or doubled dot: always a valid local part. */
export const toEmailLocalPart = (text: string): string =>
  text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9._]/g, '')
    .replace(/\.{2,}/g, '.')
    .replace(/^\.+|\.+$/g, '');
