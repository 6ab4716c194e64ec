import { Badge, Tooltip } from '@mantine/core';
import { IconFlag3Filled } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ApiRecord } from '../../api/types.ts';
import { stalledReasonsOf, stalledSeverityOf, STALLED_REASONS, type StalledReason } from './sales-model.ts';

const Flag = ({ reasons, severity, variant }: { reasons: string[]; severity: 'red' | 'orange'; variant: 'icon' | 'badge' }) => {
  const { t } = useTranslation();
  const text = reasons.map((reason) => ((STALLED_REASONS as readonly string[]).includes(reason) ? t(`sales.attention.reasons.${reason as StalledReason}`) : reason)).join(', ');
  const label = t('sales.attention.flag', { reasons: text });
  const colour = `var(--mantine-color-${severity}-${severity === 'red' ? 7 : 6})`;
  return (
    <Tooltip label={label} withArrow multiline maw={260} openDelay={150}>
      {variant === 'badge' ? (
        <Badge size="sm" variant="light" color={severity} tt="none" leftSection={<IconFlag3Filled size={12} aria-hidden />} role="img" aria-label={label} data-stalled={severity} style={{ alignSelf: 'flex-start' }}>
          {t('sales.attention.short')}
        </Badge>
      ) : (
        <span role="img" aria-label={label} data-stalled={severity} style={{ display: 'inline-flex', color: colour, verticalAlign: 'middle', marginRight: 6 }}>
          <IconFlag3Filled size={14} aria-hidden />
        </span>
      )}
    </Tooltip>
  );
};

/**
 * A flag on a deal that needs attention (its `stalledReasons` is not empty): red when the close date has passed,
 * orange otherwise; the reasons are its tooltip and its accessible name. Nothing for other records (no hooks run).
 * `icon` for table rows, `badge` for board cards.
 */
export const StalledFlag = ({ record, variant = 'icon' }: { record: ApiRecord; variant?: 'icon' | 'badge' }) => {
  const reasons = stalledReasonsOf(record.stalledReasons);
  const severity = stalledSeverityOf(reasons);
  return severity ? <Flag reasons={reasons} severity={severity} variant={variant} /> : null;
};
