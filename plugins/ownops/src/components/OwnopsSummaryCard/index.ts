export { OwnopsSummaryCard } from './OwnopsSummaryCard';
export {
  SummarySectionView,
  OnCallNow,
  BudgetStateChip,
} from './SummarySectionView';
