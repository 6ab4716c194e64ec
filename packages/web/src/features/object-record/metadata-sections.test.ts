import type { FieldDefinition } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import { sectionsOf } from './metadata.ts';

const field = (name: string): FieldDefinition => ({ name, type: 'text', label: name });
const fields = ['name', 'email', 'phone', 'notes'].map(field);
const names = (sections: ReturnType<typeof sectionsOf>) => sections.map((section) => [section.title, section.columns, section.fields.map((f) => f.name)]);

describe('sectionsOf', () => {
  it('should put every field in one untitled section without a layout', () => {
    expect(names(sectionsOf(fields))).toEqual([[null, 2, ['name', 'email', 'phone', 'notes']]]);
  });

  it('should follow the layout order and put unnamed fields in a last section', () => {
    const layout = { sections: [{ title: 'Contact', columns: 1 as const, fields: ['phone', 'email'] }, { title: 'Main', columns: 2 as const, fields: ['name'] }] };

    expect(names(sectionsOf(fields, layout))).toEqual([['Contact', 1, ['phone', 'email']], ['Main', 2, ['name']], [null, 2, ['notes']]]);
  });

  it('should skip fields the page does not show, repeated fields and sections left empty', () => {
    const layout = { sections: [{ title: 'Hidden', columns: 2 as const, fields: ['secret'] }, { title: 'All', columns: 2 as const, fields: ['name', 'name', 'email', 'phone', 'notes'] }] };

    expect(names(sectionsOf(fields, layout))).toEqual([['All', 2, ['name', 'email', 'phone', 'notes']]]);
  });
});
