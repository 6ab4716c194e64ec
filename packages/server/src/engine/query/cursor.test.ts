import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.ts';
import { compileCursorColumns, decodeCursor, encodeCursor, getSortSignature, readCursorValues, type CursorValue } from './cursor.ts';
import { compileKeysetBranches, compileKeysetCondition } from './keyset.ts';
import { parseSort } from './sort.ts';
import { compileSql, crmWorkspaceFactory } from './test-factories.ts';

const { workspace, person } = crmWorkspaceFactory();
const ID = '0b6f1f3e-6f5a-4c1e-9a43-1d2b3c4d5e6f';
const keysOf = (sort: string[]) => parseSort({ workspace, object: person, sort });
const signatureOf = (sort: string[], isDeleted = false) => getSortSignature({ objectName: 'person', keys: keysOf(sort), isDeleted });
const keyset = (sort: string[], values: CursorValue[]) => compileKeysetBranches({ keys: keysOf(sort), values, alias: 't0' }).map((branch) => compileSql(branch));

const cursorError = (cursor: unknown, sort: string[], signature = signatureOf(sort)): string => {
  try {
    decodeCursor({ cursor, keys: keysOf(sort), signature });
  } catch (error) {
    if (isAppError(error) && error.code === 'INVALID_CURSOR') return error.message;
    throw error;
  }
  throw new Error('expected INVALID_CURSOR');
};

