/**
 * Recognition of proxy and certificate failures in the errors undici raises, so that the client can raise
 * {@link ProxyError} and {@link CertificateError} in place of a generic network error.
 */
import type { Dispatcher } from 'undici';
import { type CertificateFailureReason, CertificateError, ProxyError } from '../errors';
import type { OperationId } from '../operations';
import { NetworkDispatcher, ProxyConnectFailure, type ProxyRoute } from './dispatcher';

/** OpenSSL and Node.js codes of a rejected server certificate. */
const CERTIFICATE_CODES: Readonly<Record<string, CertificateFailureReason>> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted',
  CERT_UNTRUSTED: 'untrusted',
  CERT_SIGNATURE_FAILURE: 'untrusted',
  CERT_REJECTED: 'untrusted',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'notYetValid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'hostnameMismatch',
  HOSTNAME_MISMATCH: 'hostnameMismatch',
};

/**
 * undici reports a refused tunnel only in the message of a `RequestAbortedError`, e.g.
 * "Proxy response (407) !== 200 when HTTP Tunneling" (undici 7.30 `lib/dispatcher/proxy-agent.js`).
 */
const TUNNEL_STATUS = /Proxy response \((\d{3})\) !== 200/;
/**
 * The absolute-form path of undici 7.30 reports a 407 as "Proxy Authentication Required (407)". Other
 * proxy statuses on that path (an `http:` API host through a proxy) reach the client as the API's own
 * response, e.g. a proxy's 502 becomes a `ServerError`.
 */
const ABSOLUTE_FORM_407 = /Proxy Authentication Required \(407\)/;

/** The request a failure belongs to. */
export interface FailureContext {
  readonly host: string;
  readonly operation: OperationId | undefined;
}

interface ErrorChain {
  readonly codes: readonly string[];
  readonly messages: readonly string[];
  readonly proxyConnect: boolean;
}

/**
 * Returns the proxy or certificate error that `error` stands for, or undefined when it is neither.
 * `dispatcher` tells whether the request went through a proxy; only a {@link NetworkDispatcher} can.
 */
export function describeNetworkFailure(
  dispatcher: Dispatcher,
  context: FailureContext,
  error: unknown,
): ProxyError | CertificateError | undefined {
  const route = dispatcher instanceof NetworkDispatcher ? dispatcher.routeFor(context.host) : undefined;
  const chain = walkChain(error);
  const certificateCode = chain.codes.find((code) => code in CERTIFICATE_CODES);

  if (route) {
    const proxyFailure = proxyFailureOf(route, context, chain, certificateCode, error);
    if (proxyFailure) {
      return proxyFailure;
    }
  }
  if (certificateCode !== undefined) {
    const reason = CERTIFICATE_CODES[certificateCode] as CertificateFailureReason;
    return new CertificateError(context.host, context.operation, hostOf(context.host), reason, certificateCode, {
      cause: error,
    });
  }
  return undefined;
}

function proxyFailureOf(
  route: ProxyRoute,
  context: FailureContext,
  chain: ErrorChain,
  certificateCode: string | undefined,
  error: unknown,
): ProxyError | CertificateError | undefined {
  const { host, operation } = context;
  if (chain.proxyConnect) {
    if (certificateCode !== undefined) {
      const reason = CERTIFICATE_CODES[certificateCode] as CertificateFailureReason;
      return new CertificateError(host, operation, route.display, reason, certificateCode, { cause: error });
    }
    const code = chain.codes.find((candidate) => /^E[A-Z]+$/.test(candidate)) ?? chain.codes[0];
    return new ProxyError(host, operation, route.display, 'unreachable', undefined, code, { cause: error });
  }
  for (const message of chain.messages) {
    const tunnel = TUNNEL_STATUS.exec(message);
    if (tunnel) {
      const status = Number(tunnel[1]);
      const reason = status === 407 ? 'authenticationRequired' : 'rejected';
      return new ProxyError(host, operation, route.display, reason, status, undefined, { cause: error });
    }
    if (ABSOLUTE_FORM_407.test(message)) {
      return new ProxyError(host, operation, route.display, 'authenticationRequired', 407, undefined, { cause: error });
    }
  }
  return undefined;
}

function walkChain(error: unknown): ErrorChain {
  const codes: string[] = [];
  const messages: string[] = [];
  let proxyConnect = false;
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    if (current instanceof ProxyConnectFailure) {
      proxyConnect = true;
    }
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      codes.push(code);
    }
    if (typeof message === 'string') {
      messages.push(message);
    }
    current = (current as { cause?: unknown }).cause;
  }
  return { codes, messages, proxyConnect };
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
}
