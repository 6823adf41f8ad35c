/**
 * Extension points of the Ownops backend, and what provider modules share:
 * the interfaces they implement and an HTTP client with timeouts and retries.
 *
 * @packageDocumentation
 */

export * from './costSource';
export * from './deployTarget';
export * from './deploymentListener';
export * from './extensionPoints';
export * from './http';
export * from './onCallProvider';
