/**
 * Extension points of the Ownops backend.
 *
 * @packageDocumentation
 */

export * from './costSource';
export * from './deployTarget';
export * from './extensionPoints';
export * from './onCallProvider';
