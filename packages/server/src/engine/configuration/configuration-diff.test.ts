import { describe, expect, it } from 'vitest';
import { diffConfiguration } from './configuration-diff.ts';
import type { ConfigurationSections } from './configuration-sections.ts';

const base = (): ConfigurationSections => ({
  objects: {
    person: { labelSingular: 'Person', labelPlural: 'People', labelField: 'name', standard: true },
    boat: { labelSingular: 'Boat', labelPlural: 'Boats', labelField: 'name' },
  },
  fields: {
    'person.name': { type: 'text', label: 'Name', position: 0, standard: true },
    'person.boats': { type: 'relation', label: 'Boats', position: 1, inverse: true, options: { target: 'boat', kind: 'oneToMany', inverseName: 'owner' } },
    'boat.name': { type: 'text', label: 'Name', position: 0 },
    'boat.owner': { type: 'relation', label: 'Owner', position: 1, options: { target: 'person', kind: 'manyToOne', inverseName: 'boats' } },
  },
  validationRules: {},
  layouts: {},
  views: { 'boat.All boats': { type: 'table', sort: ['name'], position: 0 } },
  roles: { Admin: { isAdmin: true, recordAccess: 'all' } },
});

describe('diffConfiguration', () => {
  it('should find nothing to do between a configuration and itself', () => {
    expect(diffConfiguration({ current: base(), desired: base() })).toEqual([]);
  });

  it('should list changes with the properties that differ, in apply order, labelled for people', () => {
    const desired = base();
    desired.fields['boat.name']!.label = 'Boat name';
    desired.fields['boat.length'] = { type: 'number', label: 'Length' };
    desired.roles.Skipper = { recordAccess: 'own' };

    const changes = diffConfiguration({ current: base(), desired });

    expect(changes.map((change) => [change.section, change.key, change.action, change.label, change.properties ?? null])).toEqual([
      ['fields', 'boat.length', 'add', 'Boats › Length', null],
      ['fields', 'boat.name', 'change', 'Boats › Boat name', ['label']],
      ['roles', 'Skipper', 'add', 'Skipper', null],
    ]);
  });

  it('should remove an object as one destructive change, its fields, views and the inverse side going with it', () => {
    const desired = base();
    delete desired.objects.boat;
    for (const key of ['boat.name', 'boat.owner', 'person.boats']) delete desired.fields[key];
    delete desired.views['boat.All boats'];

    expect(diffConfiguration({ current: base(), desired })).toEqual([
      { section: 'objects', key: 'boat', label: 'Boats', action: 'remove', before: base().objects.boat, destructive: true },
    ]);
  });

  it('should never remove or add standard objects and fields, nor compare sections the document leaves out', () => {
    const desired: Partial<ConfigurationSections> = { objects: { boat: base().objects.boat!, ship: { labelSingular: 'Ship', labelPlural: 'Ships', standard: true } } };

    expect(diffConfiguration({ current: base(), desired })).toEqual([]);
  });

  it('should take a field without a position as keeping its place, and a new type as destructive', () => {
    const desired = base();
    delete desired.fields['boat.name']!.position;
    desired.fields['boat.owner'] = { type: 'text', label: 'Owner', position: 1 };

    const changes = diffConfiguration({ current: base(), desired });

    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ key: 'boat.owner', action: 'change', destructive: true });
    expect(changes[0]!.properties).toContain('type');
  });
});
