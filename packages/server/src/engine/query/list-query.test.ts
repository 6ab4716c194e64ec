import type { RecordQuery } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.ts';
import { encodeCursor } from './cursor.ts';
import { buildListQuery, resolveIncludedRelations, resolveSelectedFields } from './list-query.ts';
import { compileSql, crmWorkspaceFactory } from './test-factories.ts';
import { ALL_ROWS } from './row-scope.ts';

const { workspace, person } = crmWorkspaceFactory();
const ID = '0b6f1f3e-6f5a-4c1e-9a43-1d2b3c4d5e6f';
const build = (query: RecordQuery) => buildListQuery({ workspace, object: person, query, rows: ALL_ROWS, now: new Date('2024-05-15T10:00:00Z') });

const errorOf = (run: () => unknown): { code: string; message: string } => {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected an AppError');
};

describe('buildListQuery', () => {
  describe('successful-list', () => {
    it('should select live rows newest first, one more than the page', () => {
      expect(compileSql(build({}).sql)).toEqual({
        sql:
          'select "t0".*, to_char("t0"."created_at" at time zone \'UTC\', \'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\') as "__cursor_0" from "ws_test"."person" as "t0"' +
          ' where "t0"."deleted_at" is null order by "t0"."created_at" desc, "t0"."id" desc limit $1',
        parameters: [51],
      });
    });

    it('should read the trash when deleted is true', () => {
      expect(compileSql(build({ deleted: true, sort: ['name'] }).sql).sql).toBe(
        'select "t0".* from "ws_test"."person" as "t0" where "t0"."deleted_at" is not null order by "t0"."name" asc, "t0"."id" asc limit $1',
      );
    });

    it('should combine the filter, the cursor and the count', () => {
      const first = build({ sort: ['name'], limit: 10 });
      const cursor = encodeCursor(first.signature, ['Bob', ID]);
      const built = build({ sort: ['name'], limit: 10, cursor, count: true, filter: { or: [{ field: 'age', op: 'gt', value: 3 }, { field: 'age', op: 'isEmpty' }] } });
      // Ascending by a nullable key from a value: the values and the nulls as two index ranges, merged.
      expect(compileSql(built.sql)).toEqual({
        sql:
          'select * from (' +
          '(select "t0".* from "ws_test"."person" as "t0" where "t0"."deleted_at" is null and (("t0"."age" > $1::numeric or "t0"."age" is null))' +
          ' and ("t0"."name" >= $2 and ("t0"."name" > $3 or ("t0"."name" = $4 and "t0"."id" > $5)))' +
          ' order by "t0"."name" asc, "t0"."id" asc limit $6)' +
          ' union all ' +
          '(select "t0".* from "ws_test"."person" as "t0" where "t0"."deleted_at" is null and (("t0"."age" > $7::numeric or "t0"."age" is null))' +
          ' and "t0"."name" is null order by "t0"."name" asc, "t0"."id" asc limit $8)' +
          ') as "page" order by "page"."name" asc, "page"."id" asc limit $9',
        parameters: [3, 'Bob', 'Bob', 'Bob', ID, 11, 3, 11, 11],
      });
      const descending = build({ sort: ['-name'], limit: 10, cursor: encodeCursor(build({ sort: ['-name'] }).signature, ['Bob', ID]) });
      expect(compileSql(descending.sql).sql).toBe(
        'select "t0".* from "ws_test"."person" as "t0" where "t0"."deleted_at" is null' +
          ' and ("t0"."name" <= $1 and ("t0"."name" < $2 or ("t0"."name" = $3 and "t0"."id" < $4))) order by "t0"."name" desc, "t0"."id" desc limit $5',
      );
      expect(compileSql(built.countSql!)).toEqual({
        sql: 'select count(*) as "count" from "ws_test"."person" as "t0" where "t0"."deleted_at" is null and (("t0"."age" > $1::numeric or "t0"."age" is null))',
        parameters: [3],
      });
    });

    it('should accept the largest page', () => {
      expect(build({ limit: 1000 }).limit).toBe(1000);
    });
  });

  describe('failing-list', () => {
    it.each([
      [{ limit: 1001 }, 'INVALID_QUERY', 'limit is at most 1000; got 1001. Page with the cursor instead.'],
      [{ limit: 0 }, 'INVALID_QUERY', 'limit must be a whole number from 1 to 1000.'],
      [{ limit: 2.5 }, 'INVALID_QUERY', 'limit must be a whole number'],
      [{ fields: ['name', 'nope'] }, 'INVALID_QUERY', 'Unknown field "nope" in fields.'],
      [{ include: ['name'] }, 'INVALID_QUERY', 'Cannot include "name": it is not a relation of person. Relations: company, projects.'],
      [{ cursor: 'garbage!' }, 'INVALID_CURSOR', 'The cursor is malformed.'],
      [{ filter: { field: 'nope', op: 'eq', value: 1 } }, 'INVALID_QUERY', 'Unknown field "nope" on person.'],
    ] as Array<[RecordQuery, string, string]>)('should reject %j', (query, code, message) => {
      const error = errorOf(() => build(query));
      expect(error.code).toBe(code);
      expect(error.message).toContain(message);
    });

    it('should reject a cursor of another sort', () => {
      const cursor = encodeCursor(build({ sort: ['name'] }).signature, ['Bob', ID]);
      expect(errorOf(() => build({ sort: ['-name'], cursor })).code).toBe('INVALID_CURSOR');
      expect(errorOf(() => build({ sort: ['name'], cursor, deleted: true })).code).toBe('INVALID_CURSOR');
    });
  });
});

describe('resolveSelectedFields', () => {
  it('should return every field by default and the named ones otherwise', () => {
    expect(resolveSelectedFields(person).map((field) => field.name)).toEqual(person.fields.map((field) => field.name));
    expect(resolveSelectedFields(person, ['age', 'id', 'name', 'age']).map((field) => field.name)).toEqual(['age', 'name']);
  });

  it('should return the included relations', () => {
    expect(resolveIncludedRelations(person, ['company', 'projects', 'company']).map((field) => field.name)).toEqual(['company', 'projects']);
  });
});
