/**
 * Normalization of values users paste into sign-in boxes, before they reach an HTTP header. Checks of
 * create-dialog names and folders live in `src/views/model/validation.ts`.
 */

/** The longest access token accepted, in characters; an assumption well above JWT sizes seen in practice. */
export const MAX_TOKEN_LENGTH = 8192;

/** Why a pasted token was rejected. */
export type TokenProblem =
  | { readonly code: 'empty' }
  /** Whitespace or a line break inside the token, e.g. two tokens or a wrapped line pasted together. */
  | { readonly code: 'containsWhitespace' }
  /** A character outside the `b64token` syntax of bearer tokens (RFC 6750 section 2.1). */
  | { readonly code: 'invalidCharacter'; readonly character: string }
  | { readonly code: 'tooLong'; readonly max: number };

export type TokenNormalization = { readonly token: string } | { readonly problem: TokenProblem };

/** Whitespace at either end, including line breaks, no-break spaces, zero-width spaces and the BOM. */
const OUTER_WHITESPACE = /^[\s\u200b-\u200d\u2060]+|[\s\u200b-\u200d\u2060]+$/g;
const INNER_WHITESPACE = /[\s\u200b-\u200d\u2060]/;

/**
 * Normalizes a pasted access token: trims whitespace and line breaks at both ends, then drops one pair of
 * matching quotes and a leading `Bearer ` copied along with the token. Whitespace left inside the token
 * is rejected rather than removed, because it usually means that something else was pasted with it.
 * Never put the token itself into a message built from the problem.
 */
export function normalizeToken(value: string): TokenNormalization {
  let token = value.replace(OUTER_WHITESPACE, '');
  const quoted = /^(["'])(.*)\1$/s.exec(token);
  if (quoted) {
    token = (quoted[2] as string).replace(OUTER_WHITESPACE, '');
  }
  token = token.replace(/^bearer(?:\s+|$)/i, '');

  if (token === '') {
    return { problem: { code: 'empty' } };
  }
  if (INNER_WHITESPACE.test(token)) {
    return { problem: { code: 'containsWhitespace' } };
  }
  // b64token: letters, digits, `-._~+/`, then optional trailing `=` padding.
  const invalid = /[^A-Za-z0-9\-._~+/=]/u.exec(token) ?? /=[^=]/.exec(token);
  if (invalid) {
    return { problem: { code: 'invalidCharacter', character: [...invalid[0]].at(-1) ?? invalid[0] } };
  }
  if (token.length > MAX_TOKEN_LENGTH) {
    return { problem: { code: 'tooLong', max: MAX_TOKEN_LENGTH } };
  }
  return { token };
}