describe('cursor', () => {
  describe('successful-encoding', () => {
    it('should round-trip the values of the sort keys', () => {
      const sort = ['name', '-age', 'birthday', 'isActive', '-createdAt'];
      const values: CursorValue[] = ["O'Neil 日本 %_\\", null, '2000-02-29', true, '2024-01-01T10:00:00.123456Z', ID];
      const cursor = encodeCursor(signatureOf(sort), values);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor({ cursor, keys: keysOf(sort), signature: signatureOf(sort) })).toEqual(values);
    });

    it('should sign the object, the keys, their directions and live vs trash', () => {
      expect(signatureOf(['name'])).toBe(signatureOf(['name']));
      expect(signatureOf(['name'])).not.toBe(signatureOf(['-name']));
      expect(signatureOf(['name'])).not.toBe(signatureOf(['name', 'age']));
      expect(signatureOf(['name'])).not.toBe(signatureOf(['name'], true));
      expect(signatureOf(['name'])).not.toBe(getSortSignature({ objectName: 'company', keys: keysOf(['name']), isDeleted: false }));
    });

    it('should read numbers and instants from exact text columns', () => {
      const keys = keysOf(['-age', 'name', 'createdAt']);
      expect(compileCursorColumns(keys, 't0').map((column) => compileSql(column).sql)).toEqual([
        '"t0"."age"::text as "__cursor_0"',
        'to_char("t0"."created_at" at time zone \'UTC\', \'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\') as "__cursor_2"',
      ]);
      const row = { age: 1.1, __cursor_0: '1.1', name: null, created_at: '2024-01-01T00:00:00.123Z', __cursor_2: '2024-01-01T00:00:00.123456Z', id: ID };
      expect(readCursorValues(row, keys)).toEqual(['1.1', null, '2024-01-01T00:00:00.123456Z', ID]);
    });
  });

  describe('failing-decoding', () => {
    const sort = ['name'];
    it.each([
      ['not base64url', 'abc$', 'The cursor is malformed.'],
      ['not JSON', Buffer.from('nope').toString('base64url'), 'The cursor is malformed.'],
      ['not an object', encodeURIComponent(Buffer.from('[1]').toString('base64url')), 'The cursor is malformed.'],
      ['too few values', encodeCursor(signatureOf(sort), ['a']), 'The cursor is malformed.'],
      ['a null id', encodeCursor(signatureOf(sort), ['a', null]), 'The cursor is malformed.'],
      ['a bad uuid', encodeCursor(signatureOf(sort), ['a', "x' or 1=1"]), 'The cursor is malformed.'],
      ['a number where text goes', encodeCursor(signatureOf(sort), [1 as unknown as CursorValue, ID]), 'The cursor is malformed.'],
      ['not a string', 42, 'The cursor is malformed.'],
      ['a NUL in text', encodeCursor(signatureOf(sort), ['a\u0000', ID]), 'The cursor is malformed.'],
    ])('should reject %s', (_name, cursor, message) => {
      expect(cursorError(cursor, sort)).toBe(`${message} Start again from the first page, without a cursor.`);
    });

    it('should reject a cursor made for another sort', () => {
      const cursor = encodeCursor(signatureOf(['-name']), ['a', ID]);
      expect(cursorError(cursor, sort)).toBe('The cursor belongs to a query with another sort. Start again from the first page, without a cursor.');
    });

    it('should reject malformed numbers, dates and instants', () => {
      expect(cursorError(encodeCursor(signatureOf(['age']), ['1; drop', ID]), ['age'])).toContain('malformed');
      expect(cursorError(encodeCursor(signatureOf(['birthday']), ['2023-02-30', ID]), ['birthday'])).toContain('malformed');
      expect(cursorError(encodeCursor(signatureOf(['createdAt']), ['2024-01-01T00:00:00Z', ID]), ['createdAt'])).toContain('malformed');
    });
  });

  describe('compileKeysetBranches', () => {
    it('should use a row comparison when keys share a direction and cannot be null', () => {
      expect(keyset(['-createdAt'], ['2024-01-01T00:00:00.000001Z', ID])).toEqual([{
        sql: '("t0"."created_at", "t0"."id") < ($1, $2)',
        parameters: ['2024-01-01T00:00:00.000001Z', ID],
      }]);
      expect(keyset(['version', 'updatedAt'], ['3', '2024-01-01T00:00:00.000000Z', ID]).map((branch) => branch.sql)).toEqual([
        '("t0"."version", "t0"."updated_at", "t0"."id") > ($1, $2, $3)',
      ]);
    });

    it('should split values and nulls when ascending from a value on a nullable key', () => {
      expect(keyset(['name'], ['Bob', ID])).toEqual([
        { sql: '("t0"."name" >= $1 and ("t0"."name" > $2 or ("t0"."name" = $3 and "t0"."id" > $4)))', parameters: ['Bob', 'Bob', 'Bob', ID] },
        { sql: '"t0"."name" is null', parameters: [] },
      ]);
    });

    it('should stay in the nulls when ascending from a null', () => {
      expect(keyset(['name'], [null, ID])).toEqual([{ sql: '("t0"."name" is null and "t0"."id" > $1)', parameters: [ID] }]);
    });

    it('should bound descending from a value (nulls came first)', () => {
      expect(keyset(['-name'], ['Bob', ID])).toEqual([
        { sql: '("t0"."name" <= $1 and ("t0"."name" < $2 or ("t0"."name" = $3 and "t0"."id" < $4)))', parameters: ['Bob', 'Bob', 'Bob', ID] },
      ]);
    });

    it('should split the remaining nulls and every value when descending from a null', () => {
      expect(keyset(['-name'], [null, ID])).toEqual([
        { sql: '("t0"."name" is null and "t0"."id" < $1)', parameters: [ID] },
        { sql: '"t0"."name" is not null', parameters: [] },
      ]);
    });

    it('should handle mixed directions and nullable later keys behind a bound on the first key', () => {
      expect(keyset(['createdAt', '-age'], ['2024-01-01T00:00:00.000000Z', '5', ID]).map((branch) => branch.sql)).toEqual([
        '("t0"."created_at" >= $1 and ("t0"."created_at" > $2 or ("t0"."created_at" = $3 and ("t0"."age" < $4 or ("t0"."age" = $5 and "t0"."id" < $6)))))',
      ]);
      expect(keyset(['createdAt', '-age'], ['2024-01-01T00:00:00.000000Z', null, ID]).map((branch) => branch.sql)).toEqual([
        '("t0"."created_at" >= $1 and ("t0"."created_at" > $2 or ("t0"."created_at" = $3 and ("t0"."age" is not null or ("t0"."age" is null and "t0"."id" < $4)))))',
      ]);
      expect(keyset(['-createdAt', 'name'], ['2024-01-01T00:00:00.000000Z', 'Bob', ID]).map((branch) => branch.sql)).toEqual([
        '("t0"."created_at" <= $1 and ("t0"."created_at" < $2 or ("t0"."created_at" = $3 and (("t0"."name" > $4 or "t0"."name" is null) or ("t0"."name" = $5 and "t0"."id" > $6)))))',
      ]);
    });

    it('should join the branches into one condition for callers that cannot union', () => {
      expect(compileSql(compileKeysetCondition({ keys: keysOf(['name']), values: ['Bob', ID], alias: 't0' })).sql).toBe(
        '(("t0"."name" >= $1 and ("t0"."name" > $2 or ("t0"."name" = $3 and "t0"."id" > $4))) or "t0"."name" is null)',
      );
    });
  });
});
