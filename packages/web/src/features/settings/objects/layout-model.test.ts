import { describe, expect, it } from 'vitest';
import { addSection, containerOf, moveField, moveSection, POOL_ID, removeSection, shiftField, toLayoutBody, toLayoutState } from './layout-model.ts';

const fields = ['name', 'email', 'phone', 'notes'];
const start = () => toLayoutState({ sections: [{ title: 'Main', columns: 2, fields: ['name', 'email', 'ghost', 'name'] }, { title: 'Contact', columns: 1, fields: ['phone'] }] }, fields);

describe('layout editor model', () => {
  it('should read a layout, dropping unknown and repeated fields and pooling the unplaced ones', () => {
    const state = start();

    expect(toLayoutBody(state)).toEqual({ sections: [{ title: 'Main', columns: 2, fields: ['name', 'email'] }, { title: 'Contact', columns: 1, fields: ['phone'] }] });
    expect(state.unplaced).toEqual(['notes']);
  });

  it('should move a field between sections, from the pool, and reorder within a section', () => {
    let state = start();
    const [main, contact] = state.sections;
    state = moveField(state, 'email', contact!.id, 0);
    state = moveField(state, 'notes', main!.id);
    state = shiftField(state, 'notes', -1);

    expect(toLayoutBody(state).sections.map((s) => s.fields)).toEqual([['notes', 'name'], ['email', 'phone']]);
    expect(state.unplaced).toEqual([]);
    expect(containerOf(state, 'email')).toBe(contact!.id);
    expect(containerOf(moveField(state, 'email', POOL_ID), 'email')).toBe(POOL_ID);
  });

  it('should add, reorder and remove sections, returning a removed section\'s fields to the pool', () => {
    let state = addSection(start(), 'Extra');
    state = moveSection(state, state.sections[2]!.id, -1);
    expect(state.sections.map((s) => s.title)).toEqual(['Main', 'Extra', 'Contact']);
    state = removeSection(state, state.sections[0]!.id);

    expect(state.sections.map((s) => s.title)).toEqual(['Extra', 'Contact']);
    expect(state.unplaced).toEqual(['notes', 'name', 'email']);
  });

  it('should ignore moves to an unknown section', () => {
    const state = start();
    expect(moveField(state, 'name', 'nowhere')).toBe(state);
  });
});
