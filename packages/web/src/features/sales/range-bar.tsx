import { Group, Text } from '@mantine/core';
import type React from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/use-format.ts';
import type { Forecast } from './sales-api.ts';
import { rangeGeometry } from './sales-model.ts';
import classes from './sales.module.css';

/** A label over a mark: centred on it, or ending at it near the right edge and starting at it near the left one (never cut off). */
const labelAt = (position: number): React.CSSProperties => ({
  left: `${position}%`,
  transform: position > 80 ? 'translateX(-100%)' : position < 20 ? 'none' : 'translateX(-50%)',
});

/**
 * The likely range of the period: closed won as the solid start, the band from the worst case to the best outcome,
 * the expected figure marked and the quota as a dashed line. Its accessible name says the same in words.
 */
export const RangeBar = ({ forecast }: { forecast: Forecast }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const money = (value: number) => format.currency(value, forecast.currency, 0);
  const geometry = rangeGeometry(forecast);
  const closed = Math.min(100, (forecast.closedWon / geometry.scale) * 100);
  const summary = t(forecast.quota === null ? 'sales.range.summaryNoQuota' : 'sales.range.summary', {
    worst: money(forecast.worstCase),
    best: money(forecast.bestOutcome),
    expected: money(forecast.expected),
    quota: forecast.quota === null ? '' : money(forecast.quota),
  });
  return (
    <div>
      <div className={classes.rangeTrack} role="img" aria-label={summary} data-range>
        {closed > 0 ? <div className={classes.rangeClosed} style={{ width: `${closed}%` }} /> : null}
        <div className={classes.rangeBand} style={{ left: `${geometry.left}%`, width: `${geometry.width}%` }} />
        <div className={classes.rangeExpected} style={{ left: `${geometry.expected}%` }} />
        <span className={classes.rangeExpectedLabel} style={labelAt(geometry.expected)} aria-hidden>
          {t('sales.range.expectedShort', { amount: money(forecast.expected) })}
        </span>
        {geometry.quota !== null ? (
          <>
            <div className={classes.rangeQuota} style={{ left: `${geometry.quota}%` }} />
            <span className={classes.rangeQuotaLabel} style={labelAt(geometry.quota)} aria-hidden>
              {t('sales.range.quotaShort', { amount: money(forecast.quota!) })}
            </span>
          </>
        ) : null}
      </div>
      <Group gap="lg" wrap="wrap" aria-hidden>
        <Text size="xs" c="dimmed">
          <span className={`${classes.legendSwatch} ${classes.swatchClosed}`} />
          {t('sales.range.closedWon', { amount: money(forecast.closedWon) })}
        </Text>
        <Text size="xs" c="dimmed">
          <span className={`${classes.legendSwatch} ${classes.swatchBand}`} />
          {t('sales.range.band', { worst: money(forecast.worstCase), best: money(forecast.bestOutcome) })}
        </Text>
      </Group>
    </div>
  );
};
