/**
 * Extension points of the Ownops backend, and what provider modules share:
 * the interfaces they implement, an HTTP client with timeouts and retries, and
 * helpers for reading their config, caching and finding catalog users.
 *
 * @packageDocumentation
 */

export * from './costSource';
export * from './deployTarget';
export * from './deploymentListener';
export * from './extensionPoints';
export * from './helpers';
export * from './http';
export * from './onCallProvider';
