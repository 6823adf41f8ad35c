export * from './money';
export * from './days';
export * from './charts';
export * from './errors';
export { CostSelect } from './Select';
export {
  StackedDailyChart,
  formatChartAmount,
  compactAmount,
} from './StackedDailyChart';
export { CostNotice } from './Notice';
export {
  ChartCurrencySelect,
  currenciesByPresence,
  useChartCurrency,
} from './ChartCurrency';
export type { ChartCurrency } from './ChartCurrency';
export { CostTotals } from './CostTotals';
