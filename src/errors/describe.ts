/**
 * Describes a failed action as the user is shown it: one sentence, a severity, the buttons that fix the
 * failure and a key that collapses repeats of the same failure. This file does not import `vscode`, so
 * every case is unit-tested, and the reporter localizes through the {@link Translator} it passes.
 */
import {
  AuthenticationError,
  DataStackError,
  InvalidParameterError,
  InvalidResponseError,
  InvalidStateError,
  MissingScopeError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  RequestAbortedError,
  ServerError,
  TimeoutError,
} from '../api/errors';
import { type OperationId, isScope } from '../api/operations';
import { MAX_RETRY_DELAY_MS } from '../api/retry';
import { SessionExpiredError, TokenEndpointUnavailableError } from '../auth/errors';
import type { ProfileKind, ScopeStatus } from '../core/contracts';
import { KnownMissingScopeError } from '../scopes/knownMissingScopeError';
import { actionPhrase } from './actionWording';
import { describeNetworkFailureText } from './networkFailure';
import type { Translator } from './translator';

/** A button of a failure notification; the reporter runs the matching fix. */
export type FailureActionId =
  | 'grantScope'
  | 'enterNewToken'
  | 'copyScopeName'
  | 'openTokensPage'
  | 'showLog'
  | 'signInAgain'
  | 'retry'
  | 'openSetting';

export type FailureKind =
  | 'missingScope'
  | 'authentication'
  | 'sessionEnded'
  | 'rateLimited'
  | 'server'
  | 'timeout'
  | 'network'
  | 'proxy'
  | 'certificate'
  | 'redirect'
  | 'signInServer'
  | 'invalidResponse'
  | 'notFound'
  | 'invalidState'
  | 'invalidParameter'
  | 'cancelled'
  | 'other';

/** The profile fields a description needs. */
export interface FailureProfile {
  readonly kind: ProfileKind;
  /** e.g. `ada@example.com (SSO)`. */
  readonly label: string;
  readonly host: string;
}

export interface FailureInput {
  readonly error: unknown;
  readonly operation: OperationId;
  readonly resourceLabel?: string | undefined;
  /** Whether the caller passed a retry function. */
  readonly canRetry: boolean;
  /**
   * Whether this failure comes from the automatic retry after a 429, so that a second 429 offers "Retry"
   * instead of retrying again by itself.
   */
  readonly isAutomaticRetry?: boolean;
  /** The active profile, undefined when signed out. */
  readonly profile: FailureProfile | undefined;
  /** The status of the required scope before this failure (403 only). */
  readonly scopeStatus?: ScopeStatus | undefined;
  /** Whether `datastack.consoleUrl` is set, so the access tokens page can be opened. */
  readonly consoleUrlSet: boolean;
}

export interface FailureDescription {
  readonly kind: FailureKind;
  readonly severity: 'warning' | 'error';
  /** False when nothing should be shown: a cancellation, or a failure another part already shows. */
  readonly notify: boolean;
  /** One or two localized sentences; never a server dump or an error's own message. */
  readonly message: string;
  readonly actions: readonly FailureActionId[];
  /** Equal for repeats of the same failure, e.g. `missingScope|https://api.datastack.cloud|manage:sql`. */
  readonly dedupeKey: string;
  /** The scope the buttons grant or copy (403 only). */
  readonly scope?: string;
  /** The setting that "Open Settings" opens (proxy, certificate and redirect failures only). */
  readonly setting?: string;
  /** The API host of the failed request. */
  readonly host: string;
  /** How long to wait before the automatic retry (429 with a retry function only). */
  readonly retryAfterMs?: number;
  /** The English line for the log, with the error's name and message. */
  readonly logLine: string;
}

