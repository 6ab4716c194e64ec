import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { ActionIcon, Button, Checkbox, Group, Popover, Stack, Text } from '@mantine/core';
import { IconChevronDown, IconChevronUp, IconLayoutCards } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useLabels } from '../labels.ts';
import { moveCardField, toggleCardField } from './kanban-model.ts';

export interface CardFieldsMenuProps {
  object: ObjectDefinition;
  /** Every field a card can show. */
  options: readonly FieldDefinition[];
  /** The fields the cards show now, in order. */
  shown: readonly string[];
  /** True when the cards show the board's default. */
  isDefault: boolean;
  /** New fields in order, or null for the default. */
  onChange(fields: string[] | null): void;
}

// Buttons with nothing to do look disabled but keep the focus their click just had (a disabled button
// would drop it, and Escape would no longer close the menu).
const MoveButton = ({ label, isDisabled, onMove, children }: { label: string; isDisabled: boolean; onMove(): void; children: React.ReactNode }) => (
  <ActionIcon size="sm" variant="subtle" color="gray" aria-label={label} aria-disabled={isDisabled || undefined} data-disabled={isDisabled || undefined} onClick={() => !isDisabled && onMove()}>
    {children}
  </ActionIcon>
);

/** Chooses the fields the board's cards show under their title, and their order (up and down buttons: the keyboard's way too). */
export const CardFieldsMenu = ({ object, options, shown, isDefault, onChange }: CardFieldsMenuProps) => {
  const { t } = useTranslation();
  const labels = useLabels();
  const byName = new Map(options.map((field) => [field.name, field]));
  // The shown fields first, in their order, then the others in the table's order.
  const listed = [...shown.flatMap((name) => byName.get(name) ?? []), ...options.filter((field) => !shown.includes(field.name))];
  return (
    <Popover position="bottom-start" withinPortal shadow="md" trapFocus>
      <Popover.Target>
        <Button variant="default" leftSection={<IconLayoutCards size={16} aria-hidden />}>
          {t('kanban.cardFields')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap={8} role="group" aria-label={t('kanban.cardFieldsLabel')} maw={300}>
          <Text size="xs" fw={600} c="dimmed">
            {t('kanban.cardFieldsLabel')}
          </Text>
          {listed.map((field) => {
            const name = labels.field(object, field);
            const index = shown.indexOf(field.name);
            const isShown = index >= 0;
            return (
              <Group key={field.name} gap={4} justify="space-between" wrap="nowrap">
                <Checkbox size="xs" label={name} checked={isShown} onChange={(event) => onChange(toggleCardField(shown, field.name, event.currentTarget.checked))} />
                {isShown ? (
                  <Group gap={0} wrap="nowrap">
                    <MoveButton label={t('kanban.moveFieldUp', { field: name })} isDisabled={index === 0} onMove={() => onChange(moveCardField(shown, field.name, -1))}>
                      <IconChevronUp size={14} aria-hidden />
                    </MoveButton>
                    <MoveButton label={t('kanban.moveFieldDown', { field: name })} isDisabled={index === shown.length - 1} onMove={() => onChange(moveCardField(shown, field.name, 1))}>
                      <IconChevronDown size={14} aria-hidden />
                    </MoveButton>
                  </Group>
                ) : null}
              </Group>
            );
          })}
          <Text size="xs" c="dimmed">
            {t('kanban.cardFieldsHelp')}
          </Text>
          <Button size="compact-xs" variant="subtle" aria-disabled={isDefault || undefined} data-disabled={isDefault || undefined} onClick={() => !isDefault && onChange(null)} style={{ alignSelf: 'flex-start' }}>
            {t('kanban.cardFieldsDefault')}
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
};
