import type { ComparisonOp, ObjectDefinition } from '@rapport/common';
import { ActionIcon, Button, Group, Modal, Paper, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { IconFilterCog, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLabels } from '../labels.ts';
import { filterTargetsOf, isRuleGroup, MAX_GROUP_DEPTH, NO_VALUE_OPS, type FilterItem, type FilterRule, type FilterRuleGroup, type FilterTarget } from './filter-model.ts';
import { FilterValueInput } from './filter-value-input.tsx';
import { useFilterTargetLabel } from './filter-target-label.ts';

export interface FilterBuilderProps {
  object: ObjectDefinition;
  rules: FilterItem[];
  match: 'and' | 'or';
  onApply(rules: FilterItem[], match: 'and' | 'or'): void;
}

interface EditorContext {
  object: ObjectDefinition;
  targets: FilterTarget[];
  targetLabel(target: FilterTarget): string;
}

const emptyRule = (): FilterRule => ({ field: '', op: 'contains', value: '' });

const RuleRow = ({ context, rule, onChange, onRemove }: { context: EditorContext; rule: FilterRule; onChange(rule: FilterRule): void; onRemove(): void }) => {
  const { t } = useTranslation();
  const target = context.targets.find((candidate) => candidate.path === rule.field);
  return (
    <Group gap={6} align="flex-start" wrap="wrap" data-filter-rule>
      <Select
        aria-label={t('filters.field')}
        placeholder={t('filters.field')}
        data={context.targets.map((candidate) => ({ value: candidate.path, label: context.targetLabel(candidate) }))}
        value={rule.field || null}
        onChange={(path) => {
          const next = context.targets.find((candidate) => candidate.path === path);
          onChange({ field: path ?? '', op: next?.ops[0] ?? 'eq', value: '' });
        }}
        searchable
        w={190}
        comboboxProps={{ withinPortal: false }}
      />
      {target ? (
        <Select
          aria-label={t('filters.operator')}
          data={target.ops.map((op) => ({ value: op, label: t(`filters.ops.${op}`) }))}
          value={rule.op}
          onChange={(op) => onChange({ field: rule.field, op: (op ?? target.ops[0]) as ComparisonOp, value: '' })}
          allowDeselect={false}
          w={210}
          comboboxProps={{ withinPortal: false }}
        />
      ) : null}
      {target && !NO_VALUE_OPS.has(rule.op) ? (
        <div style={{ flex: '1 1 160px', minWidth: 160 }}>
          <FilterValueInput object={context.object} target={target} rule={rule} onChange={onChange} isCompact />
        </div>
      ) : null}
      <ActionIcon variant="subtle" color="gray" size="lg" aria-label={t('savedViews.removeCondition')} onClick={onRemove}>
        <IconTrash size={16} aria-hidden />
      </ActionIcon>
    </Group>
  );
};

const GroupEditor = ({ context, group, depth, onChange, onRemove }: { context: EditorContext; group: FilterRuleGroup; depth: number; onChange(group: FilterRuleGroup): void; onRemove?: () => void }) => {
  const { t } = useTranslation();
  const setItem = (index: number, item: FilterItem) => onChange({ ...group, items: group.items.map((other, position) => (position === index ? item : other)) });
  const removeItem = (index: number) => onChange({ ...group, items: group.items.filter((_, position) => position !== index) });
  const content = (
    <Stack gap="xs">
      <Group gap="xs" justify="space-between">
        <Group gap="xs">
          <Text size="sm">{t('savedViews.matchPrefix')}</Text>
          <SegmentedControl
            size="xs"
            aria-label={t('savedViews.matchLabel')}
            value={group.match}
            onChange={(value) => onChange({ ...group, match: value as 'and' | 'or' })}
            data={[{ value: 'and', label: t('savedViews.matchAll') }, { value: 'or', label: t('savedViews.matchAny') }]}
          />
          <Text size="sm">{t('savedViews.matchSuffix')}</Text>
        </Group>
        {onRemove ? (
          <Button size="compact-xs" variant="subtle" color="gray" leftSection={<IconTrash size={14} aria-hidden />} onClick={onRemove}>
            {t('savedViews.removeGroup')}
          </Button>
        ) : null}
      </Group>
      {group.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('savedViews.emptyGroup')}
        </Text>
      ) : null}
      {group.items.map((item, index) =>
        isRuleGroup(item) ? (
          <GroupEditor key={index} context={context} group={item} depth={depth + 1} onChange={(next) => setItem(index, next)} onRemove={() => removeItem(index)} />
        ) : (
          <RuleRow key={index} context={context} rule={item} onChange={(next) => setItem(index, next)} onRemove={() => removeItem(index)} />
        ),
      )}
      <Group gap="xs">
        <Button size="compact-sm" variant="light" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => onChange({ ...group, items: [...group.items, emptyRule()] })}>
          {t('savedViews.addCondition')}
        </Button>
        {depth < MAX_GROUP_DEPTH ? (
          <Button size="compact-sm" variant="default" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => onChange({ ...group, items: [...group.items, { match: group.match === 'and' ? 'or' : 'and', items: [emptyRule()] }] })}>
            {t('savedViews.addGroup')}
          </Button>
        ) : null}
      </Group>
    </Stack>
  );
  return depth === 1 ? (
    content
  ) : (
    <Paper withBorder p="sm" radius="sm" role="group" aria-label={t('savedViews.groupLabel', { level: depth })} bg="var(--mantine-color-default-hover)">
      {content}
    </Paper>
  );
};

/** Nested and/or groups of conditions with every operator the query language has for each field. */
export const FilterBuilder = ({ object, rules, match, onApply }: FilterBuilderProps) => {
  const { t } = useTranslation();
  const labels = useLabels();
  const [isOpen, setIsOpen] = useState(false);
  const [draft, setDraft] = useState<FilterRuleGroup>({ match, items: rules });
  const targets = useMemo(() => filterTargetsOf(object), [object]);
  const targetLabel = useFilterTargetLabel(object);
  const context: EditorContext = { object, targets, targetLabel };
  const open = () => {
    setDraft({ match, items: rules.length > 0 ? rules : [emptyRule()] });
    setIsOpen(true);
  };
  return (
    <>
      <Button variant="default" leftSection={<IconFilterCog size={16} aria-hidden />} onClick={open}>
        {t('savedViews.filterBuilder')}
      </Button>
      <Modal opened={isOpen} onClose={() => setIsOpen(false)} title={t('savedViews.filterBuilderTitle', { name: labels.objectPlural(object) })} size="xl" closeButtonProps={{ 'aria-label': t('common.close') }}>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            // React passes events up through portals: a builder opened from another form (a dialog's) must not submit it.
            event.stopPropagation();
            onApply(draft.items, draft.match);
            setIsOpen(false);
          }}
        >
          <Stack gap="md">
            <GroupEditor context={context} group={draft} depth={1} onChange={setDraft} />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => setIsOpen(false)}>
                {t('common.cancel')}
              </Button>
              <Button type="submit">{t('filters.apply')}</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
};
