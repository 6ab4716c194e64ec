import type { CalendarSettings, FieldDefinition, ObjectDefinition, ObjectPermissions, RecordAccess, SharingAccess, ValidationRule, ViewColumn, ViewType, FieldLevel } from '@rapport/common';
import type { LayoutSection } from '../designer/layouts.ts';

/** An object as a configuration holds it (its fields are entries of `fields`, its rules of `validationRules`). */
export interface ObjectEntry extends Pick<ObjectDefinition, 'labelSingular' | 'labelPlural' | 'description' | 'icon' | 'labelField'> {
  /** Ships with Rapport: it can be relabelled, never removed. */
  standard?: boolean;
}

/** A field, keyed `object.field`: its definition without the name (in the key) and the flags the server sets. */
export interface FieldEntry extends Omit<FieldDefinition, 'name' | 'options' | 'isSystem' | 'isStandard' | 'isReadOnly'> {
  options?: Record<string, unknown>;
  standard?: boolean;
  /** The other side of a relation: it comes (and goes) with the relation that names it. */
  inverse?: boolean;
}

/** A shared view, keyed `object.view name`; private views belong to their owner and stay out. */
export interface ViewEntry {
  type: ViewType;
  filter?: unknown;
  sort?: string[];
  columns?: ViewColumn[];
  groupBy?: string;
  kanbanField?: string;
  cardFields?: string[];
  calendar?: CalendarSettings;
  position?: number;
}

/** A role, keyed by its name; its parent by name, its sharing rules without ids. */
export interface RoleEntry {
  description?: string;
  parent?: string;
  isAdmin?: boolean;
  requireTwoFactor?: boolean;
  licences?: string[];
  permissions?: Record<string, ObjectPermissions>;
  fields?: Record<string, Record<string, FieldLevel>>;
  recordAccess: RecordAccess;
  sharingRules?: { name: string; object: string; filter: unknown; access: SharingAccess }[];
}

/** What a configuration holds, section by section (CONFIGURATION_SECTIONS), each keyed by stable names. */
export interface ConfigurationSections {
  objects: Record<string, ObjectEntry>;
  fields: Record<string, FieldEntry>;
  /** Record-level validation rules of each object that has some. */
  validationRules: Record<string, ValidationRule[]>;
  /** Saved record-page layouts by object (objects without one show the default layout). */
  layouts: Record<string, { sections: LayoutSection[] }>;
  views: Record<string, ViewEntry>;
  roles: Record<string, RoleEntry>;
}

/** Keys are `object.name`: object names have no dot, view names may. */
export const splitKey = (key: string): [string, string] => {
  const dot = key.indexOf('.');
  return dot < 0 ? [key, ''] : [key.slice(0, dot), key.slice(dot + 1)];
};

/** Plain data with every object's keys sorted: the same configuration always serialises to the same text. */
export const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
  }
  return value;
};

/** Leaves out what equals its default (undefined, null, false, empty lists and maps) so files stay short. */
export const prune = <T extends object>(entry: T): T =>
  Object.fromEntries(
    Object.entries(entry).filter(([, value]) =>
      value !== undefined && value !== null && value !== false && !(Array.isArray(value) && value.length === 0) && !(typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0),
    ),
  ) as T;

export const canonicalJson = (value: unknown): string => JSON.stringify(sortKeys(value));
