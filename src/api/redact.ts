/**
 * Removal of anything that looks like a credential from text that may end up in a log line or an error
 * message, such as an excerpt of a response body.
 */

/** The text put in place of a removed value. */
export const REDACTED = '[REDACTED]';

/** Names whose values are secrets in JSON bodies, form bodies and query strings. */
const SECRET_NAMES = [
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'code',
  'code_verifier',
  'client_secret',
  'password',
  'authorization',
];
const SECRET_NAME_PATTERN = SECRET_NAMES.join('|');

/** Replacement rules, applied in order. Each pattern is global. */
const RULES: readonly (readonly [RegExp, string])[] = [
  // JSON member: "access_token": "value" (also with escaped quotes inside the value).
  [new RegExp(`("(?:${SECRET_NAME_PATTERN})"\\s*:\\s*")((?:[^"\\\\]|\\\\.)*)(")`, 'gi'), `$1${REDACTED}$3`],
  // Query string, URL fragment or form body: access_token=value, up to the next separator.
  [new RegExp(`((?:^|[?#&;\\s,{(])(?:${SECRET_NAME_PATTERN})=)([^&#\\s"',;)}]+)`, 'gi'), `$1${REDACTED}`],
  // Authorization header values: "Bearer xyz", "Basic xyz".
  [/\b(Bearer|Basic)(\s+)[A-Za-z0-9\-._~+/]+=*/gi, `$1$2${REDACTED}`],
  // DataStack personal access tokens: `dapi-demo-admin`, `dapi0123abcd...`.
  [/\bdapi[-_]?[A-Za-z0-9][A-Za-z0-9\-_]*/gi, REDACTED],
  // JWT-like strings: three base64url segments separated by dots.
  [/\b[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{4,}\b/g, REDACTED],
  // Long hexadecimal runs (32 characters or more).
  [/\b[A-Fa-f0-9]{32,}\b/g, REDACTED],
  // Long base64 or base64url runs (32 characters or more) that mix lowercase, uppercase and digits.
  [
    /(?<![A-Za-z0-9+/_-])(?=[A-Za-z0-9+/_-]*\d)(?=[A-Za-z0-9+/_-]*[a-z])(?=[A-Za-z0-9+/_-]*[A-Z])[A-Za-z0-9+/_-]{32,}={0,2}/g,
    REDACTED,
  ],
];

/**
 * Returns `text` with every token-like value replaced by `[REDACTED]`: `dapi-...` tokens, bearer values,
 * JWT-like strings, long base64 or hex runs, and the values of `access_token`, `refresh_token`, `code`,
 * `code_verifier` and similar names in JSON or query strings.
 *
 * NOTE: this is a pattern filter that errs towards removing too much; it cannot recognize a short secret
 * that has no telltale name or prefix.
 */
export function redactSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of RULES) {
    result = result.replace(pattern, replacement);
  }
  return result;
}
