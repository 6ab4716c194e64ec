import { describe, expect, it } from 'vitest';
import { SETTINGS_GROUPS, SETTINGS_SECTIONS, sectionOfPath } from './settings-sections.ts';

describe('settings sections', () => {
  it('should list every settings route once, in its group', () => {
    expect([...SETTINGS_SECTIONS].sort()).toEqual(['action-templates', 'api-keys', 'audit', 'backups', 'licences', 'objects', 'pipelines', 'retention', 'roles', 'sandboxes', 'sharing', 'sso', 'teams', 'telephony', 'users', 'workspace']);
    expect(SETTINGS_GROUPS.map((entry) => entry.group)).toEqual(['workspace', 'people', 'dataModel', 'security', 'integrations']);
  });

  it('should find the section of a nested path and not confuse prefixes', () => {
    expect(sectionOfPath('/settings/roles/123')).toBe('roles');
    expect(sectionOfPath('/settings/objects/vehicle/layout')).toBe('objects');
    expect(sectionOfPath('/settings/api-keys')).toBe('api-keys');
    expect(sectionOfPath('/settings/telephony')).toBe('telephony');
    expect(sectionOfPath('/settings/sandboxes/abc')).toBe('sandboxes');
    expect(sectionOfPath('/settings/pipelines/abc')).toBe('pipelines');
    expect(sectionOfPath('/settings/action-templates')).toBe('action-templates');
    expect(sectionOfPath('/settings/usersx')).toBe('users');
    expect(sectionOfPath('/settings')).toBe('users');
  });
});
