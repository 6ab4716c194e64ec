import { RELATIVE_DATES, type ComparisonOp, type ObjectDefinition } from '@rapport/common';
import { Group, MultiSelect, Select, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useObjects, useUsers } from '../../../api/queries.ts';
import { RelationInput } from '../../field-types/relation-input.tsx';
import { useLabels } from '../labels.ts';
import { LIST_OPS, type FilterRule, type FilterTarget } from './filter-model.ts';
import { ReferenceFilterInput } from './reference-filter-input.tsx';

export interface FilterValueInputProps {
  object: ObjectDefinition;
  target: FilterTarget;
  rule: FilterRule;
  onChange(rule: FilterRule): void;
  /** Labels only for screen readers (rows of the builder), or visible (the quick popover). */
  isCompact?: boolean;
}

const splitList = (text: string | undefined) => (text ?? '').split(',').map((part) => part.trim()).filter(Boolean);

/** The value (or values: lists, ranges) of one condition, with the editor its field type needs. */
export const FilterValueInput = ({ object, target, rule, onChange, isCompact = false }: FilterValueInputProps) => {
  const { t } = useTranslation();
  const labels = useLabels();
  const users = useUsers();
  const objects = useObjects().data ?? [];
  const { op } = rule;
  const label = t('filters.value');
  const text = (value: string) => ({ ...(isCompact ? { 'aria-label': value } : { label: value }) });
  const set = (value: string) => onChange({ ...rule, value });
  const noPortal = { comboboxProps: { withinPortal: false } };

  if (op === 'during') {
    return <Select {...text(label)} data={RELATIVE_DATES.map((period) => ({ value: period, label: t(`filters.periods.${period}`) }))} value={rule.value || null} onChange={(next) => set(next ?? '')} {...noPortal} />;
  }
  if (op === 'inLastDays' || op === 'inNextDays') return <TextInput {...text(t('filters.days'))} type="number" min={1} value={rule.value ?? ''} onChange={(event) => set(event.currentTarget.value)} />;

  if (target.kind === 'reference') return <ReferenceFilterInput object={object} target={target} rule={rule} onChange={onChange} isCompact={isCompact} />;
  if (target.kind === 'relation') {
    const isList = LIST_OPS.has(op);
    return (
      <RelationInput
        field={target.field}
        objects={objects}
        label={isList ? t('savedViews.filterValues') : label}
        isLabelHidden={isCompact}
        withinPortal={false}
        value={isList ? splitList(rule.value) : (rule.value ?? '')}
        onChange={(next) => set(Array.isArray(next) ? next.join(', ') : next)}
      />
    );
  }
  const choices =
    target.kind === 'select' || target.kind === 'multiSelect'
      ? (target.field.options?.choices ?? []).map((choice) => ({ value: choice.value, label: labels.choice(object, target.field, choice) }))
      : target.kind === 'owner'
        ? (users.data ?? []).map((user) => ({ value: user.id, label: user.name || user.email || user.id }))
        : undefined;
  if (choices && LIST_OPS.has(op)) {
    return <MultiSelect {...text(t('savedViews.filterValues'))} data={choices} value={splitList(rule.value)} onChange={(values) => set(values.join(', '))} searchable {...noPortal} />;
  }
  if (choices) return <Select {...text(label)} data={choices} value={rule.value || null} onChange={(next) => set(next ?? '')} searchable {...noPortal} />;
  if (target.kind === 'boolean') {
    return <Select {...text(label)} data={[{ value: 'true', label: t('fieldValue.yes') }, { value: 'false', label: t('fieldValue.no') }]} value={rule.value || null} onChange={(next) => set(next ?? '')} {...noPortal} />;
  }
  const isDate = target.kind === 'date' || target.kind === 'datetime';
  const isNumber = target.kind === 'number' || target.kind === 'percent' || target.kind === 'rating' || target.kind === 'currency';
  const inputProps = isDate ? { type: 'date' } : isNumber ? { inputMode: 'decimal' as const } : {};
  if (op === 'between') {
    return (
      <Group gap={6} wrap="nowrap" grow>
        <TextInput {...text(t('savedViews.from'))} {...inputProps} value={rule.value ?? ''} onChange={(event) => set(event.currentTarget.value)} />
        <TextInput {...text(t('savedViews.to'))} {...inputProps} value={rule.value2 ?? ''} onChange={(event) => onChange({ ...rule, value2: event.currentTarget.value })} />
      </Group>
    );
  }
  if (target.kind === 'json') {
    return <TextInput {...text(label)} placeholder={t('filters.jsonContainsHint')} value={rule.value ?? ''} onChange={(event) => set(event.currentTarget.value)} />;
  }
  if (LIST_OPS.has(op as ComparisonOp)) {
    return <TextInput {...text(t('savedViews.filterValues'))} placeholder={t('savedViews.listHint')} value={rule.value ?? ''} onChange={(event) => set(event.currentTarget.value)} />;
  }
  return <TextInput {...text(label)} {...inputProps} value={rule.value ?? ''} onChange={(event) => set(event.currentTarget.value)} />;
};
