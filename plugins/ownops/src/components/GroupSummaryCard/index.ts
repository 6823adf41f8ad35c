export { GroupSummaryCard } from './GroupSummaryCard';
