import { CONFIGURATION_SECTIONS, type ConfigurationChange, type ConfigurationSection } from '@rapport/common';
import { canonicalJson, splitKey, type ConfigurationSections, type FieldEntry, type ObjectEntry } from './configuration-sections.ts';
import type { PartialSections } from './configuration-document.ts';

// Facts about an entry, not settings: they never make a change on their own.
const IGNORED = new Set(['standard', 'inverse']);

// A position left out of a hand-written entry is no opinion: the field or view keeps its place.
const differingProperties = (before: Record<string, unknown>, after: Record<string, unknown>): string[] =>
  [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((key) => !IGNORED.has(key) && !(key === 'position' && after.position === undefined) && canonicalJson(before[key]) !== canonicalJson(after[key]))
    .sort();

// Validation rules are a list per object: they differ as a whole.
const asMap = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { rules: value });

interface DiffOptions {
  /** The target workspace's configuration. */
  current: ConfigurationSections;
  /** What it should become; sections left out are not compared. */
  desired: PartialSections;
}

/** What deploying `desired` to the workspace holding `current` would do, section by section, in apply order. */
export const diffConfiguration = ({ current, desired }: DiffOptions): ConfigurationChange[] => {
  const objectLabel = (name: string) => (desired.objects?.[name] ?? current.objects[name])?.labelPlural ?? name;
  const removedObjects = new Set(desired.objects ? Object.keys(current.objects).filter((name) => !(name in desired.objects!) && !current.objects[name]!.standard) : []);
  const labelOf = (section: ConfigurationSection, key: string) => {
    const [object, name] = splitKey(key);
    if (section === 'objects') return objectLabel(key);
    if (section === 'fields') return `${objectLabel(object)} › ${(desired.fields?.[key] ?? current.fields[key])?.label ?? name}`;
    if (section === 'validationRules') return `${objectLabel(object)} › Validation rules`;
    if (section === 'layouts') return `${objectLabel(object)} › Layout`;
    if (section === 'views') return `${objectLabel(object)} › ${name}`;
    return key;
  };
  const changes: ConfigurationChange[] = [];
  for (const section of CONFIGURATION_SECTIONS) {
    const wanted = desired[section] as Record<string, unknown> | undefined;
    if (!wanted) continue;
    const have = current[section] as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(have), ...Object.keys(wanted)])].sort();
    for (const key of keys) {
      const before = have[key];
      const after = wanted[key];
      const [object] = splitKey(key);
      // What belongs to a removed object goes (and comes back) with it.
      if (section !== 'objects' && section !== 'roles' && removedObjects.has(object)) continue;
      const base = { section, key, label: labelOf(section, key) };
      if (before === undefined) {
        // Standard objects and fields come with Rapport's upgrades (`rapport migrate`), not with a configuration.
        if ((section === 'objects' || section === 'fields') && (after as Partial<ObjectEntry>).standard) continue;
        changes.push({ ...base, action: 'add', after, destructive: false });
      } else if (after === undefined) {
        const entry = before as Partial<ObjectEntry & FieldEntry>;
        // Standard objects and fields stay; the other side of a relation goes with the relation.
        if ((section === 'objects' || section === 'fields') && (entry.standard || entry.inverse)) continue;
        changes.push({ ...base, action: 'remove', before, destructive: section === 'objects' || section === 'fields' });
      } else {
        // The other side of a relation follows it: the designer cannot change it on its own either.
        if (section === 'fields' && (before as FieldEntry).inverse && (after as FieldEntry).inverse) continue;
        const properties = differingProperties(asMap(before), asMap(after));
        if (properties.length === 0) continue;
        const isRetyped = section === 'fields' && properties.includes('type');
        changes.push({ ...base, action: 'change', properties, before, after, destructive: isRetyped });
      }
    }
  }
  return changes;
};
