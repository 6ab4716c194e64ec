import type { FieldError } from '@rapport/common';

/**
 * What a key may do, before its user's role applies: `admin` (workspace administration and
 * everything), `read:*` / `write:*` (every object), `read:<object>` / `write:<object>` (one object;
 * write includes read). Enforcement is the permission layer's (engine/permissions/scopes.ts).
 */
export const SCOPE_PATTERN = /^(admin|(read|write):(\*|[a-z][a-zA-Z0-9_]*))$/;
export const MAX_SCOPES = 100;

/** Per-scope errors: unknown shapes and objects the workspace does not have. */
export const checkScopes = (scopes: readonly string[], objectNames: ReadonlySet<string>, field = 'scopes'): FieldError[] => {
  if (scopes.length === 0) return [{ field, code: 'required', message: 'Give at least one scope, e.g. ["read:*"].' }];
  if (scopes.length > MAX_SCOPES) return [{ field, code: 'tooLong', message: `At most ${MAX_SCOPES} scopes.` }];
  return scopes.flatMap((scope, index): FieldError[] => {
    const match = SCOPE_PATTERN.exec(scope);
    if (!match) return [{ field: `${field}[${index}]`, code: 'invalidScope', message: `"${scope}" is not a scope: use admin, read:*, write:*, read:<object> or write:<object>.` }];
    const object = match[3];
    if (object && object !== '*' && !objectNames.has(object)) return [{ field: `${field}[${index}]`, code: 'invalidScope', message: `There is no object "${object}".` }];
    return [];
  });
};
