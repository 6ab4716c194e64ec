import type { Db } from '../db/database.ts';
import { createTestTables, insertRows } from './test-database.ts';
import { crmWorkspaceFactory } from './test-factories.ts';

// Wednesday 15 May 2024, 12:00 in Paris.
export const NOW = new Date('2024-05-15T10:00:00Z');
export const { workspace, person, company } = crmWorkspaceFactory({ schema: 'ws_query', timezone: 'Europe/Paris' });

const uuid = (prefix: string, n: number) => `${prefix}0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const COMPANIES = { acme: uuid('c', 1), globex: uuid('c', 2), initech: uuid('c', 3), ghost: uuid('c', 4), umbrella: uuid('c', 5) };
export const PROJECTS = { apollo: uuid('b', 1), zephyr: uuid('b', 2) };
export const OWNER = uuid('a', 9);
export const PEOPLE = { ann: uuid('d', 1), nulls: uuid('d', 2), oneil: uuid('d', 3), emile: uuid('d', 4), zoe: uuid('d', 5), dead: uuid('d', 6), annLower: uuid('d', 7), blank: uuid('d', 8) };
export type Person = keyof typeof PEOPLE;
export const LABELS = new Map(Object.entries(PEOPLE).map(([label, id]) => [id, label as Person]));
export const LIVE: Person[] = ['ann', 'nulls', 'oneil', 'emile', 'zoe', 'annLower', 'blank'];
// Three records created in the same transaction share an instant, microseconds included.
const SAME_INSTANT = '2024-01-01 00:00:00.123456+00';

/** Creates the tables of the small CRM and its edge-case rows (nulls, empty strings, deleted records, quotes, wildcards). */
export const seedCrm = async (db: Db): Promise<void> => {
  await createTestTables(db, workspace);
  await insertRows(db, {
    workspace,
    table: company.table,
    rows: [
      { id: COMPANIES.globex, name: 'Globex', industry: 'finance', employees: 10000 },
      { id: COMPANIES.acme, name: 'Acme', industry: 'tech', employees: 500, parent_company_id: COMPANIES.globex },
      { id: COMPANIES.initech, name: 'Initech', parent_company_id: COMPANIES.acme },
      { id: COMPANIES.ghost, name: 'Ghost', industry: 'tech', deleted_at: '2024-02-01T00:00:00Z' },
      { id: COMPANIES.umbrella, name: 'Umbrella', industry: 'retail' },
    ],
  });
  await insertRows(db, {
    workspace,
    table: 'project',
    rows: [{ id: PROJECTS.apollo, name: 'Apollo' }, { id: PROJECTS.zephyr, name: 'Zephyr', deleted_at: '2024-02-01T00:00:00Z' }],
  });
  await insertRows(db, {
    workspace,
    table: person.table,
    rows: [
      {
        id: PEOPLE.ann, name: 'Ann', age: 30, rating: 4, birthday: '1990-05-15', last_contact_at: '2024-05-15T08:00:00Z', is_active: true,
        stage: 'lead', tags: ['vip'], address_city: 'Paris', address_country: 'FR', salary_amount: 1000, salary_currency: 'EUR',
        profile: '{"a":1}', owner: OWNER, company_id: COMPANIES.acme, created_at: '2024-01-02T00:00:00Z',
      },
      { id: PEOPLE.nulls, created_at: SAME_INSTANT },
      {
        id: PEOPLE.oneil, name: "O'Neil 50%_off\\", age: 45.5, rating: 2, birthday: '2000-02-29', last_contact_at: '2024-05-14T21:59:59Z',
        is_active: false, stage: 'customer', tags: ['vip', 'press'], address_city: 'paris', address_country: 'DE', salary_amount: 2500.5,
        salary_currency: 'USD', company_id: COMPANIES.initech, created_at: SAME_INSTANT,
      },
      {
        id: PEOPLE.emile, name: 'Émile', age: 30, rating: 5, birthday: '1985-12-31', last_contact_at: '2024-05-14T22:00:00Z', is_active: true,
        stage: 'churned', tags: [], address_city: '', salary_amount: 0, salary_currency: 'EUR', company_id: COMPANIES.ghost, created_at: SAME_INSTANT,
      },
      {
        id: PEOPLE.zoe, name: 'Zoe', age: -1, rating: 0, birthday: '2024-05-20', last_contact_at: '2024-06-01T00:00:00Z', is_active: false,
        stage: 'lead', tags: ['partner'], address_city: 'Lyon', address_country: 'FR', salary_amount: 99999999.9999, salary_currency: 'EUR',
        company_id: COMPANIES.globex, created_at: '2024-01-03T00:00:00Z',
      },
      { id: PEOPLE.dead, name: 'Dead', age: 30, stage: 'lead', company_id: COMPANIES.acme, deleted_at: '2024-03-01T00:00:00Z', created_at: '2024-01-04T00:00:00Z' },
      { id: PEOPLE.annLower, name: 'ann', age: 31, birthday: '1990-05-16', is_active: true, stage: 'customer', company_id: COMPANIES.acme, created_at: '2024-01-05T00:00:00Z' },
      { id: PEOPLE.blank, name: '', age: 10, created_at: '2024-01-06T00:00:00Z' },
    ],
  });
  await insertRows(db, {
    workspace,
    table: 'person_projects',
    rows: [
      { source_id: PEOPLE.ann, target_id: PROJECTS.apollo },
      { source_id: PEOPLE.emile, target_id: PROJECTS.apollo },
      { source_id: PEOPLE.oneil, target_id: PROJECTS.zephyr },
      { source_id: PEOPLE.dead, target_id: PROJECTS.apollo },
    ],
  });
};
