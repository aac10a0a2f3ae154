/** The public surface of the DataStack API client for the extension's UI code. */
export { DataStackClient, DEFAULT_TIMEOUT_MS } from './client';
export type { DataStackClientOptions, ListOptions, RequestOptions } from './client';
export * from './errors';
export { normalizeHost, isLoopbackHostname } from './host';
export { closeSharedAgent, MAX_RESPONSE_BYTES } from './http';
export type { ClientLogger } from './logger';
export { SILENT_LOGGER } from './logger';
export * from './models';
export * from './operations';
export { clampPageSize, collectItems, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination';
export { redactSecrets } from './redact';
export type { CallOptions } from './request';
export { parseBearerChallenge } from './challenge';
