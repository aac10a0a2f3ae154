/**
 * Messages for requests that failed at the proxy, at TLS verification or at a redirect. The failure
 * reporter and the sign-in dialogs share them, so both name the proxy, the certificate or the redirect
 * target and the setting that fixes it.
 */
import { CertificateError, ProxyError, RedirectError } from '../api/errors';
import type { Translator } from './translator';

/** The message of a proxy, certificate or redirect failure and the setting that fixes it. */
export interface NetworkFailureText {
  readonly kind: 'proxy' | 'certificate' | 'redirect';
  /** One sentence that starts with `subject`, e.g. `Stopping SQL warehouse "Analytics" failed because …`. */
  readonly message: string;
  /** The setting to open, when changing one is the fix. */
  readonly setting: string | undefined;
  /** Equal for repeats of the same failure. */
  readonly dedupeKey: string;
}

/**
 * Describes a {@link ProxyError}, {@link CertificateError} or {@link RedirectError}, and returns undefined
 * for any other error.
 * `subject` names what failed, e.g. an action phrase or "The DataStack sign-in".
 */
export function describeNetworkFailureText(l10n: Translator, error: unknown, subject: string): NetworkFailureText | undefined {
  if (error instanceof ProxyError) {
    return { kind: 'proxy', ...describeProxy(l10n, error, subject), dedupeKey: `proxy|${error.proxy}|${error.reason}` };
  }
  if (error instanceof CertificateError) {
    return {
      kind: 'certificate',
      ...describeCertificate(l10n, error, subject),
      dedupeKey: `certificate|${error.certificateHost}|${error.reason}`,
    };
  }
  if (error instanceof RedirectError) {
    return { kind: 'redirect', ...describeRedirect(l10n, error, subject), dedupeKey: `redirect|${error.host}` };
  }
  return undefined;
}

function describeRedirect(l10n: Translator, error: RedirectError, subject: string): { message: string; setting: string } {
  const message =
    error.targetOrigin === undefined
      ? l10n.t(
          '{0} failed because DataStack at {1} redirected the request (HTTP {2}). The datastack.host setting may be wrong.',
          subject,
          hostOf(error.host),
          error.status,
        )
      : l10n.t(
          '{0} failed because DataStack at {1} redirected the request to {2}. The datastack.host setting may be wrong.',
          subject,
          hostOf(error.host),
          error.targetOrigin,
        );
  return { message, setting: 'datastack.host' };
}

function describeProxy(l10n: Translator, error: ProxyError, subject: string): { message: string; setting: string } {
  switch (error.reason) {
    case 'authenticationRequired':
      return {
        message: l10n.t(
          '{0} failed because the proxy {1} requires authentication (HTTP 407). Add the credentials to http.proxy or http.proxyAuthorization.',
          subject,
          error.proxy,
        ),
        setting: 'http.proxyAuthorization',
      };
    case 'unreachable':
      return {
        message: l10n.t(
          '{0} failed because the proxy {1} could not be reached. Check the http.proxy setting and the HTTPS_PROXY variable.',
          subject,
          error.proxy,
        ),
        setting: 'http.proxy',
      };
    case 'rejected':
      return {
        message:
          error.status === undefined
            ? l10n.t('{0} failed because the proxy {1} refused the connection to {2}.', subject, error.proxy, hostOf(error.host))
            : l10n.t(
                '{0} failed because the proxy {1} refused the connection to {2} (HTTP {3}).',
                subject,
                error.proxy,
                hostOf(error.host),
                error.status,
              ),
        setting: 'http.proxy',
      };
  }
}

function describeCertificate(l10n: Translator, error: CertificateError, subject: string): { message: string; setting: string | undefined } {
  const host = error.certificateHost;
  switch (error.reason) {
    case 'untrusted':
      return {
        message: l10n.t(
          '{0} failed because the certificate of {1} is not trusted. Add the certificate of your organization\'s CA to datastack.caCertificates.',
          subject,
          host,
        ),
        setting: 'datastack.caCertificates',
      };
    case 'expired':
      return { message: l10n.t('{0} failed because the certificate of {1} has expired.', subject, host), setting: undefined };
    case 'notYetValid':
      return {
        message: l10n.t('{0} failed because the certificate of {1} is not valid yet. Check the computer\'s clock.', subject, host),
        setting: undefined,
      };
    case 'hostnameMismatch':
      return {
        message: l10n.t('{0} failed because the certificate of {1} was issued for another host name.', subject, host),
        setting: undefined,
      };
  }
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).host || origin;
  } catch {
    return origin;
  }
}
