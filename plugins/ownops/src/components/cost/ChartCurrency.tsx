import { useState } from 'react';
import { CostSelect } from './Select';

/** The currency a cost chart shows, with what a picker for it needs. */
export interface ChartCurrency {
  /** The currencies there is cost in. */
  currencies: readonly string[];
  /** The currency shown: the one picked while there is cost in it, else the first. */
  value: string | undefined;
  onChange: (currency: string) => void;
}

/**
 * Currencies ordered for a chart's default: the one with the most data
 * points first (amounts in different currencies are not compared), then by
 * code.
 */
export function currenciesByPresence(
  points: ReadonlyArray<{ currency: string }>,
): string[] {
  const counts = new Map<string, number>();
  points.forEach(p =>
    counts.set(p.currency, (counts.get(p.currency) ?? 0) + 1),
  );
  return [...counts.keys()].sort(
    (a, b) => counts.get(b)! - counts.get(a)! || a.localeCompare(b),
  );
}

/**
 * Which currency to chart: currencies are never converted, so a chart shows
 * one of them at a time.
 */
export function useChartCurrency(currencies: readonly string[]): ChartCurrency {
  const [picked, setPicked] = useState<string>();
  const value = picked && currencies.includes(picked) ? picked : currencies[0];
  return { currencies, value, onChange: setPicked };
}

/**
 * The "Chart currency" picker, shown only when there is cost in more than
 * one currency. `id` is also the select's test id.
 */
export function ChartCurrencySelect(props: ChartCurrency & { id: string }) {
  if (props.currencies.length <= 1) {
    return null;
  }
  return (
    <CostSelect
      id={props.id}
      label="Chart currency"
      value={props.value ?? ''}
      options={props.currencies.map(c => ({ value: c, label: c }))}
      onChange={props.onChange}
      testId={props.id}
      minWidth={120}
    />
  );
}
