export { OwnerTagsTable } from './OwnerTagsTable';
export { OwnerTagsProblems } from './OwnerTagsProblems';
