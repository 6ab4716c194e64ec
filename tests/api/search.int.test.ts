import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { companyFactory, personFactory } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

interface Hit {
  object: string;
  id: string;
  label: string;
  score: number;
  record: Record<string, unknown>;
}

describeEngines('global search', (engine) => {
  let t: TestApp;
  const ids: Record<string, string> = {};

  const search = async (q: string, extra = '') => {
    const response = await t.request<{ data: Hit[] }>('GET', `/api/v1/search?q=${encodeURIComponent(q)}${extra}`);
    expect(response.status).toBe(200);
    return response.body.data;
  };
  const labelsOf = (hits: Hit[]) => hits.map((hit) => hit.label);

  beforeAll(async () => {
    t = await createTestApp(engine);
    const people = {
      nesterov: personFactory.build({ firstName: 'Дмитрий', lastName: 'Нестеров', email: 'd.nesterov@example.ru', phone: '+7 495 884 49 27' }),
      kotani: personFactory.build({ firstName: '大輔', lastName: '小谷', email: 'kotani@example.jp' }),
      wang: personFactory.build({ firstName: '伟', lastName: '王', email: 'wang.wei@example.cn' }),
      smith: personFactory.build({ firstName: 'Adriana', lastName: 'Smith', email: 'adriana.smith@acme-search.example', phone: '+1 206 211 5889' }),
      smithson: personFactory.build({ firstName: 'Paul', lastName: 'Smithson', email: 'paul@smithson.example' }),
      muller: personFactory.build({ firstName: 'Jürgen', lastName: 'Müller', email: 'jm@example.de' }),
    };
    for (const [key, body] of Object.entries(people)) {
      const response = await t.request('POST', '/api/v1/records/person', body);
      expect(response.status).toBe(201);
      ids[key] = response.body.id;
    }
    const company = await t.request('POST', '/api/v1/records/company', companyFactory.build({ name: 'Smithfield Foods', domain: 'smithfield-search.example' }));
    ids.smithfield = company.body.id;
  });
  afterAll(async () => t?.destroy());

  it('should find a person by a Cyrillic last name, whole or typed in part', async () => {
    expect(labelsOf(await search('Нестеров'))).toEqual(['Дмитрий Нестеров']);
    expect(labelsOf(await search('нест'))).toEqual(['Дмитрий Нестеров']);
  });

  it('should find a person by a Japanese name when it is written family name first without a space', async () => {
    const hits = await search('小谷大輔');
    expect(hits.map((hit) => hit.id)).toEqual([ids.kotani]);
    expect((await search('王伟')).map((hit) => hit.id)).toEqual([ids.wang]);
  });

  it('should rank whole words above prefixes and list every object when a word is common', async () => {
    const hits = await search('smith');
    expect(hits[0]).toMatchObject({ id: ids.smith, object: 'person', label: 'Adriana Smith' });
    expect(hits.map((hit) => hit.id)).toEqual(expect.arrayContaining([ids.smithson, ids.smithfield]));
    expect(hits[0]!.score).toBeGreaterThan(hits.find((hit) => hit.id === ids.smithson)!.score);
  });

  it('should find a person by first and last name, the last typed in part', async () => {
    expect((await search('adriana smi')).map((hit) => hit.id)).toEqual([ids.smith]);
    expect(await search('adriana smithson')).toEqual([]);
  });

  it('should find a person by email, email prefix and email domain', async () => {
    expect((await search('adriana.smith@acme-search.example')).map((hit) => hit.id)).toEqual([ids.smith]);
    expect((await search('ADRIANA.SMITH@ACME')).map((hit) => hit.id)).toEqual([ids.smith]);
    expect((await search('acme-search.example')).map((hit) => hit.id)).toEqual([ids.smith]);
  });

  it('should find a person by phone number however it is spaced', async () => {
    expect((await search('+12062115889')).map((hit) => hit.id)).toEqual([ids.smith]);
    expect((await search('+1 (206) 211-58')).map((hit) => hit.id)).toEqual([ids.smith]);
    expect((await search('7495884')).map((hit) => hit.id)).toEqual([ids.nesterov]);
  });

  it('should find a company by its domain and by the name in its domain', async () => {
    expect((await search('smithfield-search.example')).map((hit) => hit.id)).toEqual([ids.smithfield]);
    expect((await search('smithfield', '&objects=company')).map((hit) => hit.id)).toEqual([ids.smithfield]);
  });

  it('should fold accents when the query has them or leaves them out', async () => {
    expect((await search('muller')).map((hit) => hit.id)).toEqual([ids.muller]);
    expect((await search('Jürgen MÜLLER')).map((hit) => hit.id)).toEqual([ids.muller]);
  });

  it('should match word prefixes when the query has two letters', async () => {
    const hits = await search('Sm', '&objects=person');
    expect(hits.map((hit) => hit.id).sort()).toEqual([ids.smith, ids.smithson].sort());
  });

  it('should find names with one typo, ranked after exact matches', async () => {
    expect((await search('Simth')).map((hit) => hit.id)).toContain(ids.smith);
    expect((await search('Нетсеров')).map((hit) => hit.id)).toEqual([ids.nesterov]);
    const mixed = await search('smithson');
    expect(mixed[0]!.id).toBe(ids.smithson);
  });

  it('should keep to the named objects and the limit', async () => {
    expect((await search('smith', '&objects=company')).map((hit) => hit.object)).toEqual(['company']);
    expect(await search('smith', '&limit=1')).toHaveLength(1);
  });

  it('should find a record by its new name and not its old one when it is renamed', async () => {
    const created = await t.request('POST', '/api/v1/records/person', personFactory.build({ firstName: 'Quentin', lastName: 'Oldname' }));
    await t.request('PATCH', `/api/v1/records/person/${created.body.id}`, { lastName: 'Newname' });
    expect((await search('newname')).map((hit) => hit.id)).toEqual([created.body.id]);
    expect(await search('oldname')).toEqual([]);
    await t.request('DELETE', `/api/v1/records/person/${created.body.id}`);
    expect(await search('newname')).toEqual([]);
  });

  it('should answer an empty list, never an error, when the query has no letters, only symbols or SQL', async () => {
    for (const q of ['zzqxv', '— !', `' or 1=1 --`, '\\', ':*', '& | !', '@', '+', 'a:*b', "o'brien"]) {
      expect(Array.isArray(await search(q))).toBe(true);
    }
    expect(await search('zzqxv')).toEqual([]);
  });

  it('failing-search: should return 400 problem+json when q is missing or too long, 404 for an unknown object', async () => {
    expect((await t.request('GET', '/api/v1/search')).status).toBe(400);
    expect((await t.request('GET', `/api/v1/search?q=${'a'.repeat(201)}`)).status).toBe(400);
    const unknown = await t.request('GET', '/api/v1/search?q=smith&objects=spaceship');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('OBJECT_NOT_FOUND');
  });
});
