/**
 * Extension points of the Ownops backend.
 *
 * @packageDocumentation
 */

export * from './deployTarget';
export * from './extensionPoints';
