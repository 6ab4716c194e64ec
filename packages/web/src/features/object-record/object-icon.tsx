import type { ObjectDefinition } from '@rapport/common';
import { ThemeIcon } from '@mantine/core';
import { IconBolt, IconBox, IconBuilding, IconCalendarEvent, IconCalendarPlus, IconCar, IconCheckbox, IconCoins, IconMessage, IconNote, IconPhone, IconShieldCheck, IconTarget, IconUser, type Icon } from '@tabler/icons-react';

// Metadata names an icon; the ones Rapport knows get their picture, others a box.
const ICONS: Record<string, Icon> = { building: IconBuilding, user: IconUser, target: IconTarget, checkbox: IconCheckbox, note: IconNote, car: IconCar, 'shield-check': IconShieldCheck, coins: IconCoins, calendar: IconCalendarEvent, 'calendar-plus': IconCalendarPlus, phone: IconPhone, message: IconMessage, bolt: IconBolt };

export const objectIconOf = (object: ObjectDefinition): Icon => ICONS[object.icon ?? ''] ?? IconBox;

export const ObjectIcon = ({ object, size = 'lg' }: { object: ObjectDefinition; size?: 'sm' | 'md' | 'lg' }) => {
  const Glyph = objectIconOf(object);
  return (
    <ThemeIcon variant="light" size={size} radius="md" aria-hidden>
      <Glyph size={size === 'lg' ? 20 : 16} />
    </ThemeIcon>
  );
};
