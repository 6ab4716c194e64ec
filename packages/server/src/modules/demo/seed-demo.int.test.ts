import { normalizeEmail, normalizePhone } from '@rapport/common/values/index';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, describeEngines, type TestDatabase } from '../../../../../tests/setup/engines.ts';
import { buildApp } from '../../app.ts';
import type { Db } from '../../engine/db/database.ts';
import { createApiKey } from '../../engine/identity/api-key.service.ts';
import { createWorkspace, type WorkspaceSummary } from '../../engine/workspaces/workspace.service.ts';
import { standardObjects } from '../index.ts';
import { DEMO_LOCALES } from './demo-locales.ts';
import { ensureDemoSalesOrg } from './demo-sales-org.ts';
import { seedDemo, type SeedDemoResult } from './seed-demo.ts';

const PEOPLE = 200;

describeEngines('demo seeder', (engine) => {
  let testDatabase: TestDatabase;
  let db: Db;
  let app: FastifyInstance;
  let workspace: WorkspaceSummary;
  let token: string;
  let result: SeedDemoResult;

  const count = async (table: string) =>
    (await sql<{ n: number }>`select count(*)::int as n from ${sql.id(workspace.schema, table)}`.execute(db)).rows[0]!.n;
  const api = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });

  beforeAll(async () => {
    testDatabase = await createTestDatabase(engine);
    db = testDatabase.database.db;
    workspace = await createWorkspace({ db, name: 'Demo', standardObjects });
    token = (await createApiKey(db, { workspaceId: workspace.id })).token;
    result = await seedDemo({ database: testDatabase.database, workspaceId: workspace.id, people: PEOPLE });
    app = await buildApp({ database: testDatabase.database, config: { bodyLimit: 1_048_576, corsOrigins: [], logLevel: 'silent' }, logger: false });
  });

  afterAll(async () => {
    await app?.close();
    await testDatabase?.destroy();
  });

  describe('successful-seed', () => {
    it('should create the counts it reports when seeding 200 people', async () => {
      expect(result).toMatchObject({ people: 200, companies: 20, opportunities: 40, tasks: 20, notes: 20, meetings: 20, calls: 40 });
      expect(await count('person')).toBe(200);
      expect(await count('company')).toBe(20);
      expect(await count('opportunity')).toBe(40);
      expect(await count('task')).toBe(20);
      expect(await count('note')).toBe(20);
      expect(await count('meeting')).toBe(20);
      expect(await count('call')).toBe(40);
    });

    it('should make meetings with their contact attending, calls of the last month, and say what each activity is about', async () => {
      const meetings = ((await api('GET', '/api/v1/records/meeting?limit=100')).json() as { data: Record<string, any>[] }).data;
      const calls = ((await api('GET', '/api/v1/records/call?limit=100')).json() as { data: Record<string, any>[] }).data;
      const tasks = ((await api('GET', '/api/v1/records/task?limit=100')).json() as { data: Record<string, any>[] }).data;

      for (const meeting of meetings) {
        expect(Date.parse(meeting.end)).toBeGreaterThan(Date.parse(meeting.start));
        if (meeting.person) expect(meeting.attendees).toEqual([meeting.person]);
        // Meetings from today on are still planned (one this morning waits for its rep to mark it held).
        const today = new Date();
        expect(meeting.status).toMatch(Date.parse(meeting.start) >= Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) ? /^planned$/ : /^(held|cancelled)$/);
      }
      expect(meetings.some((meeting) => meeting.status === 'held')).toBe(true);
      expect(calls.every((call) => Date.now() - Date.parse(call.startedAt) < 32 * 86_400_000)).toBe(true);
      expect(calls.filter((call) => call.outcome === 'connected').every((call) => call.durationSeconds >= 60)).toBe(true);
      for (const activity of [...meetings, ...calls, ...tasks]) {
        expect(activity.related).toEqual(activity.person ? { object: 'person', id: activity.person } : { object: 'company', id: activity.company });
      }
    });

    it('should deal every record to a sales org of 20 users with teams and a role hierarchy while seeding', async () => {
      const org = await ensureDemoSalesOrg(db, workspace.id);
      const { rows: chain } = await sql<{ name: string; parent: string | null }>`
        select r.name, p.name as parent from rapport.role r left join rapport.role p on p.id = r.parent_id
        where r.workspace_id = ${workspace.id} and r.name in ('VP Sales', 'Sales manager EMEA', 'Sales rep EMEA') order by r.name`.execute(db);
      const owners = new Set(org.ownerIds);

      expect(org.members).toHaveLength(20);
      expect(org.members.filter((member) => member.role === 'rep')).toHaveLength(15);
      expect(chain).toEqual([
        { name: 'Sales manager EMEA', parent: 'VP Sales' },
        { name: 'Sales rep EMEA', parent: 'Sales manager EMEA' },
        { name: 'VP Sales', parent: null },
      ]);
      for (const [object, field] of [['person', 'owner'], ['company', 'owner'], ['opportunity', 'owner'], ['task', 'assignee'], ['note', 'owner'], ['meeting', 'owner'], ['call', 'owner']] as const) {
        const records = (((await api('GET', `/api/v1/records/${object}?limit=1000&fields=${field}`)).json()) as { data: Record<string, string | null>[] }).data;
        expect(records.length).toBeGreaterThan(0);
        expect(records.every((record) => owners.has(record[field] ?? ''))).toBe(true);
      }
      const people = ((await api('GET', '/api/v1/records/person?limit=1000&fields=owner')).json() as { data: { owner: string }[] }).data;
      expect(new Set(people.map((person) => person.owner)).size).toBeGreaterThanOrEqual(15);
    });

    it('should return seeded people through the API when listing them', async () => {
      const response = await api('GET', '/api/v1/records/person?limit=50&sort=lastName');

      expect(response.statusCode).toBe(200);
      const body = response.json() as { data: Record<string, unknown>[] };
      expect(body.data).toHaveLength(50);
      for (const person of body.data) {
        expect(person.fullName).toBe(`${String(person.firstName)} ${String(person.lastName)}`);
        expect(typeof person.email).toBe('string');
      }
    });

    it('should store only valid emails and phones and a search text when seeding', async () => {
      const { rows: people } = await sql<{ email: string; phone: string | null; search_text: string }>`
        select email, phone, search_text from ${sql.id(workspace.schema, 'person')}`.execute(db);
      const { rows: companies } = await sql<{ phone: string | null; address_country: string | null; search_text: string }>`
        select phone, address_country, search_text from ${sql.id(workspace.schema, 'company')}`.execute(db);

      expect(new Set(people.map((person) => person.email)).size).toBe(people.length);
      for (const person of people) {
        expect(normalizeEmail(person.email)).toEqual({ ok: true, value: person.email });
        if (person.phone) expect(normalizePhone(person.phone)).toEqual({ ok: true, value: person.phone });
        expect(person.search_text).not.toBe('');
      }
      for (const company of companies) {
        expect(normalizePhone(company.phone ?? '')).toMatchObject({ ok: true, value: company.phone });
        expect(company.address_country).toMatch(/^[A-Z]{2}$/);
        expect(company.search_text).not.toBe('');
      }
      expect(people.filter((person) => person.phone).length).toBeGreaterThan(PEOPLE / 2);
    });

    it('should store what the write path stores when the same person is created through the API', async () => {
      const { rows } = await sql<{ id: string }>`
        select id from ${sql.id(workspace.schema, 'person')} where phone is not null and address_country is not null and company_id is not null limit 1`.execute(db);
      const seeded = (await api('GET', `/api/v1/records/person/${rows[0]!.id}`)).json() as Record<string, unknown>;
      const address = Object.fromEntries(Object.entries(seeded.address as Record<string, unknown>).filter(([, value]) => value !== null));

      const created = await api('POST', '/api/v1/records/person', {
        firstName: seeded.firstName,
        lastName: seeded.lastName,
        email: `copy.${String(seeded.email)}`,
        phone: seeded.phone,
        jobTitle: seeded.jobTitle,
        company: seeded.company,
        address,
      });

      expect(created.statusCode).toBe(201);
      const copy = created.json() as Record<string, unknown>;
      for (const field of ['firstName', 'lastName', 'fullName', 'phone', 'jobTitle', 'company', 'address']) expect(copy[field]).toEqual(seeded[field]);
      const { rows: texts } = await sql<{ id: string; search_text: string }>`
        select id, search_text from ${sql.id(workspace.schema, 'person')} where id in (${seeded.id as string}, ${copy.id as string})`.execute(db);
      const textOf = (id: unknown) => texts.find((row) => row.id === id)!.search_text;
      expect(textOf(copy.id)).toBe(textOf(seeded.id).replace(String(seeded.email), `copy.${String(seeded.email)}`));
    });

    it('should find a seeded person when searching their last name', async () => {
      const { rows } = await sql<{ id: string; last_name: string }>`
        select id, last_name from ${sql.id(workspace.schema, 'person')} where last_name ~ '^[A-Za-z]{4,}$' limit 1`.execute(db);

      const response = await api('GET', `/api/v1/search?q=${encodeURIComponent(rows[0]!.last_name)}&objects=person&limit=100`);

      expect(response.statusCode).toBe(200);
      expect((response.json() as { data: { id: string }[] }).data.map((hit) => hit.id)).toContain(rows[0]!.id);
    });

    it('should find a seeded person when their last name is typed with two letters swapped', async () => {
      const { rows } = await sql<{ id: string; first_name: string; last_name: string }>`
        select id, first_name, last_name from ${sql.id(workspace.schema, 'person')}
        where first_name ~ '^[A-Za-z]{4,}$' and last_name ~ '^[A-Za-z]{5,}$' and substr(last_name, 2, 1) <> substr(last_name, 3, 1) limit 1`.execute(db);
      const { id, first_name: firstName, last_name: lastName } = rows[0]!;
      const typo = `${lastName[0]}${lastName[2]}${lastName[1]}${lastName.slice(3)}`;

      const response = await api('GET', `/api/v1/search?q=${encodeURIComponent(`${firstName} ${typo}`)}&objects=person&limit=100`);

      expect(response.statusCode).toBe(200);
      expect((response.json() as { data: { id: string }[] }).data.map((hit) => hit.id)).toContain(id);
    });

    it('should link opportunities to companies and contacts when seeding', async () => {
      const response = await api('GET', '/api/v1/records/opportunity?limit=40');

      expect(response.statusCode).toBe(200);
      const opportunities = (response.json() as { data: { company: unknown; contacts: unknown[]; amount: { currency: string } }[] }).data;
      expect(opportunities.every((opportunity) => typeof opportunity.company === 'string')).toBe(true);
      expect(opportunities.some((opportunity) => opportunity.contacts.length > 0)).toBe(true);
    });

    it('should let a regional manager see what their team owns and a rep only their own, after seeding', async () => {
      const org = await ensureDemoSalesOrg(db, workspace.id);
      const manager = org.members.find((member) => member.role === 'manager' && member.region === 'EMEA')!;
      const rep = org.members.find((member) => member.role === 'rep' && member.region === 'EMEA')!;
      const emea = new Set(org.members.filter((member) => member.region === 'EMEA').map((member) => member.id));
      const people = ((await api('GET', '/api/v1/records/person?limit=1000&fields=owner')).json() as { data: { owner: string }[] }).data;
      const countAs = async (userId: string) => {
        const { token: userToken } = await createApiKey(db, { workspaceId: workspace.id, userId, scopes: ['admin'], name: 'seed test' });
        const response = await app.inject({ method: 'GET', url: '/api/v1/records/person?count=true&limit=1', headers: { authorization: `Bearer ${userToken}` } });
        expect(response.statusCode).toBe(200);
        return (response.json() as { totalCount: number }).totalCount;
      };

      expect(emea.size).toBe(6);
      expect(await countAs(manager.id)).toBe(people.filter((person) => emea.has(person.owner)).length);
      expect(await countAs(rep.id)).toBe(people.filter((person) => person.owner === rep.id).length);
      expect(await countAs(manager.id)).toBeLessThan(people.length);
    });

    it('should add more people with new unique emails when seeding the same workspace again', async () => {
      const before = await count('person');

      const again = await seedDemo({ database: testDatabase.database, workspaceId: workspace.id, people: 50 });

      expect(again.people).toBe(50);
      const { rows } = await sql<{ n: number; distinct_emails: number }>`
        select count(*)::int as n, count(distinct email)::int as distinct_emails from ${sql.id(workspace.schema, 'person')}`.execute(db);
      expect(rows[0]).toEqual({ n: before + 50, distinct_emails: before + 50 });
      expect((await ensureDemoSalesOrg(db, workspace.id)).members).toHaveLength(20);
      const { rows: members } = await sql<{ n: number }>`select count(*)::int as n from rapport.workspace_member where workspace_id = ${workspace.id}`.execute(db);
      expect(members[0]!.n).toBe(20);
    });

    it('should spread deals over the default and the Renewals pipelines and add revenue goals when seeding', async () => {
      const { rows: pipelines } = await sql<{ name: string; deals: number; stages: number }>`
        select p.name, (select count(*)::int from ${sql.id(workspace.schema, 'opportunity')} o where o.pipeline_id = p.id) as deals,
          (select count(*)::int from ${sql.id(workspace.schema, 'pipeline_stage')} s where s.pipeline_id = p.id and s.deleted_at is null) as stages
        from ${sql.id(workspace.schema, 'pipeline')} p where p.deleted_at is null order by p.position`.execute(db);
      expect(pipelines.map((pipeline) => pipeline.name)).toEqual(['New business', 'Renewals']);
      expect(pipelines[1]!.stages).toBe(4);
      expect(pipelines.every((pipeline) => pipeline.deals > 0)).toBe(true);
      expect(pipelines[0]!.deals).toBeGreaterThan(pipelines[1]!.deals);
      // This quarter and the last: one goal per rep (15) and one for the company.
      expect(result.goals).toBe(32);
      const { rows: goals } = await sql<{ scope: string; n: number }>`
        select scope, count(*)::int as n from ${sql.id(workspace.schema, 'goal')} where kpi = 'revenueWon' and target > 0 group by 1 order by 1`.execute(db);
      expect(goals).toEqual([{ scope: 'company', n: 2 }, { scope: 'rep', n: 30 }]);
    });

    it('should add a rate for each currency of the demo markets, so that the forecast leaves no deal out', async () => {
      const currencies = [...new Set(DEMO_LOCALES.map((locale) => locale.currency))].filter((currency) => currency !== 'EUR');
      expect(result.exchangeRates).toBe(currencies.length);
      const { rows } = await sql<{ currency: string; rate: number }>`select currency, rate::float8 as rate from ${sql.id(workspace.schema, 'exchange_rate')} where deleted_at is null order by currency`.execute(db);
      expect(rows.map((row) => row.currency)).toEqual([...currencies].sort());
      // Units per euro from the markets' units per dollar: 1 / 0.92 dollars, 150 / 0.92 yen.
      expect(rows.find((row) => row.currency === 'USD')!.rate).toBeCloseTo(1 / 0.92, 5);
      expect(rows.find((row) => row.currency === 'JPY')!.rate).toBeCloseTo(150 / 0.92, 3);
      const { rows: quarters } = await sql<{ quarter: string }>`
        select to_char(close_date, 'YYYY-"Q"Q') as quarter from ${sql.id(workspace.schema, 'opportunity')} where close_date is not null group by 1 order by count(*) desc limit 1`.execute(db);
      const forecast = await api('GET', `/api/v1/forecast?period=${quarters[0]!.quarter}`);
      expect(forecast.statusCode).toBe(200);
      const body = forecast.json() as { unconverted: unknown; currency: string; deals: { won: number; lost: number; open: number } };
      expect(body.currency).toBe('EUR');
      expect(body.deals.won + body.deals.lost + body.deals.open).toBeGreaterThan(0);
      expect(body.unconverted).toEqual([]);
    });

    it('should seed the number of opportunities asked for, and no second Renewals pipeline or goals, when seeding again', async () => {
      const before = await count('opportunity');

      const again = await seedDemo({ database: testDatabase.database, workspaceId: workspace.id, people: 10, opportunities: 25 });

      expect(again).toMatchObject({ people: 10, opportunities: 25, goals: 0, exchangeRates: 0 });
      expect(await count('opportunity')).toBe(before + 25);
      expect(await count('goal')).toBe(32);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(workspace.schema, 'pipeline')} where name = 'Renewals'`.execute(db);
      expect(rows[0]!.n).toBe(1);
    });

    it('should produce the same records when two workspaces are seeded with the same seed', async () => {
      const first = await createWorkspace({ db, name: 'Seeded A', standardObjects });
      const second = await createWorkspace({ db, name: 'Seeded B', standardObjects });
      await seedDemo({ database: testDatabase.database, workspaceId: first.id, people: 30, seed: 7 });
      await seedDemo({ database: testDatabase.database, workspaceId: second.id, people: 30, seed: 7 });

      const people = async (schema: string) =>
        (await sql`select id, full_name, email, phone, address_city, created_at from ${sql.id(schema, 'person')} order by id`.execute(db)).rows;
      expect(await people(second.schema)).toEqual(await people(first.schema));
    });
  });

  describe('failing-seed', () => {
    it('should refuse a negative number of people', async () => {
      await expect(seedDemo({ database: testDatabase.database, workspaceId: workspace.id, people: -1 })).rejects.toThrow(/whole number/);
    });
  });
});
