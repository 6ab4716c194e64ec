import type { Filter, RelativeDate } from '@rapport/common';
import { RELATIVE_DATES } from '@rapport/common';
import fc from 'fast-check';

/** Characters that break naive SQL and LIKE handling, plus letters with and without case. */
const ALPHABET = ['a', 'A', 'b', 'B', 'x', 'é', 'É', 'ß', 'ǅ', '日', '😀', '%', '_', '\\', "'", '"', ' '];
const STAGES = ['lead', 'customer', 'churned'];
const TAGS = ['vip', 'partner', 'press'];
const INDUSTRIES = ['tech', 'retail', 'finance'];
const DAY_MS = 86_400_000;
const TODAY_MS = Date.UTC(2024, 4, 15);

export interface RefCompany {
  id: string;
  name: string | null;
  industry: string | null;
  employees: number | null;
  parentId: string | null;
  isDeleted: boolean;
}

export interface RefPerson {
  id: string;
  name: string | null;
  age: number | null;
  rating: number | null;
  birthday: string | null;
  /** UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`: compares as text. */
  lastContactAt: string | null;
  createdAt: string;
  isActive: boolean | null;
  stage: string | null;
  tags: string[] | null;
  city: string | null;
  country: string | null;
  salary: number | null;
  companyId: string | null;
  projectIds: string[];
  isDeleted: boolean;
}

export interface Dataset {
  people: RefPerson[];
  companies: RefCompany[];
  projects: Array<{ id: string; isDeleted: boolean }>;
}

export const textArb = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 5 }).map((chars) => chars.join(''));
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });
const numberArb = fc.oneof(fc.integer({ min: -5, max: 60 }), fc.integer({ min: -20, max: 120 }).map((n) => n / 4));
const dayArb = fc.oneof(
  fc.integer({ min: -45, max: 45 }).map((offset) => new Date(TODAY_MS + offset * DAY_MS).toISOString().slice(0, 10)),
  fc.constantFrom('2024-02-29', '2023-12-31', '2025-01-01', '1999-07-01'),
);
// Around Paris midnights (22:00Z in summer) and the microseconds right before them.
const instantArb = fc
  .tuple(
    fc.oneof(fc.integer({ min: -8, max: 8 }), fc.integer({ min: -40, max: 40 })),
    fc.oneof(fc.constantFrom(0, 22 * 3600e6, 22 * 3600e6 - 1, 23 * 3600e6, 10 * 3600e6), fc.integer({ min: 0, max: 86_400e6 - 1 })),
  )
  .map(([day, micros]) => {
    const iso = new Date(TODAY_MS + day * DAY_MS + Math.floor(micros / 1000)).toISOString();
    return `${iso.slice(0, 23)}${String(micros % 1000).padStart(3, '0')}Z`;
  });

/** A reproducible dataset: companies with parents, projects, and people pointing at them. */
export const buildDataset = (seed: number): Dataset => {
  const companyArb = fc.record({ id: fc.uuid(), name: nullable(textArb), industry: nullable(fc.constantFrom(...INDUSTRIES)), employees: nullable(numberArb), isDeleted: fc.boolean() });
  const rawCompanies = fc.sample(companyArb, { seed, numRuns: 8 });
  const companies = rawCompanies.map((company, index): RefCompany => ({
    ...company,
    isDeleted: company.isDeleted && index % 3 === 0,
    // Parents among earlier companies: chains, never cycles.
    parentId: index > 0 && index % 4 !== 0 ? (rawCompanies[Math.floor(index / 2)]?.id ?? null) : null,
  }));
  const projects = fc.sample(fc.uuid(), { seed: seed + 1, numRuns: 4 }).map((id, index) => ({ id, isDeleted: index === 3 }));
  const createdAts = fc.sample(instantArb, { seed: seed + 2, numRuns: 6 });
  const personArb = fc.record({
    id: fc.uuid(),
    name: nullable(textArb),
    age: nullable(numberArb),
    rating: nullable(fc.integer({ min: 0, max: 5 })),
    birthday: nullable(dayArb),
    lastContactAt: nullable(instantArb),
    createdAt: fc.constantFrom(...createdAts),
    isActive: nullable(fc.boolean()),
    stage: nullable(fc.constantFrom(...STAGES)),
    tags: nullable(fc.subarray(TAGS)),
    city: nullable(fc.oneof(textArb, fc.constant(''))),
    country: nullable(fc.constantFrom('FR', 'DE', 'US')),
    salary: nullable(numberArb),
    companyId: nullable(fc.constantFrom(...companies.map((company) => company.id))),
    projectIds: fc.subarray(projects.map((project) => project.id)),
    isDeleted: fc.constant(false),
  });
  const people = fc.sample(personArb, { seed: seed + 3, numRuns: 40 }).map((person, index) => ({ ...person, isDeleted: index % 9 === 4 }));
  return { people, companies, projects };
};

