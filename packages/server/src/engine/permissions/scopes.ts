import type { ObjectAction } from '@rapport/common';

/** What an API key's scopes let through, before the role of its user (if any) applies. */
export interface ScopeGrant {
  /** `admin` scope or a session: the role alone decides. */
  isUnlimited: boolean;
  allows(objectName: string, action: ObjectAction): boolean;
  /** Every object may be read (`read:*`, `write:*`, `admin`). */
  readsAll: boolean;
}

const UNLIMITED: ScopeGrant = Object.freeze({ isUnlimited: true, allows: () => true, readsAll: true });

const WRITE_ACTIONS: ReadonlySet<ObjectAction> = new Set(['create', 'update', 'delete', 'import']);

/**
 * Sessions (`null`) and `admin` keys are not narrowed. `read:<object>` allows read and export,
 * `write:<object>` allows everything on the object (write implies read); `*` means every object.
 */
export const parseScopes = (scopes: readonly string[] | null): ScopeGrant => {
  if (scopes === null || scopes.includes('admin')) return UNLIMITED;
  const reads = new Set<string>();
  const writes = new Set<string>();
  for (const scope of scopes) {
    const [kind, object] = scope.split(':');
    if (!object) continue;
    if (kind === 'write') writes.add(object);
    if (kind === 'read' || kind === 'write') reads.add(object);
  }
  const has = (set: Set<string>, objectName: string) => set.has('*') || set.has(objectName);
  return {
    isUnlimited: false,
    allows: (objectName, action) => has(WRITE_ACTIONS.has(action) ? writes : reads, objectName),
    readsAll: reads.has('*'),
  };
};
