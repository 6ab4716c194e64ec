import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.ts';
import { compileOrderBy, parseSort } from './sort.ts';
import { compileSql, crmWorkspaceFactory } from './test-factories.ts';

const { workspace, person } = crmWorkspaceFactory();
const parse = (sort: unknown) => parseSort({ workspace, object: person, sort });
const orderBy = (sort: unknown) => compileSql(compileOrderBy(parse(sort), 't0')).sql;

const invalidQueryMessage = (sort: unknown): string => {
  try {
    parse(sort);
  } catch (error) {
    if (isAppError(error) && error.code === 'INVALID_QUERY') return error.message;
    throw error;
  }
  throw new Error('expected INVALID_QUERY');
};

describe('parseSort', () => {
  describe('successful-sort', () => {
    it('should default to newest first with id as tiebreaker', () => {
      expect(orderBy(undefined)).toBe('"t0"."created_at" desc, "t0"."id" desc');
      expect(orderBy([])).toBe('"t0"."created_at" desc, "t0"."id" desc');
    });

    it('should append id in the direction of the last key', () => {
      expect(orderBy(['name'])).toBe('"t0"."name" asc, "t0"."id" asc');
      expect(orderBy(['name', '-age'])).toBe('"t0"."name" asc, "t0"."age" desc, "t0"."id" desc');
    });

    it('should sort by composite parts, currency amounts and system fields', () => {
      expect(orderBy(['address.city', '-salary', 'updatedAt'])).toBe(
        '"t0"."address_city" asc, "t0"."salary_amount" desc, "t0"."updated_at" asc, "t0"."id" asc',
      );
    });

    it('should stop at an explicit id', () => {
      expect(orderBy(['-id'])).toBe('"t0"."id" desc');
      expect(parse(['id', 'name']).map((key) => key.path)).toEqual(['id']);
    });

    it('should know which keys can be null', () => {
      expect(parse(['name', '-createdAt', 'deletedAt', 'version']).map((key) => [key.path, key.isNullable])).toEqual([
        ['name', true],
        ['createdAt', false],
        ['deletedAt', true],
        ['version', false],
        ['id', false],
      ]);
    });
  });

  describe('failing-sort', () => {
    it.each([
      [['foo'], 'Unknown field "foo" on person. Known fields:'],
      [['company.name'], 'Cannot sort by "company.name": sort by a field of person itself, not through a relation.'],
      [['projects'], 'Cannot sort by "projects"'],
      [['tags'], 'Cannot sort by "tags": textArray values have no order.'],
      [['profile'], 'Cannot sort by "profile": json values have no order.'],
      [['address'], 'use one of its parts'],
      [['name', '-name'], '"name" appears twice in sort.'],
      [['a', 'b', 'c', 'd', 'e', 'f'], 'At most 5 sort keys; got 6.'],
      [[''], 'Invalid sort "": expected a field name'],
      [['-'], 'Invalid sort "-"'],
      [[3], 'Invalid sort 3'],
      ['name', 'sort must be a list of field names.'],
    ])('should reject %j', (sort, message) => {
      expect(invalidQueryMessage(sort)).toContain(message);
    });
  });
});
