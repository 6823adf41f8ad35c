export { FinancePage, LegacyFinancePage } from './FinancePage';
