export { EntityDeployCard } from './EntityDeployCard';
