/**
 * Typed errors of the DataStack client. Each carries the data the UI needs to build a message and its
 * buttons; the UI matches them with `instanceof`, never by message text. Messages are English and are
 * written to the log; the UI shows its own localized wording built from the fields.
 *
 * No error here ever contains a token: constructors take only hosts, operation ids, statuses and excerpts
 * that went through `redactSecrets`.
 */
import type { OperationId, Scope } from './operations';

/** Base class of every error the client raises. */
export abstract class DataStackError extends Error {
  /** The API host the request went to, e.g. `https://api.datastack.cloud`. */
  readonly host: string;
  /** The operation that failed, when the error came from an API call. */
  readonly operation: OperationId | undefined;

  constructor(message: string, host: string, operation: OperationId | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.host = host;
    this.operation = operation;
  }
}

/** The parsed `WWW-Authenticate: Bearer ...` challenge of a 401 or 403 (RFC 6750 section 3). */
export interface BearerChallenge {
  readonly error?: string;
  readonly errorDescription?: string;
  readonly scope?: string;
}

/** 401: the token is missing, invalid or expired. */
export class AuthenticationError extends DataStackError {
  constructor(
    host: string,
    operation: OperationId | undefined,
    readonly challenge: BearerChallenge,
    readonly serverMessage: string | undefined,
  ) {
    super(`DataStack rejected the token for ${host}: ${challenge.error ?? 'unauthenticated'}.`, host, operation);
  }
}

/** 403: the token is valid but does not hold the scope the operation needs. */
export class MissingScopeError extends DataStackError {
  constructor(
    host: string,
    override readonly operation: OperationId,
    readonly requiredScope: Scope | string,
    readonly serverMessage: string | undefined,
  ) {
    super(`The operation ${operation} on ${host} needs the ${requiredScope} scope.`, host, operation);
  }
}

/** 404: the resource does not exist (any more). */
export class NotFoundError extends DataStackError {
  constructor(host: string, operation: OperationId | undefined, readonly serverMessage: string | undefined) {
    super(`Not found on ${host}: ${serverMessage ?? operation ?? 'resource'}.`, host, operation);
  }
}

/** 409 `INVALID_STATE`: the resource is not in a state that allows the operation. */
export class InvalidStateError extends DataStackError {
  constructor(host: string, operation: OperationId | undefined, readonly serverMessage: string | undefined) {
    super(`Invalid state for ${operation ?? 'request'} on ${host}: ${serverMessage ?? 'no detail'}.`, host, operation);
  }
}

/** 400 `INVALID_PARAMETER_VALUE`. */
export class InvalidParameterError extends DataStackError {
  constructor(host: string, operation: OperationId | undefined, readonly serverMessage: string | undefined) {
    super(`Invalid parameter for ${operation ?? 'request'} on ${host}: ${serverMessage ?? 'no detail'}.`, host, operation);
  }
}

/** 429 after the client's retries ran out. */
export class RateLimitedError extends DataStackError {
  constructor(
    host: string,
    operation: OperationId | undefined,
    /** How long the server asked to wait, in milliseconds. */
    readonly retryAfterMs: number,
  ) {
    super(`DataStack at ${host} is limiting requests; retry after ${Math.ceil(retryAfterMs / 1000)} s.`, host, operation);
  }
}

/** 5xx after the client's retries ran out. */
export class ServerError extends DataStackError {
  constructor(
    host: string,
    operation: OperationId | undefined,
    readonly status: number,
    readonly serverMessage: string | undefined,
  ) {
    super(`DataStack at ${host} failed with HTTP ${status}: ${serverMessage ?? 'no detail'}.`, host, operation);
  }
}

/** The host could not be reached: DNS, refused or reset connection. */
export class NetworkError extends DataStackError {
  constructor(
    host: string,
    operation: OperationId | undefined,
    /** The system error code, e.g. `ECONNREFUSED`, when known. */
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`Could not reach ${host}${code ? ` (${code})` : ''}.`, host, operation, options);
  }
}

/** The request took longer than the configured timeout. */
export class TimeoutError extends DataStackError {
  constructor(host: string, operation: OperationId | undefined, readonly timeoutMs: number) {
    super(`The request to ${host} timed out after ${Math.round(timeoutMs / 1000)} s.`, host, operation);
  }
}

/** The response is not the JSON the contract promises. `excerpt` is redacted. */
export class InvalidResponseError extends DataStackError {
  constructor(
    host: string,
    operation: OperationId | undefined,
    readonly status: number,
    readonly contentType: string | undefined,
    /** At most the first 200 characters of the body, with anything that looks like a token removed. */
    readonly excerpt: string,
    /** Description of the problem, e.g. "the response was not JSON" or "clusters[3].state is not a string". */
    readonly problem: string,
  ) {
    super(`Invalid response from ${host} (HTTP ${status}): ${problem}.`, host, operation);
  }
}

