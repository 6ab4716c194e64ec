import { hasDuplicateKeys } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import type { FieldMeta, ObjectMeta } from '../metadata/types.ts';
import { getDuplicateKeys, scoreOf } from './duplicate-keys.ts';

const field = (name: string, type: string, options?: Record<string, unknown>) => ({ id: name, name, type, label: name, column: name, objectName: 'x', position: 0, ...(options ? { options } : {}) }) as FieldMeta;
const objectOf = (fields: FieldMeta[], labelField: string) => ({ name: 'x', labelField, fields, fieldsByName: new Map(fields.map((f) => [f.name, f])) }) as unknown as ObjectMeta;

describe('duplicate keys', () => {
  it('should compare emails, phones and web addresses but not encrypted ones, and a text or text formula title', () => {
    const object = objectOf([
      field('email', 'email'), field('secret', 'email', { encrypted: true }), field('phone', 'phone'), field('site', 'url'),
      field('fullName', 'formula', { resultType: 'text', expression: 'x' }),
    ], 'fullName');

    const keys = getDuplicateKeys(object);

    expect(keys.emails.map((f) => f.name)).toEqual(['email']);
    expect(keys.phones.map((f) => f.name)).toEqual(['phone']);
    expect(keys.urls.map((f) => f.name)).toEqual(['site']);
    expect(keys.name?.name).toBe('fullName');
    expect(hasDuplicateKeys(object)).toBe(true);
    expect(hasDuplicateKeys(objectOf([field('title', 'text')], 'title'))).toBe(false);
    expect(getDuplicateKeys(objectOf([field('amount', 'number')], 'amount')).name).toBeUndefined();
  });

  it('should score one reason by its weight and several as independent evidence', () => {
    expect(scoreOf({ r_email: true, r_phone: false, r_domain: false, r_name: 0.2 })).toEqual({ score: 0.95, reasons: ['email'] });
    expect(scoreOf({ r_email: false, r_phone: false, r_domain: false, r_name: 0.6 })).toEqual({ score: 0.54, reasons: ['name'] });
    const both = scoreOf({ r_email: false, r_phone: false, r_domain: true, r_name: 0.8 });
    expect(both.reasons).toEqual(['domain', 'name']);
    expect(both.score).toBeGreaterThan(0.8);
    expect(both.score).toBeLessThan(1);
    expect(scoreOf({ r_email: false, r_phone: false, r_domain: false, r_name: 0.49 }).reasons).toEqual([]);
  });
});