/** Describes a failure; the result depends only on the input. */
export function describeFailure(l10n: Translator, input: FailureInput): FailureDescription {
  const { error } = input;
  const host = error instanceof DataStackError && error.host !== '' ? error.host : (input.profile?.host ?? '');
  const base = { host, logLine: logLine(input) };
  const action = actionPhrase(l10n, input.operation, input.resourceLabel);
  const where = displayHost(host);
  const retryable: FailureActionId[] = input.canRetry ? ['retry', 'showLog'] : ['showLog'];

  if (error instanceof MissingScopeError) {
    return { ...base, ...describeMissingScope(l10n, input, error, action) };
  }
  if (error instanceof AuthenticationError) {
    return {
      ...base,
      kind: 'authentication',
      severity: 'warning',
      notify: true,
      message: l10n.t('Your DataStack sign-in for {0} has expired or the token is no longer valid.', where),
      actions: ['signInAgain', 'showLog'],
      dedupeKey: key('authentication', host),
    };
  }
  if (error instanceof SessionExpiredError) {
    // The sign-in service ends the session and shows its own "Sign In Again" notification.
    return { ...base, kind: 'sessionEnded', severity: 'warning', notify: false, message: '', actions: [], dedupeKey: key('authentication', host) };
  }
  if (error instanceof RequestAbortedError) {
    return { ...base, kind: 'cancelled', severity: 'warning', notify: false, message: '', actions: [], dedupeKey: key('cancelled', host) };
  }
  const networkFailure = describeNetworkFailureText(l10n, error, action);
  if (networkFailure !== undefined) {
    const { kind, message, setting, dedupeKey } = networkFailure;
    const actions: FailureActionId[] = [...(setting !== undefined ? (['openSetting'] as const) : []), ...retryable];
    return { ...base, kind, severity: 'error', notify: true, message, actions, dedupeKey, ...(setting !== undefined ? { setting } : {}) };
  }
  if (error instanceof RateLimitedError) {
    return { ...base, ...describeRateLimit(l10n, input, error, action, where) };
  }
  if (error instanceof ServerError) {
    const message = l10n.t('{0} failed because DataStack at {1} returned a server error (HTTP {2}).', action, where, error.status);
    return { ...base, kind: 'server', severity: 'error', notify: true, message, actions: retryable, dedupeKey: key('server', host, String(error.status)) };
  }
  if (error instanceof TimeoutError) {
    const seconds = Math.round(error.timeoutMs / 1000);
    const message = l10n.t('{0} timed out: {1} did not respond within {2} seconds.', action, where, seconds);
    return { ...base, kind: 'timeout', severity: 'error', notify: true, message, actions: retryable, dedupeKey: key('timeout', host) };
  }
  if (error instanceof NetworkError) {
    const message = l10n.t('{0} failed because {1} could not be reached. Check your network connection.', action, where);
    return { ...base, kind: 'network', severity: 'error', notify: true, message, actions: retryable, dedupeKey: key('network', host) };
  }
  if (error instanceof TokenEndpointUnavailableError) {
    const message = l10n.t('{0} failed because the sign-in server at {1} could not renew your sign-in.', action, displayHost(error.host));
    return { ...base, kind: 'signInServer', severity: 'error', notify: true, message, actions: retryable, dedupeKey: key('signInServer', error.host) };
  }
  return { ...base, ...describeRequestProblem(l10n, input, action, where, host) };
}

function describeMissingScope(
  l10n: Translator,
  input: FailureInput,
  error: MissingScopeError,
  action: string,
): Omit<FailureDescription, 'host' | 'logLine'> {
  const scope = error.requiredScope;
  const profile = input.profile;
  const message =
    profile === undefined
      ? l10n.t('{0} needs the {1} scope, which your DataStack sign-in does not have.', action, scope)
      : l10n.t('{0} needs the {1} scope, which the sign-in "{2}" does not have.', action, scope, profile.label);
  let actions: FailureActionId[];
  if (profile?.kind === 'oauth' && isScope(scope)) {
    actions = ['grantScope', 'showLog'];
  } else if (profile?.kind === 'pat') {
    actions = ['enterNewToken', 'copyScopeName', ...(input.consoleUrlSet ? (['openTokensPage'] as const) : []), 'showLog'];
  } else {
    actions = ['copyScopeName', 'showLog'];
  }
  return { kind: 'missingScope', severity: 'warning', notify: true, message, actions, scope, dedupeKey: key('missingScope', error.host, scope) };
}