/**
 * 3xx: the host sent the request elsewhere. The client never follows a redirect, because the request
 * carries the token. A redirect usually means the configured host is wrong (e.g. `http://` to `https://`).
 */
export class RedirectError extends DataStackError {
  constructor(
    host: string,
    operation: OperationId | undefined,
    readonly status: number,
    /** The origin of the `Location` header (scheme, host and port only), or undefined when it is missing or invalid. */
    readonly targetOrigin: string | undefined,
  ) {
    super(
      `DataStack at ${host} redirected the request (HTTP ${status}) to ${targetOrigin ?? 'an unknown address'}; the configured host may be wrong.`,
      host,
      operation,
    );
  }
}

/** The configured host is not an acceptable API host. */
export class InvalidHostError extends DataStackError {
  constructor(
    readonly value: string,
    /** Reason for the rejection, as an English sentence fragment. */
    readonly reason: string,
  ) {
    super(`Invalid DataStack host "${value}": ${reason}.`, value, undefined);
  }
}

/** The caller aborted the request. */
export class RequestAbortedError extends DataStackError {
  constructor(host: string, operation: OperationId | undefined) {
    super(`The request to ${host} was cancelled.`, host, operation);
  }
}

/** Why a request through a proxy failed before it reached DataStack. */
export type ProxyFailureReason =
  /** The proxy responded with 407 Proxy Authentication Required. */
  | 'authenticationRequired'
  /** No connection to the proxy could be opened: refused, not resolved, timed out. */
  | 'unreachable'
  /** The proxy responded to the tunnel request (`CONNECT`) with another status than 200, e.g. 403 or 502. */
  | 'rejected';

/** The configured proxy failed; raised at once, never retried. */
export class ProxyError extends DataStackError {
  constructor(
    host: string,
    operation: OperationId | undefined,
    /** The proxy as `host:port`, without credentials. */
    readonly proxy: string,
    readonly reason: ProxyFailureReason,
    /** The proxy's HTTP status for `authenticationRequired` and `rejected`. */
    readonly status: number | undefined,
    /** The system error code for `unreachable`, e.g. `ECONNREFUSED`. */
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(proxyErrorMessage(host, proxy, reason, status, code), host, operation, options);
  }
}

function proxyErrorMessage(
  host: string,
  proxy: string,
  reason: ProxyFailureReason,
  status: number | undefined,
  code: string | undefined,
): string {
  switch (reason) {
    case 'authenticationRequired':
      return `The proxy ${proxy} requires authentication (HTTP 407); add credentials to the proxy setting.`;
    case 'unreachable':
      return `Could not reach the proxy ${proxy}${code ? ` (${code})` : ''}; check the proxy setting.`;
    case 'rejected':
      return `The proxy ${proxy} rejected the connection to ${host}${status ? ` (HTTP ${status})` : ''}.`;
  }
}

/** Why a server certificate was not accepted. */
export type CertificateFailureReason = 'untrusted' | 'expired' | 'notYetValid' | 'hostnameMismatch';

/** TLS verification of a server failed; verification is never turned off, so the fix is a trusted CA. */
export class CertificateError extends DataStackError {
  constructor(
    host: string,
    operation: OperationId | undefined,
    /** The host whose certificate failed: the API host, or the proxy as `host:port` for an `https:` proxy. */
    readonly certificateHost: string,
    readonly reason: CertificateFailureReason,
    /** The OpenSSL or Node.js code, e.g. `SELF_SIGNED_CERT_IN_CHAIN` or `ERR_TLS_CERT_ALTNAME_INVALID`. */
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(`The certificate of ${certificateHost} is not trusted (${code}).`, host, operation, options);
  }
}

/** A configured CA certificate file is missing, unreadable or contains no PEM certificate. */
export class CertificateFileError extends DataStackError {
  constructor(
    readonly path: string,
    /** Source of the path: `datastack.caCertificates` or `NODE_EXTRA_CA_CERTS`. */
    readonly source: string,
    /** Reason for the rejection, as an English sentence fragment. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    // No request is involved, so `host` is empty.
    super(`The CA certificate file ${path} from ${source} ${reason}.`, '', undefined, options);
  }
}

/** A proxy URL from `http.proxy` or the environment is not usable. */
export class InvalidProxySettingError extends DataStackError {
  constructor(
    /** Source of the value, e.g. `http.proxy` or `HTTPS_PROXY`. */
    readonly source: string,
    /** The value with any user name and password removed. */
    readonly value: string,
    readonly reason: string,
  ) {
    super(`Invalid proxy "${value}" in ${source}: ${reason}.`, '', undefined);
  }
}
