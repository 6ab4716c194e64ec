import { useComputedColorScheme, useMantineTheme, VisuallyHidden } from '@mantine/core';
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { init, use, type ComposeOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/use-format.ts';

// Only what this chart draws: bars, a line, axes, tooltip and legend, as SVG (sharp at any zoom, no canvas).
use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

type Option = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

export interface ChartPoint {
  label: string;
  closedWon: number | null;
  quota: number | null;
}

/**
 * Closed won per period as bars, with the quota as a dashed line. The chart is a picture for the eyes; the same
 * figures are in a table for screen readers.
 */
export const ClosedWonChart = ({ points, currency, title }: { points: ChartPoint[]; currency: string; title: string }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const theme = useMantineTheme();
  const scheme = useComputedColorScheme('light');
  const element = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!element.current) return;
    const chart = init(element.current, undefined, { renderer: 'svg' });
    const text = scheme === 'dark' ? theme.colors.dark[1] : theme.colors.gray[7];
    const grid = scheme === 'dark' ? theme.colors.dark[4] : theme.colors.gray[2];
    const money = (value: number) => format.currency(value, currency, 0);
    const option: Option = {
      animationDuration: 300,
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0, textStyle: { color: text }, data: [t('sales.chart.closedWon'), t('sales.chart.quota')] },
      tooltip: { trigger: 'axis', valueFormatter: (value) => (typeof value === 'number' ? money(value) : '—') },
      xAxis: { type: 'category', data: points.map((point) => point.label), axisLabel: { color: text }, axisLine: { lineStyle: { color: grid } } },
      yAxis: {
        type: 'value',
        axisLabel: { color: text, formatter: (value: number) => new Intl.NumberFormat(format.locale, { notation: 'compact', style: 'currency', currency, maximumFractionDigits: 1 }).format(value) },
        splitLine: { lineStyle: { color: grid } },
      },
      series: [
        { name: t('sales.chart.closedWon'), type: 'bar', data: points.map((point) => point.closedWon), itemStyle: { color: theme.colors.teal[6], borderRadius: [4, 4, 0, 0] }, barMaxWidth: 48 },
        {
          name: t('sales.chart.quota'),
          type: 'line',
          data: points.map((point) => point.quota),
          connectNulls: false,
          symbol: 'circle',
          symbolSize: 7,
          lineStyle: { type: 'dashed', width: 2, color: theme.colors.orange[7] },
          itemStyle: { color: theme.colors.orange[7] },
        },
      ],
    };
    chart.setOption(option);
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [points, currency, scheme, theme, format, t]);

  return (
    <>
      <div ref={element} style={{ width: '100%', height: 260 }} aria-hidden data-chart="closed-won" />
      <VisuallyHidden>
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t('sales.scope.period')}</th>
              <th scope="col">{t('sales.chart.closedWon')}</th>
              <th scope="col">{t('sales.chart.quota')}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => (
              <tr key={point.label}>
                <th scope="row">{point.label}</th>
                <td>{point.closedWon === null ? '—' : format.currency(point.closedWon, currency)}</td>
                <td>{point.quota === null ? t('sales.forecast.noQuota') : format.currency(point.quota, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </VisuallyHidden>
    </>
  );
};
