import { IsoDay } from '@ownops/backstage-plugin-common';
import { useMemo } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { numberFormat } from '../intlFormats';
import { ChartBox, seriesColor, stackDaily } from './charts';
import { shortDay } from './days';

/** Chart axis and tooltip amounts (plotted numbers, not exact totals). */
export function formatChartAmount(value: number, currency: string): string {
  try {
    return numberFormat({
      style: 'currency',
      currency,
      currencyDisplay: 'code',
      maximumFractionDigits: 2,
    })
      .format(value)
      .replace(/\u00a0/g, ' ');
  } catch {
    return `${value.toFixed(2)} ${currency}`;
  }
}

export function compactAmount(value: number): string {
  return numberFormat({
    notation: 'compact',
    maximumFractionDigits: 1,
  }).format(value);
}

/**
 * Daily cost in one currency as stacked bars, one stack segment per series,
 * with optional markers (e.g. deployments) as vertical lines.
 */
export function StackedDailyChart(props: {
  testId: string;
  label: string;
  currency: string;
  days: IsoDay[];
  /** In stacking order, bottom first. */
  series: Array<{ key: string; label: string }>;
  points: Array<{ day: IsoDay; series: string; value: number }>;
  markers?: Array<{ day: IsoDay; label: string }>;
  height?: number;
}) {
  const { currency, days, series, points, markers } = props;
  // Synthetic data keys: recharts reads "a.b" keys as paths.
  const keyed = useMemo(
    () => series.map((s, index) => ({ ...s, dataKey: `s${index}` })),
    [series],
  );
  const rows = useMemo(() => {
    const dataKeyOf = new Map(keyed.map(s => [s.key, s.dataKey]));
    return stackDaily(
      days,
      keyed.map(s => s.dataKey),
      points.flatMap(point => {
        const dataKey = dataKeyOf.get(point.series);
        return dataKey ? [{ ...point, series: dataKey }] : [];
      }),
    );
  }, [keyed, days, points]);
  return (
    <ChartBox testId={props.testId} label={props.label} height={props.height}>
      <BarChart data={rows} margin={{ top: 24, right: 16, left: 8, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="day" tickFormatter={shortDay} minTickGap={16} />
        <YAxis
          tickFormatter={compactAmount}
          width={64}
          label={{
            value: currency,
            angle: -90,
            position: 'insideLeft',
            fontSize: 12,
          }}
        />
        <Tooltip
          labelFormatter={label => String(label)}
          formatter={(value, name) => [
            formatChartAmount(Number(value), currency),
            name,
          ]}
        />
        <Legend />
        {keyed.map((s, index) => (
          <Bar
            key={s.dataKey}
            dataKey={s.dataKey}
            name={s.label}
            stackId="cost"
            fill={seriesColor(index)}
            isAnimationActive={false}
          />
        ))}
        {(markers ?? []).map(marker => (
          <ReferenceLine
            key={marker.day}
            x={marker.day}
            stroke="#424242"
            strokeDasharray="4 3"
            label={{
              value: marker.label,
              position: 'insideTopLeft',
              fontSize: 11,
              fill: '#424242',
            }}
          />
        ))}
      </BarChart>
    </ChartBox>
  );
}
