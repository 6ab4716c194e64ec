import { FIELD_TYPES, type FieldDefinition, type FieldType, type FormulaResultType, type RelationKind, type SelectChoice } from '@rapport/common';

/** The field types an administrator can create, in the order the designer offers them. */
export const CREATABLE_TYPES: readonly FieldType[] = FIELD_TYPES;

/** Colours offered for select choices (Mantine palette names). */
export const CHOICE_COLORS = ['gray', 'red', 'pink', 'grape', 'violet', 'indigo', 'blue', 'cyan', 'teal', 'green', 'lime', 'yellow', 'orange'] as const;

/**
 * An API name from a label: lower camel case of its ASCII letters and digits (`Fuel type` → `fuelType`),
 * starting with a letter; empty when the label has none (the person then types a name).
 */
export const toApiName = (label: string): string => {
  const words = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  const name = words.map((word, i) => (i === 0 ? word.charAt(0).toLowerCase() + word.slice(1) : word.charAt(0).toUpperCase() + word.slice(1))).join('');
  return name.replace(/^[0-9]+/, '').slice(0, 60);
};

/** A choice value from its label: lower snake case (`Closed won` → `closed_won`). */
export const toChoiceValue = (label: string): string =>
  label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);

/** Moves the item at `from` to `to` (both clamped), returning a new array. */
export const moveItem = <T>(items: readonly T[], from: number, to: number): T[] => {
  if (from < 0 || from >= items.length) return [...items];
  const target = Math.max(0, Math.min(items.length - 1, to));
  const next = [...items];
  const [item] = next.splice(from, 1);
  next.splice(target, 0, item as T);
  return next;
};

/** What the field form edits; turned into a definition (create) or a patch (edit). */
export interface FieldDraft {
  type: FieldType;
  label: string;
  name: string;
  helpText: string;
  required: boolean;
  unique: boolean;
  defaultValue: string;
  choices: SelectChoice[];
  currency: string;
  /** currency: the date or datetime field whose day converts amounts to the default currency; empty for the creation day. */
  conversionDateField: string;
  target: string;
  kind: RelationKind;
  /** reference: the objects it may point to; empty for any object. */
  targets: string[];
  inverseLabel: string;
  expression: string;
  resultType: FormulaResultType;
  multiple: boolean;
  encrypted: boolean;
  rules: { expression: string; message: string }[];
}

export const emptyDraft = (type: FieldType = 'text'): FieldDraft => ({
  type,
  label: '',
  name: '',
  helpText: '',
  required: false,
  unique: false,
  defaultValue: '',
  choices: [],
  currency: '',
  conversionDateField: '',
  target: '',
  kind: 'manyToOne',
  targets: [],
  inverseLabel: '',
  expression: '',
  resultType: 'number',
  multiple: false,
  encrypted: false,
  rules: [],
});

export const draftOf = (field: FieldDefinition): FieldDraft => ({
  ...emptyDraft(field.type),
  label: field.label,
  name: field.name,
  helpText: field.helpText ?? '',
  required: field.required ?? false,
  unique: field.unique ?? false,
  defaultValue: typeof field.defaultValue === 'string' ? field.defaultValue : '',
  choices: field.options?.choices ?? [],
  currency: field.options?.defaultCurrency ?? '',
  conversionDateField: field.options?.conversionDateField ?? '',
  target: field.options?.target ?? '',
  kind: field.options?.kind ?? 'manyToOne',
  targets: field.options?.targets ?? [],
  inverseLabel: field.options?.inverseLabel ?? '',
  expression: field.options?.expression ?? '',
  resultType: field.options?.resultType ?? 'text',
  multiple: field.options?.multiple ?? false,
  encrypted: field.options?.encrypted ?? false,
  rules: (field.validation ?? []).map(({ expression, message }) => ({ expression, message })),
});

// Types whose constant default the designer can take as plain text.
const TEXT_DEFAULT_TYPES = new Set<FieldType>(['text', 'longText', 'email', 'phone', 'url', 'select']);
// Types that cannot be unique or required (computed or lists).
const COMPUTED_TYPES = new Set<FieldType>(['formula']);

export const canBeUnique = (type: FieldType) => ['text', 'number', 'email', 'phone', 'url', 'date', 'datetime', 'select', 'rating'].includes(type);
/** Types whose values can be stored encrypted (chosen at creation only). */
export const canBeEncrypted = (type: FieldType) => ['text', 'longText', 'number', 'date', 'datetime', 'email', 'phone'].includes(type);
export const canBeRequired = (type: FieldType) => !COMPUTED_TYPES.has(type) && type !== 'boolean';
export const hasTextDefault = (type: FieldType) => TEXT_DEFAULT_TYPES.has(type);
export const hasMultiple = (type: FieldType) => type === 'email' || type === 'phone' || type === 'url';

