/**
 * Ownops cost sources for AWS spend: Cost Explorer, and FOCUS exports that
 * AWS Data Exports delivers to S3.
 *
 * @packageDocumentation
 */

export { ownopsModuleAws as default } from './module';
