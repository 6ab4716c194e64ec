import { ANY_OBJECT, type FieldLevel, type ObjectAction } from '@rapport/common';
import type { WorkspaceMeta } from '../metadata/types.ts';
import { ALL_ROWS, type RowScope } from '../query/row-scope.ts';
import type { AccessProfile, HeldLicence } from './access-profile.ts';
import { createRowScope } from './row-rules.ts';
import { parseScopes } from './scopes.ts';
import { buildWorkspaceView } from './workspace-view.ts';

/**
 * What one caller may do in one workspace: their access profile (role, owners, rules) combined with
 * the scopes of their API key. Built per request from the cached profile; cheap.
 */
export interface Access {
  /** The whole workspace: for writing (formulas, defaults, rules see every field) and compiling rules. */
  workspace: WorkspaceMeta;
  /** The workspace as the caller sees it: unreadable objects and hidden fields left out. */
  view: WorkspaceMeta;
  userId: string | null;
  /** An admin role (or a key without a user with the admin scope): no restriction at all. */
  isAdmin: boolean;
  /** Reads every record and field of every object (admins, `read:*` keys without a user...). */
  readsEverything: boolean;
  can(objectName: string, action: ObjectAction): boolean;
  fieldLevel(objectName: string, fieldName: string): FieldLevel;
  /** The row condition the query compiler ANDs into every query (see row-rules.ts). */
  rows: RowScope;
  /** The caller's licence; undefined when no licence limits them (keys without a user, the engine's own work). */
  licence?: HeldLicence;
}

const NONE = { create: false, read: false, update: false, delete: false, export: false, import: false };

// Views are cached per profile (replaced when the profile is reloaded) and scopes.
const views = new WeakMap<AccessProfile, Map<string, { workspace: WorkspaceMeta; view: WorkspaceMeta }>>();

const cachedView = (profile: AccessProfile, key: string, workspace: WorkspaceMeta, build: () => WorkspaceMeta): WorkspaceMeta => {
  let byKey = views.get(profile);
  if (!byKey) views.set(profile, (byKey = new Map()));
  const cached = byKey.get(key);
  if (cached?.workspace === workspace) return cached.view;
  const view = build();
  byKey.set(key, { workspace, view });
  return view;
};

export interface CreateAccessOptions {
  workspace: WorkspaceMeta;
  profile: AccessProfile;
  /** The API key's scopes; null for a session. */
  scopes: readonly string[] | null;
}

export const createAccess = ({ workspace, profile, scopes }: CreateAccessOptions): Access => {
  const grant = parseScopes(scopes);
  const { role } = profile;
  // A key without a user and with the admin scope administers the workspace, like the CLI's keys.
  const isAdmin = grant.isUnlimited && (role.isAdmin || (profile.userId === null && scopes !== null));
  const roleAllows = (objectName: string, action: ObjectAction) =>
    role.isAdmin || (role.permissions[objectName] ?? role.permissions[ANY_OBJECT] ?? NONE)[action] === true;
  const can = (objectName: string, action: ObjectAction) => isAdmin || (roleAllows(objectName, action) && grant.allows(objectName, action));
  const fieldLevel = (objectName: string, fieldName: string): FieldLevel =>
    isAdmin || role.isAdmin ? 'editable' : (role.fields[objectName]?.[fieldName] ?? 'editable');
  const view = isAdmin ? workspace : cachedView(profile, (scopes ?? []).join(' '), workspace, () => buildWorkspaceView(workspace, { can, fieldLevel }));
  const rows = isAdmin ? ALL_ROWS : createRowScope({ workspace, profile, isUnrestricted: role.isAdmin });
  const readsEverything = isAdmin || (rows === ALL_ROWS && view === workspace && grant.readsAll);
  return { workspace, view, userId: profile.userId, isAdmin, readsEverything, can, fieldLevel, rows, ...(profile.licence ? { licence: profile.licence } : {}) };
};

/** Everything: for the engine's own work (jobs, CLI, seeding) where no caller is involved. */
export const createFullAccess = (workspace: WorkspaceMeta): Access => ({
  workspace,
  view: workspace,
  userId: null,
  isAdmin: true,
  readsEverything: true,
  can: () => true,
  fieldLevel: () => 'editable',
  rows: ALL_ROWS,
});
