import type { SelectChoice } from '@rapport/common';
import { ActionIcon, Button, ColorSwatch, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { CHOICE_COLORS, moveItem, toChoiceValue } from './designer-model.ts';

export interface ChoicesEditorProps {
  choices: SelectChoice[];
  onChange(choices: SelectChoice[]): void;
  /** Values of choices already saved: they keep their value (records hold it). */
  savedValues: ReadonlySet<string>;
  error?: string | undefined;
}

/** The choices of a select: label, value (from the label until saved), colour, order (up and down buttons). */
export const ChoicesEditor = ({ choices, onChange, savedValues, error }: ChoicesEditorProps) => {
  const { t } = useTranslation();
  const update = (index: number, change: Partial<SelectChoice>) => onChange(choices.map((choice, i) => (i === index ? { ...choice, ...change } : choice)));
  const colorOptions = CHOICE_COLORS.map((color) => ({ value: color, label: t(`designer.colors.${color}`) }));

  return (
    <Stack gap="xs" role="group" aria-label={t('designer.choices.title')}>
      <Text size="sm" fw={500}>{t('designer.choices.title')}</Text>
      {choices.length === 0 ? <Text size="sm" c="dimmed">{t('designer.choices.empty')}</Text> : null}
      {choices.map((choice, index) => {
        const position = { n: index + 1 };
        return (
          <Group key={index} gap="xs" wrap="nowrap" align="flex-end">
            <TextInput
              label={t('designer.choices.label', position)}
              value={choice.label}
              onChange={(event) => {
                const label = event.currentTarget.value;
                update(index, { label, ...(savedValues.has(choice.value) ? {} : { value: toChoiceValue(label) }) });
              }}
              style={{ flex: 2 }}
            />
            <TextInput
              label={t('designer.choices.value', position)}
              value={choice.value}
              readOnly={savedValues.has(choice.value)}
              onChange={(event) => update(index, { value: event.currentTarget.value })}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              style={{ flex: 1.5 }}
            />
            <Select
              label={t('designer.choices.color', position)}
              data={colorOptions}
              value={choice.color ?? null}
              onChange={(color) => update(index, color ? { color } : { color: '' })}
              leftSection={choice.color ? <ColorSwatch size={14} color={`var(--mantine-color-${choice.color}-filled)`} aria-hidden /> : null}
              renderOption={({ option }) => (
                <Group gap="xs">
                  <ColorSwatch size={14} color={`var(--mantine-color-${option.value}-filled)`} aria-hidden />
                  {option.label}
                </Group>
              )}
              clearable
              style={{ flex: 1.5 }}
            />
            <ActionIcon variant="default" size="lg" onClick={() => onChange(moveItem(choices, index, index - 1))} disabled={index === 0} aria-label={t('designer.choices.moveUp', { name: choice.label || position.n })}>
              <IconArrowUp size={16} aria-hidden />
            </ActionIcon>
            <ActionIcon variant="default" size="lg" onClick={() => onChange(moveItem(choices, index, index + 1))} disabled={index === choices.length - 1} aria-label={t('designer.choices.moveDown', { name: choice.label || position.n })}>
              <IconArrowDown size={16} aria-hidden />
            </ActionIcon>
            <ActionIcon variant="default" size="lg" color="red" onClick={() => onChange(choices.filter((_, i) => i !== index))} aria-label={t('designer.choices.remove', { name: choice.label || position.n })}>
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          </Group>
        );
      })}
      {error ? <Text size="sm" c="var(--mantine-color-error)" role="alert">{error}</Text> : null}
      <Group>
        <Button variant="default" size="compact-sm" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => onChange([...choices, { value: '', label: '', color: CHOICE_COLORS[(choices.length + 6) % CHOICE_COLORS.length]! }])}>
          {t('designer.choices.add')}
        </Button>
      </Group>
    </Stack>
  );
};
