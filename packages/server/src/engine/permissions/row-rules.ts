import { sql, type RawBuilder } from 'kysely';
import type { FieldMeta, ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import { compileFilterNode } from '../query/compile-filter.ts';
import type { FilterNode } from '../query/filter-node.ts';
import { parseFilter } from '../query/parse-filter.ts';
import { ALL_ROWS, type RowScope } from '../query/row-scope.ts';
import { columnOf, joinWith } from '../query/sql-parts.ts';
import type { AccessProfile, GrantRule } from './access-profile.ts';

/**
 * The field that owns an object's records: the `owner` field when it is of type owner, else the
 * first owner-type field (a task's `assignee`). Objects without one are governed by object permissions only.
 */
export const ownerFieldOf = (object: ObjectMeta): FieldMeta | undefined => {
  const named = object.fieldsByName.get('owner');
  return named?.type === 'owner' ? named : object.fields.find((field) => field.type === 'owner');
};

/**
 * The record an owner-less object's records belong to (master-detail): its first required many-to-one relation that
 * deletes with its target (a deal's line items belong to the deal). Their rows follow the master's row condition.
 */
export const masterFieldOf = (object: ObjectMeta): FieldMeta | undefined =>
  ownerFieldOf(object)
    ? undefined
    : object.fields.find((field) => field.type === 'relation' && (field.options?.kind ?? 'manyToOne') === 'manyToOne' && field.required && field.options?.onDelete === 'cascade');

// Masters of masters: at most this deep (and never back to an object already on the way).
const MAX_MASTER_DEPTH = 3;

interface ObjectRules {
  ownerColumn: string | undefined;
  grantsRead: FilterNode[];
  grantsWrite: FilterNode[];
}

// Rules are written by admins against the metadata of their day: a rule that no longer parses
// (its field was deleted) grants nothing rather than failing every query of the caller.
const parseGrants = (workspace: WorkspaceMeta, object: ObjectMeta, rules: readonly GrantRule[], now: Date): { rule: GrantRule; node: FilterNode }[] =>
  rules.flatMap((rule) => {
    if (rule.object !== object.name) return [];
    try {
      return [{ rule, node: parseFilter({ workspace, object, filter: rule.filter, now }) }];
    } catch {
      return [];
    }
  });

/**
 * The row condition of a caller, from their access profile: `owner = any(<owners>)`, OR'd with the
 * filters of their territories and of the sharing rules that reach them (write rules only for writes);
 * for a detail object without an owner, the condition of its master record (masterFieldOf).
 * Every value is bound; rule filters compile against the whole workspace (they may name fields the
 * caller cannot see) and never reveal anything themselves: they only add rows.
 */
export const createRowScope = (options: { workspace: WorkspaceMeta; profile: AccessProfile; isUnrestricted: boolean }): RowScope => {
  const { workspace, profile } = options;
  if (options.isUnrestricted || profile.role.recordAccess === 'all') return ALL_ROWS;
  const now = new Date();
  const cache = new Map<string, ObjectRules>();
  const rulesOf = (name: string): ObjectRules => {
    let rules = cache.get(name);
    if (!rules) {
      const object = workspace.objects.get(name);
      const owner = object && ownerFieldOf(object);
      const grants = object && owner ? [...parseGrants(workspace, object, profile.territoryRules, now), ...parseGrants(workspace, object, profile.sharingRules, now)] : [];
      rules = {
        ownerColumn: owner?.column,
        grantsRead: grants.map((grant) => grant.node),
        grantsWrite: grants.filter((grant) => grant.rule.access === 'write').map((grant) => grant.node),
      };
      cache.set(name, rules);
    }
    return rules;
  };
  const ownerIds = [...profile.ownerIds];
  const predicate = (object: ObjectMeta, alias: string, mode: 'read' | 'write', path: readonly string[]): RawBuilder<unknown> | undefined => {
    const rules = rulesOf(object.name);
    if (!rules.ownerColumn) {
      // A detail record is readable (writable) when its master is.
      const master = masterFieldOf(object);
      const target = master?.options?.target ? workspace.objects.get(master.options.target) : undefined;
      if (!master || !target || path.length >= MAX_MASTER_DEPTH || path.includes(target.name)) return undefined;
      const masterAlias = `${alias}_m`;
      const condition = predicate(target, masterAlias, mode, [...path, object.name]);
      if (!condition) return undefined;
      return sql`exists (select 1 from ${sql.id(workspace.schema, target.table)} as ${sql.id(masterAlias)}
        where ${columnOf(masterAlias, 'id')} = ${columnOf(alias, master.column)} and ${condition})`;
    }
    const owned = sql`${columnOf(alias, rules.ownerColumn)} = any(${ownerIds}::uuid[])`;
    const grants = (mode === 'read' ? rules.grantsRead : rules.grantsWrite).map((node) => compileFilterNode({ workspace, node, alias }));
    return grants.length === 0 ? owned : joinWith([owned, ...grants], 'or');
  };
  return {
    predicate: ({ object, alias, mode }) => predicate(object, alias, mode, []),
  };
};
