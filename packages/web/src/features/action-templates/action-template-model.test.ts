import type { ObjectDefinition } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import type { ApiRecord } from '../../api/types.ts';
import { bodyOf, formOf, moveChanges, nextPosition, objectOptionsOf, sortTemplates, validateForm } from './action-template-model.ts';

const record = (values: Record<string, unknown>): ApiRecord => ({ id: String(values.name), version: 1, createdAt: '', updatedAt: '', createdBy: null, updatedBy: null, ...values });
const stored = record({ name: 'Call back tomorrow', action: 'task', title: 'Call {{title}} back', body: null, dueInDays: 1, dueTime: '10:00', priority: 'normal', objects: ['person'], isActive: true, position: 1 });

describe('action template form', () => {
  it('should start a new template as a task due the next day at nine, everywhere, after the others', () => {
    expect(formOf(undefined, 5)).toEqual({ name: '', action: 'task', title: '', body: '', dueInDays: 1, dueTime: '09:00', priority: null, objects: [], isActive: true, position: 5 });
  });

  it('should read a stored template, its JSON objects as a list whatever was stored', () => {
    expect(formOf(stored)).toMatchObject({ name: 'Call back tomorrow', action: 'task', dueInDays: 1, dueTime: '10:00', priority: 'normal', objects: ['person'], position: 1 });
    expect(formOf(record({ name: 'Odd', action: 'bogus', objects: { person: true } }))).toMatchObject({ action: 'task', objects: [], dueInDays: '', dueTime: '' });
    expect(formOf(record({ name: 'Mixed', objects: ['person', 3, null, 'company'] })).objects).toEqual(['person', 'company']);
  });

  it('should check what the server checks: a name and title, whole days up to a year, a time of day', () => {
    const valid = formOf(stored);
    expect(validateForm(valid)).toEqual({});
    expect(validateForm({ ...valid, name: ' ', title: '' })).toEqual({ name: 'required', title: 'required' });
    expect(validateForm({ ...valid, title: 'x'.repeat(301) }).title).toBe('titleTooLong');
    expect(validateForm({ ...valid, dueInDays: 366 }).dueInDays).toBe('dueInDaysRange');
    expect(validateForm({ ...valid, dueInDays: 1.5 }).dueInDays).toBe('dueInDaysRange');
    expect(validateForm({ ...valid, dueTime: '9:00' }).dueTime).toBe('invalidTime');
    expect(validateForm({ ...valid, dueTime: '24:00' }).dueTime).toBe('invalidTime');
    // A note or an email has no due time: its leftovers are not checked.
    expect(validateForm({ ...valid, action: 'note', dueTime: 'soon' })).toEqual({});
  });

  it('should send every value of a new template, and only what changed of a stored one', () => {
    const created = bodyOf({ ...formOf(undefined, 3), name: ' Send the contract ', title: 'Contract for {{title}}', objects: ['opportunity'] });
    expect(created).toEqual({ name: 'Send the contract', action: 'task', title: 'Contract for {{title}}', body: null, dueInDays: 1, dueTime: '09:00', priority: null, objects: ['opportunity'], isActive: true, position: 3 });
    const initial = formOf(stored);
    expect(bodyOf(initial, initial)).toEqual({});
    expect(bodyOf({ ...initial, objects: [], isActive: false }, initial)).toEqual({ objects: null, isActive: false });
    expect(bodyOf({ ...initial, objects: ['person', 'company'] }, initial)).toEqual({ objects: ['person', 'company'] });
  });
});

describe('action templates list', () => {
  const [a, b, c] = [record({ name: 'A', position: 2 }), record({ name: 'B', position: 1 }), record({ name: 'C', position: 1 })];

  it('should order templates as the quick-actions menu does: position, then name', () => {
    expect(sortTemplates([a, b, c]).map((item) => item.name)).toEqual(['B', 'C', 'A']);
    expect(nextPosition([a, b, c])).toBe(3);
    expect(nextPosition([])).toBe(1);
  });

  it('should renumber the list when a template moves, changing only the positions that differ', () => {
    const list = sortTemplates([a, b, c]); // B 1, C 1, A 2
    expect(moveChanges(list, 2, -1).map(({ record: item, position }) => [item.name, position])).toEqual([['C', 3]]);
    // B 1 → 2 when C goes up; C 1 stays.
    expect(moveChanges(list, 1, -1).map(({ record: item, position }) => [item.name, position])).toEqual([['B', 2], ['A', 3]]);
    expect(moveChanges(list, 0, -1)).toEqual([]);
    expect(moveChanges(list, 2, 1)).toEqual([]);
  });

  it('should offer the objects with activities, and keep a chosen one that is no longer offered', () => {
    const objects = [{ name: 'person', labelPlural: 'People' }, { name: 'company', labelPlural: 'Companies' }, { name: 'pipeline', labelPlural: 'Pipelines' }] as ObjectDefinition[];
    const options = objectOptionsOf(objects, ['pipeline', 'spaceship'], (object) => object.name !== 'pipeline', (object) => object.labelPlural);
    expect(options).toEqual([
      { value: 'company', label: 'Companies' },
      { value: 'person', label: 'People' },
      { value: 'pipeline', label: 'Pipelines' },
      { value: 'spaceship', label: 'spaceship' },
    ]);
  });
});
