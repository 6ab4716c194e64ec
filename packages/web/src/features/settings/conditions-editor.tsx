import { ActionIcon, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { RELATIVE_DATES, type ComparisonOp, type Filter, type FilterCondition, type ObjectDefinition } from '@rapport/common';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { filterTargetsOf, NO_VALUE_OPS, type FilterRule, type FilterTarget } from '../object-record/table/filter-model.ts';
import { useFilterTargetLabel } from '../object-record/table/filter-target-label.ts';
import { ReferenceFilterInput } from '../object-record/table/reference-filter-input.tsx';
import { conditionsOf, isAdvancedFilter } from './admin-model.ts';

const useTargetLabel = useFilterTargetLabel;

/** A readable sentence for one stored condition, e.g. "Country is FR". */
export const useDescribeCondition = (object: ObjectDefinition | undefined) => {
  const { t } = useTranslation();
  const targetLabel = useTargetLabel(object ?? { name: '', labelSingular: '', labelPlural: '', fields: [] } as unknown as ObjectDefinition);
  const targets = useMemo(() => (object ? filterTargetsOf(object) : []), [object]);
  return (condition: FilterCondition) => {
    const target = targets.find((candidate) => candidate.path === condition.field);
    const value = condition.value === undefined || NO_VALUE_OPS.has(condition.op) ? '' : Array.isArray(condition.value) ? condition.value.join(', ') : String(condition.value);
    return [target ? targetLabel(target) : condition.field, t(`filters.ops.${condition.op}`), value].filter(Boolean).join(' ');
  };
};

const ValueInput = ({ object, target, rule, label, onChange }: { object: ObjectDefinition; target: FilterTarget; rule: FilterRule; label: string; onChange(value: string): void }) => {
  const { t } = useTranslation();
  const value = rule.value ?? '';
  if (NO_VALUE_OPS.has(rule.op)) return null;
  if (target.kind === 'reference') return <ReferenceFilterInput object={object} target={target} rule={rule} onChange={(next) => onChange(next.value ?? '')} isCompact={false} />;
  if (rule.op === 'during') return <Select label={label} data={RELATIVE_DATES.map((period) => ({ value: period, label: t(`filters.periods.${period}`) }))} value={value || null} onChange={(next) => onChange(next ?? '')} />;
  if (target.kind === 'boolean') return <Select label={label} data={[{ value: 'true', label: t('fieldValue.yes') }, { value: 'false', label: t('fieldValue.no') }]} value={value || null} onChange={(next) => onChange(next ?? '')} />;
  if (target.kind === 'select' || target.kind === 'multiSelect') {
    return <Select label={label} searchable data={(target.field.options?.choices ?? []).map((choice) => ({ value: choice.value, label: choice.label }))} value={value || null} onChange={(next) => onChange(next ?? '')} />;
  }
  const type = target.kind === 'date' || target.kind === 'datetime' ? 'date' : 'text';
  return <TextInput label={label} type={type} value={value} onChange={(event) => onChange(event.currentTarget.value)} />;
};

/** Conditions on the fields of one object (from its metadata), all of which must hold. */
export const ConditionsEditor = ({ object, rules, onChange, error }: { object: ObjectDefinition; rules: FilterRule[]; onChange(rules: FilterRule[]): void; error?: string | undefined }) => {
  const { t } = useTranslation();
  const targets = useMemo(() => filterTargetsOf(object), [object]);
  const targetLabel = useTargetLabel(object);
  const update = (index: number, patch: Partial<FilterRule>) => onChange(rules.map((rule, at) => (at === index ? { ...rule, ...patch } : rule)));

  return (
    <Stack gap="xs" role="group" aria-label={t('admin.sharing.conditions')}>
      <Text size="sm" fw={600}>{t('admin.sharing.conditions')}</Text>
      <Text size="xs" c="dimmed">{t('admin.sharing.conditionsHelp')}</Text>
      {rules.map((rule, index) => {
        const target = targets.find((candidate) => candidate.path === rule.field);
        const number = index + 1;
        return (
          <Group key={index} align="flex-end" gap="xs" wrap="nowrap">
            <Select
              label={t('admin.sharing.conditionField', { number })}
              searchable
              allowDeselect={false}
              data={targets.map((candidate) => ({ value: candidate.path, label: targetLabel(candidate) }))}
              value={rule.field || null}
              onChange={(path) => {
                const next = targets.find((candidate) => candidate.path === path);
                if (next) update(index, { field: next.path, op: next.ops[0]!, value: '' });
              }}
              style={{ flex: 2 }}
            />
            <Select
              label={t('filters.operator')}
              allowDeselect={false}
              disabled={!target}
              data={(target?.ops ?? []).map((op: ComparisonOp) => ({ value: op, label: t(`filters.ops.${op}`) }))}
              value={target ? rule.op : null}
              onChange={(op) => op && update(index, { op: op as ComparisonOp })}
              style={{ flex: 1.5 }}
            />
            <div style={{ flex: 2 }}>{target ? <ValueInput object={object} target={target} rule={rule} label={t('filters.value')} onChange={(value) => update(index, { value })} /> : null}</div>
            <ActionIcon variant="subtle" color="gray" size="lg" mb={2} aria-label={t('admin.sharing.removeCondition', { number })} onClick={() => onChange(rules.filter((_, at) => at !== index))}>
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          </Group>
        );
      })}
      {error ? <Text size="sm" c="var(--mantine-color-error)" role="alert">{error}</Text> : null}
      <Group>
        <Button variant="subtle" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => onChange([...rules, { field: '', op: 'eq', value: '' }])}>
          {t('admin.sharing.addCondition')}
        </Button>
      </Group>
    </Stack>
  );
};

/** The records a sharing rule or territory covers, as a sentence ("advanced" for or/not filters). */
export const FilterSummary = ({ object, filter }: { object: ObjectDefinition | undefined; filter: Filter }) => {
  const { t } = useTranslation();
  const describe = useDescribeCondition(object);
  if (isAdvancedFilter(filter)) return <Text size="sm" c="dimmed">{t('admin.sharing.advanced')}</Text>;
  const conditions = conditionsOf(filter);
  if (conditions.length === 0) return <Text size="sm" c="dimmed">{t('admin.sharing.allRecords')}</Text>;
  return <Text size="sm">{conditions.map(describe).join(` ${t('admin.sharing.and')} `)}</Text>;
};