const condition = (field: string, ops: Array<[string, fc.Arbitrary<unknown> | undefined]>) =>
  fc.constantFrom(...ops).chain(([op, valueArb]) => (valueArb ? valueArb.map((value) => ({ field, op, value })) : fc.constant({ field, op })));

const ordered = <T>(arb: fc.Arbitrary<T>, toNumber: (value: T) => number) =>
  fc.tuple(arb, arb).map(([a, b]) => (toNumber(a) <= toNumber(b) ? [a, b] : [b, a]));

const list = <T>(arb: fc.Arbitrary<T>) => fc.array(arb, { minLength: 1, maxLength: 4 });

const comparisons = (arb: fc.Arbitrary<unknown>, between: fc.Arbitrary<unknown>): Array<[string, fc.Arbitrary<unknown> | undefined]> => [
  ['eq', arb], ['neq', arb], ['lt', arb], ['lte', arb], ['gt', arb], ['gte', arb], ['in', list(arb)], ['nin', list(arb)],
  ['between', between], ['isEmpty', undefined], ['isNotEmpty', undefined],
];

const relativeDateArbs: Array<[string, fc.Arbitrary<unknown>]> = [
  ['during', fc.constantFrom<RelativeDate>(...RELATIVE_DATES)],
  ['during', fc.constantFrom<RelativeDate>('today', 'yesterday', 'tomorrow', 'thisWeek', 'lastWeek', 'nextWeek')],
  ['inLastDays', fc.integer({ min: 1, max: 10 })],
  ['inNextDays', fc.integer({ min: 1, max: 10 })],
];

/** Random valid filters over the person object of crmWorkspaceFactory, with values often taken from the rows. */
export const filterArb = (dataset: Dataset): fc.Arbitrary<Filter> => {
  const rowTexts = dataset.people.flatMap((person) => [person.name, person.city]).concat(dataset.companies.map((company) => company.name));
  const fromRows = rowTexts.filter((text): text is string => text !== null && text !== '');
  const text = fromRows.length > 0
    ? fc.oneof(textArb, fc.constantFrom(...fromRows), fc.constantFrom(...fromRows).map((row) => Array.from(row)).chain((chars) => fc.nat(chars.length).map((start) => chars.slice(start, start + 2).join(''))))
    : textArb;
  const textOps: Array<[string, fc.Arbitrary<unknown> | undefined]> = [
    ...comparisons(text, fc.tuple(text, text)),
    ['contains', text], ['startsWith', text], ['endsWith', text],
  ];
  const number = fc.oneof(numberArb, fc.constantFrom(0, 2.5, 1000));
  const numberOps = comparisons(number, ordered(number, (n) => n));
  const day = fc.oneof(dayArb, fc.constantFrom(...dataset.people.map((person) => person.birthday ?? '2024-05-15')));
  const instant = fc.oneof(instantArb, fc.constantFrom(...dataset.people.map((person) => person.lastContactAt ?? person.createdAt)));
  const choiceOps = (choices: string[]): Array<[string, fc.Arbitrary<unknown> | undefined]> => {
    const choice = fc.constantFrom(...choices);
    return [['eq', choice], ['neq', choice], ['in', list(choice)], ['nin', list(choice)], ['isEmpty', undefined], ['isNotEmpty', undefined]];
  };
  const idOps = (ids: string[]) => choiceOps([...ids, '00000000-0000-4000-8000-00000000dead']);
  const tag = fc.constantFrom(...TAGS);
  const dayOps = [...comparisons(day, ordered(day, Date.parse)), ...relativeDateArbs];
  const instantOps = [...comparisons(instant, ordered(instant, Date.parse)), ...relativeDateArbs];
  const leaf: fc.Arbitrary<Filter> = fc.oneof(
    // Dates weigh more: relative ranges only find time-zone mistakes near a boundary.
    { arbitrary: condition('birthday', dayOps), weight: 3 },
    { arbitrary: condition('lastContactAt', instantOps), weight: 4 },
    { arbitrary: condition('createdAt', instantOps), weight: 2 },
    condition('name', textOps),
    condition('address.city', textOps),
    condition('address.country', choiceOps(['FR', 'DE', 'US', 'GB'])),
    condition('company.name', textOps),
    condition('company.parentCompany.name', textOps),
    condition('age', numberOps),
    condition('rating', numberOps),
    condition('salary', numberOps),
    condition('company.employees', numberOps),
    condition('isActive', [['eq', fc.boolean()], ['neq', fc.boolean()], ['isEmpty', undefined], ['isNotEmpty', undefined]]),
    condition('stage', choiceOps(STAGES)),
    condition('company.industry', choiceOps(INDUSTRIES)),
    condition('company.parentCompany.industry', choiceOps(INDUSTRIES)),
    condition('tags', [['contains', fc.oneof(tag, list(tag))], ['eq', tag], ['neq', tag], ['in', list(tag)], ['nin', list(tag)], ['isEmpty', undefined], ['isNotEmpty', undefined]]),
    condition('company', idOps(dataset.companies.map((company) => company.id))),
    condition('projects', idOps(dataset.projects.map((project) => project.id))),
  ) as fc.Arbitrary<Filter>;
  const { node } = fc.letrec<{ node: Filter }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', maxDepth: 4 },
      { arbitrary: leaf, weight: 5 },
      { arbitrary: fc.record({ and: fc.array(tie('node'), { maxLength: 3 }) }), weight: 1 },
      { arbitrary: fc.record({ or: fc.array(tie('node'), { maxLength: 3 }) }), weight: 1 },
      { arbitrary: fc.record({ not: tie('node') }), weight: 1 },
    ),
  }));
  return node;
};

