/** What a role may do with the records of an object. `export` and `import` guard bulk data moves. */
export const OBJECT_ACTIONS = ['create', 'read', 'update', 'delete', 'export', 'import'] as const;
export type ObjectAction = (typeof OBJECT_ACTIONS)[number];
export type ObjectPermissions = Record<ObjectAction, boolean>;

/**
 * Which records of an object with an owner a role sees: the caller's own, those owned by anyone in
 * their teams, that plus the owners whose role is below theirs, their territories' plus their own, or all.
 */
export const RECORD_ACCESS_LEVELS = ['own', 'team', 'teamAndSubordinates', 'territory', 'all'] as const;
export type RecordAccess = (typeof RECORD_ACCESS_LEVELS)[number];

/** A field is editable unless a role makes it read-only or hides it (absent from every response). */
export const FIELD_LEVELS = ['hidden', 'readOnly', 'editable'] as const;
export type FieldLevel = (typeof FIELD_LEVELS)[number];

export const SHARING_ACCESS = ['read', 'write'] as const;
export type SharingAccess = (typeof SHARING_ACCESS)[number];

/** `permissions["*"]` applies to every object a role does not name. */
export const ANY_OBJECT = '*';

/**
 * API key scopes: `admin` (no narrowing: the key's user's role applies, or everything for a key
 * without a user), `read:*`, `write:*`, `read:<object>`, `write:<object>`. Write implies read.
 */
export const API_KEY_SCOPE_PATTERN = /^(admin|(read|write):(\*|[a-z][a-zA-Z0-9]{0,62}))$/;
