/**
 * The Ownops backend plugin.
 *
 * @packageDocumentation
 */

export { ownopsPlugin as default } from './plugin';
