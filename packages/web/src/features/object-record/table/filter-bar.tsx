import { RELATIVE_DATES, type ComparisonOp, type ObjectDefinition } from '@rapport/common';
import { ActionIcon, Badge, Button, Group, Popover, Select, Stack, TextInput } from '@mantine/core';
import { IconFilter, IconSearch, IconX } from '@tabler/icons-react';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLabels } from '../labels.ts';
import { FilterBuilder } from './filter-builder.tsx';
import { filterTargetsOf, isRuleGroup, LIST_OPS, NO_VALUE_OPS, toCondition, type FilterItem, type FilterRule, type FilterTarget } from './filter-model.ts';
import { FilterValueInput } from './filter-value-input.tsx';
import { useRelationTitles } from './relation-titles.ts';
import { useObjects, useUsers } from '../../../api/queries.ts';
import { findObject } from '../metadata.ts';
import { parseReferenceText, referenceToText } from '../../field-types/reference-value.ts';
import { useFilterTargetLabel } from './filter-target-label.ts';

export interface FilterBarProps {
  object: ObjectDefinition;
  rules: FilterItem[];
  /** How the top-level rules combine. */
  match: 'and' | 'or';
  onRulesChange(rules: FilterItem[], match?: 'and' | 'or'): void;
  quickSearch: string;
  onQuickSearchChange(value: string): void;
}

