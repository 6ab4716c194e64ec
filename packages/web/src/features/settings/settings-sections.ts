/** The settings screens, grouped as the section navigation shows them; each is a route under /settings. */
export const SETTINGS_GROUPS = [
  { group: 'workspace', sections: ['workspace', 'licences'] },
  { group: 'people', sections: ['users', 'teams', 'roles', 'sharing'] },
  { group: 'dataModel', sections: ['objects', 'pipelines', 'action-templates', 'sandboxes'] },
  { group: 'security', sections: ['sso', 'audit', 'backups', 'retention'] },
  { group: 'integrations', sections: ['api-keys', 'telephony'] },
] as const;

export type SettingsGroup = (typeof SETTINGS_GROUPS)[number]['group'];
export type SettingsSection = (typeof SETTINGS_GROUPS)[number]['sections'][number];

export const SETTINGS_SECTIONS: readonly SettingsSection[] = SETTINGS_GROUPS.flatMap((entry) => entry.sections);

/** The translation key of a section's name (Pipelines keeps its texts in its own namespace). */
export const sectionLabelKey = (section: SettingsSection) => (section === 'pipelines' ? ('pipelineSettings.tab' as const) : (`settings.tabs.${section}` as const));

/** The section a settings path belongs to (`/settings/roles/abc` → `roles`); users for `/settings` itself. */
export const sectionOfPath = (pathname: string): SettingsSection => {
  const segment = pathname.split('/')[2] ?? '';
  return SETTINGS_SECTIONS.find((section) => section === segment) ?? 'users';
};
