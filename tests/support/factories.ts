import { randomUUID } from 'node:crypto';

let sequence = 0;
const next = () => ++sequence;

/** Builds API bodies for standard objects: realistic defaults, any field overridable. */
const factory = <T extends Record<string, unknown>>(build: (n: number) => T) => ({
  build: (overrides: Partial<T> & Record<string, unknown> = {}): T & Record<string, unknown> => ({ ...build(next()), ...overrides }),
  buildList: (count: number, overrides: Partial<T> & Record<string, unknown> = {}) => Array.from({ length: count }, () => ({ ...build(next()), ...overrides })),
});

const FIRST = ['Anna', 'Jean', 'Lukas', 'María', 'Yuki', 'Olga', 'Chen', 'Amélie', 'John', 'Fatima'];
const LAST = ['Müller', 'Dupont', 'García', 'Tanaka', 'Ivanova', 'Wang', 'Smith', 'Rossi', 'Silva', 'Okafor'];
const COUNTRIES = ['DE', 'FR', 'ES', 'JP', 'US', 'GB', 'IT'];

export const personFactory = factory((n) => ({
  firstName: FIRST[n % FIRST.length]!,
  lastName: `${LAST[n % LAST.length]!}`,
  email: `person${n}.${randomUUID().slice(0, 6)}@example.com`,
  jobTitle: 'Buyer',
  address: { city: 'Paris', country: COUNTRIES[n % COUNTRIES.length]! },
}));

export const companyFactory = factory((n) => ({
  name: `Company ${n}`,
  domain: `company${n}.example.com`,
  industry: 'software',
  employees: 10 * n,
}));

export const opportunityFactory = factory((n) => ({
  name: `Deal ${n}`,
  amount: { amount: 1000 * n, currency: 'EUR' },
  closeDate: '2026-12-31',
}));
