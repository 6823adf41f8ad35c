export { BudgetDialog } from './BudgetDialog';
