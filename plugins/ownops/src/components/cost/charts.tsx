import { IsoDay } from '@ownops/backstage-plugin-common';
import { ReactElement, useLayoutEffect, useRef, useState } from 'react';
import { ResponsiveContainer } from 'recharts';

/** Distinct colours for stacked series, in order of the series' size. */
export const SERIES_COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#bcbd22',
  '#7f7f7f',
];

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length];
}

/**
 * A chart that takes the width of its parent. The parent is measured before
 * the first paint, so the chart is drawn once at its real width rather than
 * at a guess and again once measured. Where nothing measures (jsdom) it
 * draws at `initialWidth`, so the chart is never blank or flaky in tests.
 */
export function ChartBox(props: {
  testId: string;
  label: string;
  height?: number;
  initialWidth?: number;
  children: ReactElement;
}) {
  const height = props.height ?? 300;
  const box = useRef<HTMLDivElement>(null);
  const [firstWidth, setFirstWidth] = useState<number>();
  const fallbackWidth = props.initialWidth ?? 800;
  useLayoutEffect(() => {
    const measured = Math.round(
      box.current?.getBoundingClientRect().width ?? 0,
    );
    setFirstWidth(measured > 0 ? measured : fallbackWidth);
  }, [fallbackWidth]);
  return (
    <div
      ref={box}
      data-testid={props.testId}
      role="figure"
      aria-label={props.label}
      style={{ minHeight: height }}
    >
      {firstWidth !== undefined && (
        <ResponsiveContainer
          width="100%"
          height={height}
          initialDimension={{ width: firstWidth, height }}
        >
          {props.children}
        </ResponsiveContainer>
      )}
    </div>
  );
}

/** One row per day, one numeric field per series (0 where it had none). */
export type StackedRow = { day: IsoDay } & Record<string, number | string>;

/**
 * Rows for a stacked daily chart: every day of the range, with the values of
 * each series summed per day. Numbers are for plotting only; totals shown as
 * text come from the backend as exact decimals.
 */
export function stackDaily(
  days: IsoDay[],
  seriesKeys: string[],
  points: Array<{ day: IsoDay; series: string; value: number }>,
): StackedRow[] {
  const byDay = new Map<IsoDay, StackedRow>(
    days.map(day => [
      day,
      Object.fromEntries([
        ['day', day],
        ...seriesKeys.map(key => [key, 0]),
      ]) as StackedRow,
    ]),
  );
  for (const point of points) {
    const row = byDay.get(point.day);
    if (row && point.series in row) {
      row[point.series] = (row[point.series] as number) + point.value;
    }
  }
  return days.map(day => byDay.get(day)!);
}
