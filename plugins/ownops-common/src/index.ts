/**
 * Types, permissions, annotations and the typed API client shared by the
 * Ownops plugins.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './environments';
export * from './permissions';
export * from './types';
export * from './validation';
export * from './client/OwnopsApi';
export * from './client/OwnopsClient';
export * from './ownerTags';
export * from './signals';
export * from './budgets';
export * from './ownerTagPolicy';
export * from './cost';
export * from './budgetAnnotation';
export * from './oncall';
export * from './summary';
export * from './costClock';