const SORTABLE = ['name', 'age', 'rating', 'birthday', 'lastContactAt', 'createdAt', 'isActive', 'stage', 'address.city', 'salary'];

/** 1 to 3 distinct sort keys, each ascending or descending. */
export const sortArb: fc.Arbitrary<string[]> = fc
  .uniqueArray(fc.constantFrom(...SORTABLE), { minLength: 1, maxLength: 3 })
  .chain((keys) => fc.tuple(...keys.map((key) => fc.constantFrom(key, `-${key}`))));

/** Any code point, NUL and unpaired surrogates included, and the characters SQL and LIKE treat specially. */
const hostileText = fc.string({
  unit: fc.oneof(fc.constantFrom('\u0000', '\ud83d', '\ude00', "'", '%', '_', '\\', '$1', '--'), fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code))),
  maxLength: 6,
});
const anyValue = fc.oneof(hostileText, fc.jsonValue({ maxDepth: 2 }), fc.array(hostileText, { maxLength: 3 }), fc.constantFrom(NaN, Infinity, -0, 1e308, '2024-02-30', '2024-01-01T24:00:00Z'));
const FUZZ_FIELDS = ['name', 'age', 'rating', 'birthday', 'lastContactAt', 'createdAt', 'isActive', 'stage', 'tags', 'address.city', 'address', 'salary', 'salary.currency', 'profile', 'owner', 'company', 'company.name', 'company.parentCompany.industry', 'projects', 'nope', 'company.nope', '__proto__', 'constructor', 'name.x', ''];
const FUZZ_OPS = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 'contains', 'startsWith', 'endsWith', 'isEmpty', 'isNotEmpty', 'between', 'during', 'inLastDays', 'inNextDays', 'like', '', 'toString'];

/** Filters as a careless or hostile client might send them: near-valid shapes with any values, and any JSON. */
export const fuzzFilterArb: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    { arbitrary: fc.record({ field: fc.constantFrom(...FUZZ_FIELDS), op: fc.constantFrom(...FUZZ_OPS), value: anyValue }, { requiredKeys: ['field', 'op'] }), weight: 6 },
    { arbitrary: fc.record({ and: fc.array(tie('node'), { maxLength: 3 }) }), weight: 1 },
    { arbitrary: fc.record({ or: fc.oneof(fc.array(tie('node'), { maxLength: 3 }), tie('node')) }), weight: 1 },
    { arbitrary: fc.record({ not: tie('node') }), weight: 1 },
    { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
  ),
})).node;
