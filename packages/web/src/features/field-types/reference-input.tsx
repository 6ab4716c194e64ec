import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { Group, Input, Select } from '@mantine/core';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiRecord } from '../../api/types.ts';
import { useLabels } from '../object-record/labels.ts';
import type { ReferenceFormValue } from './form-values.ts';
import { referenceTargetsOf, soleTargetOf } from './reference-value.ts';
import { RelationInput } from './relation-input.tsx';

export interface ReferenceInputProps {
  field: FieldDefinition;
  label: string;
  description?: string | undefined;
  required?: boolean | undefined;
  error?: string | undefined;
  objects: readonly ObjectDefinition[];
  value: ReferenceFormValue;
  onChange(value: ReferenceFormValue): void;
  /** The record read with the value (`include`), to name it without asking. */
  initialRecord?: ApiRecord | undefined;
}

/**
 * Picks a record of any object (or of the field's `options.targets`): the object first, among those the person may
 * read, then one of its records by name (the relation picker, with that object as its target). Either clears.
 */
export const ReferenceInput = ({ field, label, description, required, error, objects, value, onChange, initialRecord }: ReferenceInputProps) => {
  const { t } = useTranslation();
  const labels = useLabels();
  const labelId = useId();
  const errorId = useId();
  const sole = soleTargetOf(field);
  const options = useMemo(() => {
    const readable = referenceTargetsOf(field, objects).map((object) => ({ value: object.name, label: labels.objectSingular(object) }));
    // A value pointing to an object no longer offered (its targets changed) still shows what it is.
    if (value.object && !readable.some((option) => option.value === value.object)) readable.push({ value: value.object, label: value.object });
    return readable.sort((a, b) => a.label.localeCompare(b.label));
  }, [field, objects, labels, value.object]);
  const object = sole ?? value.object;
  const record = (
    <RelationInput
      // Another object is another list of records.
      key={object}
      field={{ ...field, type: 'relation', options: { target: object, kind: 'manyToOne' } }}
      objects={objects}
      label={sole ? label : t('form.referenceRecord', { field: label })}
      isLabelHidden={!sole}
      description={sole ? description : undefined}
      required={sole ? required : undefined}
      error={sole ? error : error ? true : undefined}
      describedBy={!sole && error ? errorId : undefined}
      value={value.id}
      onChange={(id) => onChange({ object, id: typeof id === 'string' ? id : (id[0] ?? '') })}
      disabled={!object}
      placeholder={object ? undefined : t('form.referenceChooseObject')}
      {...(initialRecord && initialRecord.id === value.id ? { initialRecords: [initialRecord] } : {})}
    />
  );
  // One object only: its records, as a relation.
  if (sole) return record;
  return (
    <Input.Wrapper
      label={label}
      description={description}
      required={required}
      error={error}
      labelElement="div"
      labelProps={{ id: labelId }}
      errorProps={{ id: errorId }}
      role="group"
      aria-labelledby={labelId}
    >
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Select
          aria-label={t('form.referenceObject', { field: label })}
          placeholder={t('filters.referenceObject')}
          data={options}
          value={value.object || null}
          onChange={(next) => onChange({ object: next ?? '', id: next === value.object ? value.id : '' })}
          error={Boolean(error) && !value.object}
          searchable
          clearable
          w={150}
          style={{ flex: 'none' }}
        />
        <div style={{ flex: 1, minWidth: 0 }}>{record}</div>
      </Group>
    </Input.Wrapper>
  );
};
