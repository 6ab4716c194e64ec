import type { ObjectDefinition } from '@rapport/common';
import { Group, MultiSelect, Select, Stack } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useObjects } from '../../../api/queries.ts';
import { RelationInput } from '../../field-types/relation-input.tsx';
import { isRecordId, parseReferenceText, referenceTargetsOf, soleTargetOf } from '../../field-types/reference-value.ts';
import { useLabels } from '../labels.ts';
import { LIST_OPS, type FilterRule, type FilterTarget } from './filter-model.ts';
import { useReferencedRecords } from './relation-titles.ts';

export interface ReferenceFilterInputProps {
  /** The object whose records are filtered. */
  object: ObjectDefinition;
  target: FilterTarget;
  rule: FilterRule;
  onChange(rule: FilterRule): void;
  isCompact: boolean;
}

const splitList = (text: string | undefined) => (text ?? '').split(',').map((part) => part.trim()).filter(Boolean);

/**
 * The value of a reference condition: for "Related to · Object is", the objects it may point to; for "Related to
 * is", the object first, then its records (picked by name, as a relation's). Picked records are written
 * `person:<id>` so the condition can name them; a saved filter's bare ids find their object through a record
 * pointing at them.
 */
export const ReferenceFilterInput = ({ object, target, rule, onChange, isCompact }: ReferenceFilterInputProps) => {
  const { t } = useTranslation();
  const labels = useLabels();
  const objects = useObjects().data ?? [];
  const isList = LIST_OPS.has(rule.op);
  const options = useMemo(
    () => referenceTargetsOf(target.field, objects).map((candidate) => ({ value: candidate.name, label: labels.objectSingular(candidate) })).sort((a, b) => a.label.localeCompare(b.label)),
    [target.field, objects, labels],
  );
  const fieldLabel = labels.field(object, target.field);
  const labelled = (text: string) => (isCompact ? { 'aria-label': text } : { label: text });
  const set = (value: string) => onChange({ ...rule, value });
  const values = isList ? splitList(rule.value) : rule.value ? [rule.value.trim()] : [];

  // Hooks run for both parts; only the record part has ids to name.
  const bareKey = target.part === 'object' ? '' : values.filter(isRecordId).map((id) => id.toLowerCase()).join(',');
  const bareIds = useMemo(() => new Map(bareKey ? [[target.field.name, bareKey.split(',')]] : []), [target.field.name, bareKey]);
  const found = useReferencedRecords(object.name, bareIds);
  const objectOfValue = (text: string) => parseReferenceText(text)?.object ?? found.get(text.toLowerCase())?.reference.object;
  const [picked, setPicked] = useState<string | undefined>();
  const chosen = picked ?? values.map(objectOfValue).find(Boolean) ?? soleTargetOf(target.field) ?? (options.length === 1 ? options[0]!.value : undefined);

  if (target.part === 'object') {
    const data = [...options, ...values.filter((name) => !options.some((option) => option.value === name)).map((name) => ({ value: name, label: name }))];
    const label = t('filters.referenceObject');
    return isList ? (
      <MultiSelect {...labelled(label)} data={data} value={values} onChange={(next) => set(next.join(', '))} searchable comboboxProps={{ withinPortal: false }} />
    ) : (
      <Select {...labelled(label)} data={data} value={rule.value || null} onChange={(next) => set(next ?? '')} searchable comboboxProps={{ withinPortal: false }} />
    );
  }

  const ofChosen = values.filter((text) => objectOfValue(text) === chosen || (isRecordId(text) && !objectOfValue(text)));
  const others = values.filter((text) => !ofChosen.includes(text));
  const ids = ofChosen.map((text) => parseReferenceText(text)?.id ?? text.toLowerCase());
  const write = (next: string[]) => set([...others, ...next.map((id) => `${chosen}:${id}`)].join(', '));
  const objectSelect = soleTargetOf(target.field) ? null : (
    <Select
      {...labelled(t('filters.referenceObject'))}
      placeholder={t('filters.referenceObject')}
      data={options}
      value={chosen ?? null}
      onChange={(next) => {
        setPicked(next ?? undefined);
        // Records of another object are no answer to the new one.
        if (next !== chosen) set(others.join(', '));
      }}
      searchable
      comboboxProps={{ withinPortal: false }}
      w={isCompact ? 124 : undefined}
    />
  );
  const recordInput = chosen ? (
    <RelationInput
      key={chosen}
      field={{ ...target.field, type: 'relation', options: { target: chosen, kind: 'manyToOne' } }}
      objects={objects}
      label={isList ? t('savedViews.filterValues') : t('form.referenceRecord', { field: fieldLabel })}
      isLabelHidden={isCompact}
      withinPortal={false}
      value={isList ? ids : (ids[0] ?? '')}
      onChange={(next) => write(Array.isArray(next) ? next : next ? [next] : [])}
    />
  ) : null;
  return isCompact ? (
    <Group gap={6} wrap="nowrap" align="flex-start">
      {objectSelect}
      {recordInput ? <div style={{ flex: 1, minWidth: 0 }}>{recordInput}</div> : null}
    </Group>
  ) : (
    <Stack gap="xs">
      {objectSelect}
      {recordInput}
    </Stack>
  );
};
