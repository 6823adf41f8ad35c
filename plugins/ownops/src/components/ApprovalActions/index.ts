export { ApprovalActions } from './ApprovalActions';
