/** Parsing of proxy URLs from VS Code's `http.proxy` setting and the `HTTPS_PROXY`/`HTTP_PROXY` variables. */
import { InvalidProxySettingError } from '../errors';

/** A usable proxy: its URL (credentials included) and how to name it in messages. */
export interface ProxyEndpoint {
  readonly url: URL;
  /** `host:port` of the proxy, with the scheme's default port filled in and no credentials. */
  readonly display: string;
  /** Where the URL came from, e.g. `http.proxy` or `HTTPS_PROXY`. */
  readonly source: string;
}

/**
 * Parses a proxy URL. A value without a scheme, such as `proxy.corp:3128`, is taken as `http://`, as curl
 * does. Returns undefined for an empty value.
 *
 * @throws {InvalidProxySettingError} for another scheme than `http:` or `https:`, or a value that does not parse.
 */
export function parseProxyUrl(value: string | undefined, source: string): ProxyEndpoint | undefined {
  const text = value?.trim() ?? '';
  if (text === '') {
    return undefined;
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new InvalidProxySettingError(source, redactProxyUrl(text), 'the value is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidProxySettingError(source, redactProxyUrl(text), `the scheme ${url.protocol} is not supported, use http:// or https://`);
  }
  if (url.hostname === '') {
    throw new InvalidProxySettingError(source, redactProxyUrl(text), 'the host name is missing');
  }
  const port = url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port;
  return { url, display: `${url.hostname}:${port}`, source };
}

/** Removes a user name and password from a proxy URL so that it may appear in a message. */
export function redactProxyUrl(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/@]*@/i, '$1');
}
