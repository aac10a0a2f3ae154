/**
 * Evaluation of the query of an authorization response (RFC 6749 section 4.1.2 and 4.1.2.1), shared by the
 * loopback listener and the pasted-URL fallback.
 */
import { redactSecrets } from '../api/redact';
import type { OAuthErrorDetails } from './errors';
import { statesEqual } from './pkce';

/** Longest `error_description` kept, in characters. */
const MAX_DESCRIPTION_LENGTH = 300;
/** Characters allowed in `error` and `error_description` by RFC 6749 section 4.1.2.1 (printable ASCII without `"` and `\`). */
const OAUTH_TEXT = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** What a callback query means for the flow. */
export type CallbackVerdict =
  /** Not usable (missing, foreign or replayed state, malformed); the flow keeps waiting. */
  | { readonly kind: 'ignored'; readonly reason: string }
  /** A valid authorization response with a code. */
  | { readonly kind: 'code'; readonly code: string }
  /** A valid error response; the flow ends. */
  | { readonly kind: 'error'; readonly details: OAuthErrorDetails };

/** Returns the single value of a parameter, `undefined` when absent, or `null` when it is repeated. */
function single(params: URLSearchParams, name: string): string | undefined | null {
  const values = params.getAll(name);
  if (values.length > 1) {
    return null;
  }
  return values[0];
}

/**
 * Evaluates a callback query against the expected state. `stateUsed` tells whether a valid callback was
 * already accepted, which makes a second one with the same state a replay.
 */
export function evaluateCallback(params: URLSearchParams, expectedState: string, stateUsed: boolean): CallbackVerdict {
  const state = single(params, 'state');
  if (state === null) {
    return { kind: 'ignored', reason: 'the callback repeats the state parameter' };
  }
  if (state === undefined || state === '') {
    return { kind: 'ignored', reason: 'the callback has no state parameter' };
  }
  if (!statesEqual(state, expectedState)) {
    return { kind: 'ignored', reason: 'the callback belongs to a different sign-in attempt' };
  }
  if (stateUsed) {
    return { kind: 'ignored', reason: 'this sign-in response was already used' };
  }

  const error = single(params, 'error');
  const code = single(params, 'code');
  if (error === null || code === null) {
    return { kind: 'ignored', reason: 'the callback repeats a parameter' };
  }
  if (error !== undefined) {
    return { kind: 'error', details: readErrorDetails(params, error) };
  }
  if (code === undefined || code === '') {
    return { kind: 'ignored', reason: 'the callback has neither a code nor an error' };
  }
  return { kind: 'code', code };
}

/** Reads `error`, `error_description` and `error_uri`, dropping malformed values and redacting the description. */
function readErrorDetails(params: URLSearchParams, error: string): OAuthErrorDetails {
  const code = error !== '' && error.length <= 100 && OAUTH_TEXT.test(error) ? error : 'invalid_error_response';
  const rawDescription = params.get('error_description') ?? undefined;
  let description: string | undefined;
  if (rawDescription !== undefined && rawDescription !== '') {
    const clipped = rawDescription.length > MAX_DESCRIPTION_LENGTH ? `${rawDescription.slice(0, MAX_DESCRIPTION_LENGTH)}…` : rawDescription;
    description = redactSecrets(clipped);
  }
  const rawUri = params.get('error_uri') ?? undefined;
  const uri = rawUri !== undefined && /^https:\/\/[^\s]{1,500}$/.test(rawUri) ? rawUri : undefined;
  return { code, description, uri };
}