/** Quick search plus conditions on fields; together they make the query language's JSON filter. */
export const FilterBar = ({ object, rules, match, onRulesChange, quickSearch, onQuickSearchChange }: FilterBarProps) => {
  const { t } = useTranslation();
  const labels = useLabels();
  const targets = useMemo(() => filterTargetsOf(object), [object]);
  const targetLabel = useFilterTargetLabel(object);
  const objects = useObjects().data;
  const [isOpen, setIsOpen] = useState(false);
  const [draft, setDraft] = useState<FilterRule>({ field: '', op: 'contains', value: '' });
  const target = targets.find((candidate) => candidate.path === draft.field);
  const isDraftComplete = Boolean(target && toCondition(target, draft));

  const relationTitles = useRelationTitles(object.name, targets, rules);
  const users = useUsers();
  const describeValue = (ruleTarget: FilterTarget, text: string) => {
    if (ruleTarget.kind === 'relation') return relationTitles.get(text) ?? text;
    if (ruleTarget.kind === 'reference') {
      // "Person", or the record's title ("Ada Lovelace"), else its object and the start of its id.
      if (ruleTarget.part === 'object') {
        const named = findObject(objects, text);
        return named ? labels.objectSingular(named) : text;
      }
      const reference = parseReferenceText(text);
      const title = relationTitles.get(reference ? referenceToText(reference) : text.trim().toLowerCase());
      if (title) return title;
      const named = findObject(objects, reference?.object);
      const id = reference?.id ?? text;
      return named ? `${labels.objectSingular(named)} ${id.slice(0, 8)}` : id.slice(0, 8);
    }
    // An owner rule holds a user's id: the chip names the user.
    if (ruleTarget.kind === 'owner') {
      const user = users.data?.find((candidate) => candidate.id === text);
      return user ? user.name || user.email || text : text;
    }
    const choice = ruleTarget.field.options?.choices?.find((candidate) => candidate.value === text);
    return choice ? labels.choice(object, ruleTarget.field, choice) : text;
  };
  const describe = (item: FilterItem): string => {
    if (isRuleGroup(item)) {
      const joiner = ` ${t(item.match === 'or' ? 'savedViews.or' : 'savedViews.and')} `;
      return `(${item.items.map(describe).join(joiner)})`;
    }
    const rule = item;
    const ruleTarget = targets.find((candidate) => candidate.path === rule.field);
    if (!ruleTarget) return rule.field;
    let value = rule.value ?? '';
    if (rule.op === 'during') value = t(`filters.periods.${value as (typeof RELATIVE_DATES)[number]}`);
    else if (rule.op === 'between') value = t('savedViews.range', { low: value, high: rule.value2 ?? '' });
    else if (LIST_OPS.has(rule.op)) value = value.split(',').map((part) => describeValue(ruleTarget, part.trim())).join(', ');
    else if (ruleTarget.kind === 'relation' || ruleTarget.kind === 'owner' || ruleTarget.kind === 'reference') value = describeValue(ruleTarget, value);
    else if (ruleTarget.kind === 'boolean') value = value === 'true' ? t('fieldValue.yes') : t('fieldValue.no');
    else if (ruleTarget.kind === 'select' || ruleTarget.kind === 'multiSelect') {
      const choice = ruleTarget.field.options?.choices?.find((candidate) => candidate.value === value);
      if (choice) value = labels.choice(object, ruleTarget.field, choice);
    }
    return [targetLabel(ruleTarget), t(`filters.ops.${rule.op}`), NO_VALUE_OPS.has(rule.op) ? '' : value].filter(Boolean).join(' ');
  };

  const onAdd = (event: FormEvent) => {
    event.preventDefault();
    if (!isDraftComplete) return;
    onRulesChange([...rules, NO_VALUE_OPS.has(draft.op) ? { field: draft.field, op: draft.op } : draft], match);
    setDraft({ field: '', op: 'contains', value: '' });
    setIsOpen(false);
  };

  return (
    <Stack gap="xs">
      <Group gap="sm" wrap="wrap">
        <TextInput
          aria-label={t('filters.quickSearchLabel', { name: labels.objectPlural(object) })}
          placeholder={t('filters.quickSearch')}
          leftSection={<IconSearch size={16} aria-hidden />}
          value={quickSearch}
          onChange={(event) => onQuickSearchChange(event.currentTarget.value)}
          w={{ base: '100%', xs: 280 }}
          rightSection={
            quickSearch ? (
              <ActionIcon variant="subtle" color="gray" aria-label={t('filters.clearSearch')} onClick={() => onQuickSearchChange('')}>
                <IconX size={14} aria-hidden />
              </ActionIcon>
            ) : null
          }
        />
        <Popover opened={isOpen} onChange={setIsOpen} position="bottom-start" shadow="md" trapFocus withinPortal>
          <Popover.Target>
            <Button variant="default" leftSection={<IconFilter size={16} aria-hidden />} onClick={() => setIsOpen((open) => !open)} aria-expanded={isOpen}>
              {t('filters.add')}
            </Button>
          </Popover.Target>
          <Popover.Dropdown>
            <form onSubmit={onAdd} aria-label={t('filters.add')}>
              <Stack gap="xs" w={280}>
                <Select
                  label={t('filters.field')}
                  data={targets.map((candidate) => ({ value: candidate.path, label: targetLabel(candidate) }))}
                  value={draft.field || null}
                  onChange={(path) => {
                    const next = targets.find((candidate) => candidate.path === path);
                    setDraft({ field: path ?? '', op: next?.ops[0] ?? 'eq', value: '' });
                  }}
                  searchable
                  comboboxProps={{ withinPortal: false }}
                />
                {target ? (
                  <Select
                    label={t('filters.operator')}
                    data={target.ops.map((op) => ({ value: op, label: t(`filters.ops.${op}`) }))}
                    value={draft.op}
                    onChange={(op) => setDraft({ ...draft, op: (op ?? target.ops[0]) as ComparisonOp, value: '' })}
                    allowDeselect={false}
                    comboboxProps={{ withinPortal: false }}
                  />
                ) : null}
                {target && !NO_VALUE_OPS.has(draft.op) ? <FilterValueInput object={object} target={target} rule={draft} onChange={setDraft} /> : null}
                <Button type="submit" disabled={!isDraftComplete}>
                  {t('filters.apply')}
                </Button>
              </Stack>
            </form>
          </Popover.Dropdown>
        </Popover>
        <FilterBuilder object={object} rules={rules} match={match} onApply={onRulesChange} />
        {rules.length > 0 ? (
          <Button variant="subtle" color="gray" onClick={() => onRulesChange([], 'and')}>
            {t('filters.clearAll')}
          </Button>
        ) : null}
      </Group>
      {rules.length > 0 ? (
        <Group gap={6} aria-label={t('filters.active')} role="list">
          {rules.length > 1 && match === 'or' ? (
            <Badge role="listitem" variant="outline" color="gray" size="lg" radius="sm" tt="none">
              {t('savedViews.anyOf')}
            </Badge>
          ) : null}
          {rules.map((rule, index) => (
            <Badge
              key={`${index}-${JSON.stringify(rule)}`}
              role="listitem"
              variant="light"
              size="lg"
              radius="sm"
              tt="none"
              rightSection={
                <ActionIcon size="xs" variant="transparent" aria-label={t('filters.remove', { condition: describe(rule) })} onClick={() => onRulesChange(rules.filter((_, other) => other !== index), match)}>
                  <IconX size={12} aria-hidden />
                </ActionIcon>
              }
            >
              {describe(rule)}
            </Badge>
          ))}
        </Group>
      ) : null}
    </Stack>
  );
};
