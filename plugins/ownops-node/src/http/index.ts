export * from './ProviderHttpClient';
export { ProviderRequestError } from './ProviderRequestError';
export { retryDelayFromHeaders } from './retryDelay';
