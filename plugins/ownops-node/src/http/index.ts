export * from './ProviderHttpClient';
export { ProviderRequestError } from './ProviderRequestError';
export { retryDelayFromHeaders } from './retryDelay';
export { optional, OptionalShape, shapeProblem } from './responseShape';
export type { ResponseShape } from './responseShape';
