/**
 * Validation of the configured API host. The client sends a bearer token to this origin on every request,
 * so anything but a bare `https://` origin (or `http://` on a loopback address) is rejected.
 */
import { isIPv4 } from 'node:net';
import { InvalidHostError } from './errors';

/**
 * Validates an API host and returns its normalized origin, e.g. `https://api.datastack.cloud:8443`.
 *
 * Trims whitespace, drops trailing slashes and lowercases the hostname. Loopback hosts (`localhost`,
 * 127.0.0.0/8, `[::1]`) may use `http://`; every other host must use `https://`.
 *
 * @throws {InvalidHostError} with a reason such as "the scheme must be https" when the value is not accepted.
 */
export function normalizeHost(input: string): string {
  const value = input.trim();
  if (value === '') {
    throw new InvalidHostError(input, 'the host is empty');
  }
  if (/\s/.test(value)) {
    throw new InvalidHostError(value, 'the host contains whitespace');
  }

  const schemeMatch = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(value);
  if (!schemeMatch) {
    throw new InvalidHostError(value, 'the host must start with https://');
  }
  const scheme = (schemeMatch[1] as string).toLowerCase();
  if (scheme !== 'https' && scheme !== 'http') {
    throw new InvalidHostError(value, `the scheme ${scheme}: is not supported, use https://`);
  }
  if (!value.slice(schemeMatch[0].length).startsWith('//')) {
    throw new InvalidHostError(value, `the host must start with ${scheme}://`);
  }

  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidHostError(value, 'the value is not a valid URL');
  }

  checkOriginOnly(value, url);
  // WHATWG URL accepts port 0, which no connection can use, and rejects ports above 65535 itself.
  if (url.port === '0') {
    throw new InvalidHostError(value, 'the port must be from 1 to 65535');
  }
  if (url.protocol === 'http:' && !isLoopbackHostname(url.hostname)) {
    throw new InvalidHostError(value, 'the scheme must be https unless the host is a loopback address');
  }

  // URL already lowercases the hostname and drops a default port (443 for https, 80 for http).
  return `${url.protocol}//${url.host}`;
}

/** Rejects everything in a URL that is not part of its origin. */
function checkOriginOnly(value: string, url: URL): void {
  if (url.hostname === '') {
    throw new InvalidHostError(value, 'the host name is missing');
  }
  if (url.username !== '' || url.password !== '' || /^[a-z]+:\/\/[^/?#]*@/i.test(value)) {
    throw new InvalidHostError(value, 'the host must not contain a user name or password');
  }
  if (url.search !== '' || value.includes('?')) {
    throw new InvalidHostError(value, 'the host must not contain a query string');
  }
  if (url.hash !== '' || value.includes('#')) {
    throw new InvalidHostError(value, 'the host must not contain a fragment');
  }
  if (url.pathname.replace(/\/+$/, '') !== '') {
    throw new InvalidHostError(value, `the host must not contain a path (${url.pathname})`);
  }
}

/** Returns whether a URL hostname (as `URL.hostname` gives it) is a loopback address or `localhost`. */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]') {
    return true;
  }
  return isIPv4(host) && host.startsWith('127.');
}
