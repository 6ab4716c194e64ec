import { randomUUID } from 'node:crypto';
import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { buildObjectMeta } from '../../metadata/metadata-store.ts';
import { toSnakeCase } from '../../metadata/naming.ts';
import type { FieldMeta, ObjectMeta, WorkspaceMeta } from '../../metadata/types.ts';

// Test data: metadata as the store would load it, without a database.

const toFieldMeta = (definition: FieldDefinition, objectName: string, position: number): FieldMeta => {
  const kind = definition.type === 'relation' ? (definition.options?.kind ?? 'manyToOne') : undefined;
  const isVirtual = kind !== undefined && kind !== 'manyToOne';
  return {
    ...definition,
    options: kind ? { ...definition.options, kind } : (definition.options ?? {}),
    id: randomUUID(),
    objectName,
    column: isVirtual ? '' : `${toSnakeCase(definition.name)}${kind === 'manyToOne' ? '_id' : ''}`,
    ...(kind === 'manyToMany' ? { junction: { table: `_j_${objectName}_${toSnakeCase(definition.name)}`, selfColumn: 'source_id', otherColumn: 'target_id' } } : {}),
    isReadOnly: definition.type === 'formula' || kind === 'oneToMany',
    position,
  };
};

/** An object definition (as modules ship them) as the engine sees it; inverse relation fields are added by `buildWorkspaceMeta`. */
export const toObjectMeta = (definition: ObjectDefinition, position = 0): ObjectMeta => {
  const { fields, ...rest } = definition;
  return buildObjectMeta(
    {
      id: randomUUID(),
      name: rest.name,
      table_name: toSnakeCase(rest.name),
      label_singular: rest.labelSingular,
      label_plural: rest.labelPlural,
      description: rest.description ?? null,
      icon: rest.icon ?? null,
      label_field: rest.labelField ?? null,
      is_standard: rest.isStandard ?? false,
      validation_rules: rest.validationRules ?? [],
      indexes: [],
      position,
    },
    fields.map((field, index) => toFieldMeta(field, rest.name, index)),
  );
};

/** The inverse fields relations create on their targets (people on company, opportunities on person...). */
const withInverseFields = (definitions: ObjectDefinition[]): ObjectDefinition[] => {
  const fieldsOf = new Map(definitions.map((definition) => [definition.name, [...definition.fields]]));
  for (const definition of definitions) {
    for (const field of definition.fields) {
      const targetFields = fieldsOf.get(field.options?.target ?? '');
      const inverseName = field.options?.inverseName;
      if (field.type !== 'relation' || !targetFields || !inverseName || targetFields.some((f) => f.name === inverseName)) continue;
      targetFields.push({
        name: inverseName,
        type: 'relation',
        label: field.options?.inverseLabel ?? definition.labelPlural,
        options: { target: definition.name, kind: (field.options?.kind ?? 'manyToOne') === 'manyToOne' ? 'oneToMany' : 'manyToMany', inverseName: field.name },
      });
    }
  }
  return definitions.map((definition) => ({ ...definition, fields: fieldsOf.get(definition.name) ?? definition.fields }));
};

export interface BuildWorkspaceMetaOptions {
  objects: ObjectDefinition[];
  name?: string;
  version?: number;
  id?: string;
}

export const buildWorkspaceMeta = ({ objects, name = 'Acme', version = 1, id = randomUUID() }: BuildWorkspaceMetaOptions): WorkspaceMeta => ({
  id,
  name,
  schema: `ws_test_${id.slice(0, 8)}`,
  timezone: 'Europe/Paris',
  defaultCurrency: 'EUR',
  version,
  objects: new Map(withInverseFields(objects).map((definition, position) => [definition.name, toObjectMeta(definition, position)])),
});