function describeRateLimit(
  l10n: Translator,
  input: FailureInput,
  error: RateLimitedError,
  action: string,
  where: string,
): Omit<FailureDescription, 'host' | 'logLine'> {
  const seconds = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
  const dedupeKey = key('rateLimited', error.host);
  // A delay the client itself would not wait is not waited here either: the user retries when ready.
  if (input.canRetry && input.isAutomaticRetry !== true && error.retryAfterMs <= MAX_RETRY_DELAY_MS) {
    const message =
      seconds === 1
        ? l10n.t('DataStack at {0} is limiting requests. {1} will be tried again in 1 second.', where, action)
        : l10n.t('DataStack at {0} is limiting requests. {1} will be tried again in {2} seconds.', where, action, seconds);
    return { kind: 'rateLimited', severity: 'warning', notify: true, message, actions: ['showLog'], dedupeKey, retryAfterMs: seconds * 1000 };
  }
  const message =
    seconds === 1
      ? l10n.t('{0} failed because DataStack at {1} is limiting requests. Try again in 1 second.', action, where)
      : l10n.t('{0} failed because DataStack at {1} is limiting requests. Try again in {2} seconds.', action, where, seconds);
  const actions: FailureActionId[] = input.canRetry ? ['retry', 'showLog'] : ['showLog'];
  return { kind: 'rateLimited', severity: 'warning', notify: true, message, actions, dedupeKey };
}

/** Describes failures of the request itself and unexpected errors, which name the action and point to the log. */
function describeRequestProblem(
  l10n: Translator,
  input: FailureInput,
  action: string,
  where: string,
  host: string,
): Omit<FailureDescription, 'host' | 'logLine'> {
  const { error, operation } = input;
  const resource = input.resourceLabel ?? '';
  const onlyLog: FailureActionId[] = ['showLog'];
  const notification = { severity: 'error', notify: true } as const;
  if (error instanceof InvalidResponseError) {
    const message = l10n.t('{0} failed because DataStack at {1} sent a response the extension cannot read.', action, where);
    const actions: FailureActionId[] = input.canRetry ? ['retry', 'showLog'] : onlyLog;
    return { ...notification, kind: 'invalidResponse', message, actions, dedupeKey: key('invalidResponse', host, operation) };
  }
  if (error instanceof NotFoundError) {
    const message = l10n.t('{0} failed because it no longer exists on {1}. Refresh the view to update it.', action, where);
    return { ...notification, kind: 'notFound', message, actions: onlyLog, dedupeKey: key('notFound', host, operation, resource) };
  }
  if (error instanceof InvalidStateError) {
    const message = l10n.t('{0} is not possible in its current state. Refresh the view to see the current state.', action);
    return { ...notification, kind: 'invalidState', message, actions: onlyLog, dedupeKey: key('invalidState', host, operation, resource) };
  }
  if (error instanceof InvalidParameterError) {
    const message = l10n.t('{0} failed because DataStack rejected a value it was sent. The log has the details.', action);
    return { ...notification, kind: 'invalidParameter', message, actions: onlyLog, dedupeKey: key('invalidParameter', host, operation, resource) };
  }
  const message =
    error instanceof DataStackError && host !== ''
      ? l10n.t('{0} failed on {1}. The log has the details.', action, where)
      : l10n.t('{0} failed unexpectedly. The log has the details.', action);
  const actions: FailureActionId[] = input.canRetry ? ['retry', 'showLog'] : onlyLog;
  return { ...notification, kind: 'other', message, actions, dedupeKey: key('other', host, operation, resource) };
}

/** Returns the label of a button, e.g. `Grant manage:sql`. */
export function actionLabel(l10n: Translator, action: FailureActionId, scope: string | undefined): string {
  switch (action) {
    case 'grantScope':
      return l10n.t('Grant {0}', scope ?? '');
    case 'enterNewToken':
      return l10n.t('Enter New Token');
    case 'copyScopeName':
      return l10n.t('Copy Scope Name');
    case 'openTokensPage':
      return l10n.t('Open Access Tokens Page');
    case 'showLog':
      return l10n.t('Show Log');
    case 'signInAgain':
      return l10n.t('Sign In Again');
    case 'retry':
      return l10n.t('Retry');
    case 'openSetting':
      return l10n.t('Open Settings');
  }
}

/** Returns a host as people write it: `api.datastack.cloud` for `https://api.datastack.cloud`. */
export function displayHost(host: string): string {
  try {
    return new URL(host).host || host;
  } catch {
    return host;
  }
}

function key(...parts: string[]): string {
  return parts.join('|');
}

function logLine(input: FailureInput): string {
  const { error, operation, resourceLabel } = input;
  const subject = `${operation}${resourceLabel === undefined ? '' : ` for "${resourceLabel}"`}`;
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const known =
    error instanceof KnownMissingScopeError
      ? ' (skipped without a request)'
      : error instanceof MissingScopeError && input.scopeStatus === 'held'
        ? ' (the scope was held before; the token lost it)'
        : '';
  return `[errors] ${subject} failed${known}: ${detail}`;
}
