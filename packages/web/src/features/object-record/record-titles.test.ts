import type { ObjectDefinition } from '@rapport/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from '../../api/client.ts';
import { loadRecordTitle, plainTitleOf } from './record-titles.ts';

const person: ObjectDefinition = { name: 'person', labelSingular: 'Person', labelPlural: 'People', labelField: 'fullName', fields: [{ name: 'fullName', type: 'text', label: 'Full name' }] };
const company: ObjectDefinition = { name: 'company', labelSingular: 'Company', labelPlural: 'Companies', labelField: 'name', fields: [{ name: 'name', type: 'text', label: 'Name' }] };
const comment: ObjectDefinition = { name: 'comment', labelSingular: 'Comment', labelPlural: 'Comments', labelField: 'body', fields: [{ name: 'body', type: 'richText', label: 'Body' }] };

const ADA = '3f1c9a52-0b7e-4d7a-9a55-2f8e1c7d4b10';
const GRACE = '5b6c7d8e-0b7e-4d7a-9a55-2f8e1c7d4b10';
const HIDDEN = '6c7d8e9f-0b7e-4d7a-9a55-2f8e1c7d4b10';
const ACME = '9a7d1f0e-2c1b-4b8a-8f3e-5d6c7b8a9e0f';

type Query = { filter: { value: string[] }; fields?: string[] };
const page = (records: Record<string, unknown>[]) => ({ data: records, pageInfo: { nextCursor: null, hasNextPage: false } });

describe('record titles', () => {
  afterEach(() => vi.restoreAllMocks());

  it('should name the records asked for in one tick with one query per object, and a record not found as null', async () => {
    const post = vi.spyOn(api, 'post').mockImplementation((path: string, body?: unknown) => {
      const { filter } = body as Query;
      const known: Record<string, Record<string, unknown>> = { [ADA]: { id: ADA, fullName: 'Ada Lovelace' }, [GRACE]: { id: GRACE, fullName: 'Grace Hopper' }, [ACME]: { id: ACME, name: 'Acme' } };
      return Promise.resolve(page(filter.value.flatMap((id): Record<string, unknown>[] => (known[id] ? [known[id]] : []))) as never);
    });

    const titles = await Promise.all([loadRecordTitle(person, ADA), loadRecordTitle(company, ACME), loadRecordTitle(person, GRACE.toUpperCase()), loadRecordTitle(person, HIDDEN), loadRecordTitle(person, ADA)]);

    expect(titles).toEqual([{ title: 'Ada Lovelace' }, { title: 'Acme' }, { title: 'Grace Hopper' }, null, { title: 'Ada Lovelace' }]);
    expect(post).toHaveBeenCalledTimes(2);
    expect(post.mock.calls.map(([path, body]) => [path, (body as Query).filter.value, (body as Query).fields])).toEqual([
      ['/records/person/query', [ADA, GRACE, HIDDEN], ['fullName']],
      ['/records/company/query', [ACME], ['name']],
    ]);
  });

  it('should read whole records when the title field is hidden, and name nothing of an object the reader may not list', async () => {
    const post = vi.spyOn(api, 'post').mockImplementation((path: string, body?: unknown) => {
      if (path.startsWith('/records/company')) return Promise.reject(new ApiError({ status: 403, code: 'FORBIDDEN', title: 'Forbidden' }));
      if ((body as Query).fields) return Promise.reject(new ApiError({ status: 400, code: 'INVALID_QUERY', title: 'Unknown field' }));
      return Promise.resolve(page([{ id: ADA, fullName: 'Ada Lovelace' }]) as never);
    });

    expect(await Promise.all([loadRecordTitle(person, ADA), loadRecordTitle(company, ACME)])).toEqual([{ title: 'Ada Lovelace' }, null]);
    expect(post).toHaveBeenCalledTimes(3);
  });

  it('should show a rich-text title as its text', () => {
    expect(plainTitleOf(comment, { id: 'c1', body: '<p>Call <b>Ada</b> back</p>' })).toBe('Call Ada back');
    expect(plainTitleOf(person, { id: ADA, fullName: 'Ada <Lovelace>' })).toBe('Ada <Lovelace>');
  });
});
