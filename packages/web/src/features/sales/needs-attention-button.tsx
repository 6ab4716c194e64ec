import { Button } from '@mantine/core';
import type { ObjectDefinition } from '@rapport/common';
import { IconFlag3 } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { isNeedsAttention, NEEDS_ATTENTION_RULES } from './sales-model.ts';

/**
 * The opportunity table's one-click preset: the deals whose stalled-deal check found something (`stalledReasons` is
 * not empty). A second click clears it. Shown only for objects with that field.
 */
export const NeedsAttentionButton = ({ object }: { object: ObjectDefinition }) => {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  if (!object.fields.some((field) => field.name === 'stalledReasons')) return null;
  const isOn = isNeedsAttention(params.get('filter'));
  return (
    <Button
      size="xs"
      radius="xl"
      variant={isOn ? 'filled' : 'default'}
      color="orange.4"
      autoContrast
      leftSection={<IconFlag3 size={14} aria-hidden color={isOn ? undefined : 'var(--mantine-color-orange-7)'} />}
      aria-pressed={isOn}
      onClick={() =>
        setParams(
          (previous) => {
            const next = new URLSearchParams(previous);
            if (isOn) next.delete('filter');
            else next.set('filter', JSON.stringify(NEEDS_ATTENTION_RULES));
            next.delete('match');
            return next;
          },
          { replace: true },
        )
      }
    >
      {t('sales.attention.preset')}
    </Button>
  );
};