const optionsOf = (draft: FieldDraft): FieldDefinition['options'] | undefined => {
  const typed = typeOptionsOf(draft);
  if (!draft.encrypted || !canBeEncrypted(draft.type)) return typed;
  return { ...(typed ?? {}), encrypted: true };
};

const typeOptionsOf = (draft: FieldDraft): FieldDefinition['options'] | undefined => {
  switch (draft.type) {
    case 'select':
    case 'multiSelect':
      return { choices: draft.choices.map(({ value, label, color }) => ({ value, label, ...(color ? { color } : {}) })) };
    case 'currency':
      return draft.currency || draft.conversionDateField
        ? { ...(draft.currency ? { defaultCurrency: draft.currency } : {}), ...(draft.conversionDateField ? { conversionDateField: draft.conversionDateField } : {}) }
        : undefined;
    case 'relation':
      return { target: draft.target, kind: draft.kind, ...(draft.inverseLabel.trim() ? { inverseLabel: draft.inverseLabel.trim() } : {}) };
    case 'formula':
      return { expression: draft.expression, resultType: draft.resultType };
    case 'reference':
      // No targets: any object of the workspace.
      return draft.targets.length > 0 ? { targets: [...draft.targets] } : undefined;
    case 'email':
    case 'phone':
    case 'url':
      return draft.multiple ? { multiple: true } : undefined;
    default:
      return undefined;
  }
};

/** The body of `POST /metadata/objects/{object}/fields` for a new field. */
export const toFieldDefinition = (draft: FieldDraft): FieldDefinition => {
  const options = optionsOf(draft);
  const rules = draft.rules.filter((rule) => rule.expression.trim() !== '');
  return {
    name: draft.name.trim(),
    type: draft.type,
    label: draft.label.trim(),
    ...(draft.helpText.trim() ? { helpText: draft.helpText.trim() } : {}),
    ...(draft.required && canBeRequired(draft.type) ? { required: true } : {}),
    ...(draft.unique && canBeUnique(draft.type) ? { unique: true } : {}),
    ...(hasTextDefault(draft.type) && draft.defaultValue !== '' ? { defaultValue: draft.defaultValue } : {}),
    ...(options ? { options } : {}),
    ...(rules.length > 0 ? { validation: rules.map(({ expression, message }) => ({ expression, message })) } : {}),
  };
};

/**
 * The body of `PATCH …/fields/{field}`: what changed. A relation's target and kind never change;
 * the type is fixed.
 */
export const toFieldPatch = (draft: FieldDraft, field: FieldDefinition): Record<string, unknown> => {
  const next = toFieldDefinition(draft);
  const patch: Record<string, unknown> = {};
  if (next.name !== field.name) patch.name = next.name;
  if (next.label !== field.label) patch.label = next.label;
  if ((next.helpText ?? null) !== (field.helpText ?? null)) patch.helpText = next.helpText ?? null;
  if (Boolean(next.required) !== Boolean(field.required)) patch.required = Boolean(next.required);
  if (Boolean(next.unique) !== Boolean(field.unique)) patch.unique = Boolean(next.unique);
  if (hasTextDefault(field.type) && (next.defaultValue ?? null) !== (field.defaultValue ?? null)) patch.defaultValue = next.defaultValue ?? null;
  if (JSON.stringify(next.validation ?? []) !== JSON.stringify(field.validation ?? [])) patch.validation = next.validation ?? [];
  if (field.type !== 'relation') {
    // Encryption is chosen at creation only.
    const { encrypted: _encrypted, ...options } = next.options ?? {};
    const changed = Object.entries(options).some(([key, value]) => JSON.stringify(value) !== JSON.stringify((field.options as Record<string, unknown> | undefined)?.[key]));
    if (changed) patch.options = options;
    // A reference opened to any object again: its targets go (options merge, so they are named as null).
    if (field.type === 'reference' && field.options?.targets && !next.options?.targets) patch.options = { targets: null };
  } else if ((next.options?.inverseLabel ?? '') !== (field.options?.inverseLabel ?? '') && next.options?.inverseLabel) {
    patch.options = { inverseLabel: next.options.inverseLabel };
  }
  return patch;
};

/** Maps an API error path (`options.choices[0].value`, `validation[1].expression`) to the form input that shows it. */
export const draftFieldOfError = (path: string): string => {
  if (path.startsWith('options.choices')) return 'choices';
  if (path === 'options.expression' || path === 'options.resultType') return 'expression';
  if (path === 'options.target' || path === 'options.kind' || path === 'options.inverseName') return 'target';
  if (path.startsWith('options.targets')) return 'targets';
  if (path === 'options.defaultCurrency') return 'currency';
  if (path === 'options.conversionDateField') return 'conversionDateField';
  const rule = /^validation\[(\d+)\]/.exec(path);
  if (rule) return `rule${rule[1]}`;
  return path;
};
