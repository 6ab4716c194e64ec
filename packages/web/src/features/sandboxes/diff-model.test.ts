import type { ConfigurationChange, ConfigurationDeployment } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import { formatConfigurationValue, groupChangesBySection, propertyDifferences, rollbackCandidate, summariseChanges, valueHighlights } from './diff-model.ts';

const change = (overrides: Partial<ConfigurationChange> & Pick<ConfigurationChange, 'section' | 'key' | 'action'>): ConfigurationChange => ({
  label: overrides.key,
  destructive: false,
  ...overrides,
});

const deployment = (id: string, createdAt: string, status: ConfigurationDeployment['status']): ConfigurationDeployment => ({
  id,
  workspaceId: 'w1',
  source: { kind: 'file' },
  status,
  changes: [],
  createdAt,
  createdBy: null,
  rolledBackAt: null,
  error: null,
});

describe('groupChangesBySection', () => {
  it('should group changes in the order a deployment applies the sections, additions before changes and removals', () => {
    const groups = groupChangesBySection([
      change({ section: 'roles', key: 'sales', action: 'change' }),
      change({ section: 'fields', key: 'person.nickname', action: 'remove', destructive: true }),
      change({ section: 'objects', key: 'vehicle', action: 'add' }),
      change({ section: 'fields', key: 'person.birthday', action: 'change' }),
      change({ section: 'fields', key: 'vehicle.plate', action: 'add' }),
      change({ section: 'fields', key: 'company.size', action: 'add' }),
    ]);
    expect(groups.map((group) => group.section)).toEqual(['objects', 'fields', 'roles']);
    expect(groups[1]!.changes.map((each) => each.key)).toEqual(['company.size', 'vehicle.plate', 'person.birthday', 'person.nickname']);
  });

  it('should keep sections this app does not know after the known ones', () => {
    const groups = groupChangesBySection([
      change({ section: 'workflows' as ConfigurationChange['section'], key: 'welcome', action: 'add' }),
      change({ section: 'views', key: 'person.all', action: 'add' }),
    ]);
    expect(groups.map((group) => group.section)).toEqual(['views', 'workflows']);
  });

  it('should give no group when nothing differs', () => {
    expect(groupChangesBySection([])).toEqual([]);
  });
});

describe('summariseChanges', () => {
  it('should count changes by action and the destructive ones', () => {
    expect(
      summariseChanges([
        change({ section: 'objects', key: 'vehicle', action: 'add' }),
        change({ section: 'fields', key: 'vehicle.plate', action: 'add' }),
        change({ section: 'fields', key: 'person.nickname', action: 'remove', destructive: true }),
        change({ section: 'roles', key: 'sales', action: 'change' }),
      ]),
    ).toEqual({ add: 2, change: 1, remove: 1, total: 4, destructive: 1 });
  });
});

describe('formatConfigurationValue', () => {
  it('should show text, numbers and lists on one line and nothing for empty values', () => {
    expect(formatConfigurationValue('Nickname')).toBe('Nickname');
    expect(formatConfigurationValue(12)).toBe('12');
    expect(formatConfigurationValue(false)).toBe('false');
    expect(formatConfigurationValue(['gold', 'silver'])).toBe('gold, silver');
    expect(formatConfigurationValue({ min: 1 })).toBe('{"min":1}');
    expect(formatConfigurationValue(null)).toBeNull();
    expect(formatConfigurationValue(undefined)).toBeNull();
    expect(formatConfigurationValue('')).toBeNull();
  });

  it('should shorten a long value with an ellipsis', () => {
    const text = formatConfigurationValue('x'.repeat(500))!;
    expect(text).toHaveLength(160);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('propertyDifferences', () => {
  it('should list the properties the change names, before and after', () => {
    const differences = propertyDifferences(
      change({ section: 'fields', key: 'person.nickname', action: 'change', properties: ['label', 'required'], before: { label: 'Nickname', required: false, type: 'text' }, after: { label: 'Nick name', required: true, type: 'text' } }),
    );
    expect(differences).toEqual([
      { property: 'label', before: 'Nickname', after: 'Nick name' },
      { property: 'required', before: 'false', after: 'true' },
    ]);
  });

  it('should find the differing properties itself when the change does not name them', () => {
    const differences = propertyDifferences(change({ section: 'roles', key: 'sales', action: 'change', before: { label: 'Sales', objects: { person: 'read' } }, after: { label: 'Sales', objects: { person: 'edit' } } }));
    expect(differences).toEqual([{ property: 'objects', before: '{"person":"read"}', after: '{"person":"edit"}' }]);
  });

  it('should compare whole values that are not objects, and nothing for additions and removals', () => {
    expect(propertyDifferences(change({ section: 'validationRules', key: 'person.email', action: 'change', before: 'size(email) > 3', after: 'size(email) > 5' }))).toEqual([
      { property: null, before: 'size(email) > 3', after: 'size(email) > 5' },
    ]);
    expect(propertyDifferences(change({ section: 'fields', key: 'vehicle.plate', action: 'add', after: { type: 'text' } }))).toEqual([]);
    expect(propertyDifferences(change({ section: 'fields', key: 'person.nickname', action: 'remove', before: { type: 'text' } }))).toEqual([]);
  });
});

describe('valueHighlights', () => {
  it('should show the type and label of an added thing first, then its other simple properties', () => {
    expect(valueHighlights({ required: true, label: 'Loyalty tier', options: { choices: ['gold'] }, type: 'select', description: '', maxLength: 40, position: 13, unique: false, help: 'x' })).toEqual([
      'type: select',
      'label: Loyalty tier',
      'help: x',
      'maxLength: 40',
    ]);
  });

  it('should show a value that is not an object whole, and nothing for none', () => {
    expect(valueHighlights('size(record.email) > 3')).toEqual(['size(record.email) > 3']);
    expect(valueHighlights(undefined)).toEqual([]);
    expect(valueHighlights({ options: {} })).toEqual([]);
  });
});

describe('rollbackCandidate', () => {
  it('should offer the newest applied deployment, skipping rolled back and failed ones', () => {
    const deployments = [deployment('d1', '2026-11-01T10:00:00Z', 'applied'), deployment('d3', '2026-11-03T10:00:00Z', 'rolledBack'), deployment('d2', '2026-11-02T10:00:00Z', 'applied'), deployment('d4', '2026-11-04T10:00:00Z', 'failed')];
    expect(rollbackCandidate(deployments)?.id).toBe('d2');
  });

  it('should offer nothing when no deployment is applied', () => {
    expect(rollbackCandidate([deployment('d1', '2026-11-01T10:00:00Z', 'rolledBack')])).toBeUndefined();
    expect(rollbackCandidate([])).toBeUndefined();
  });
});
