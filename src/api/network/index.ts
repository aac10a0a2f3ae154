/**
 * Proxy, CA and network failure handling of API and token requests, free of `vscode`. Not re-exported
 * from `src/api/index.ts`, because importing it loads undici, which activation does not need.
 */
export { CA_CERTIFICATES_SETTING, EXTRA_CA_CERTS_VARIABLE } from './certificates';
export { NetworkDispatcher, type NetworkOptions, type ProxyRoute } from './dispatcher';
export { describeNetworkFailure } from './failures';
export { redactProxyUrl } from './proxyUrl';
