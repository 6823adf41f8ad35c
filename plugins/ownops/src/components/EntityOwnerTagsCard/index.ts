export { EntityOwnerTagsCard } from './EntityOwnerTagsCard';
