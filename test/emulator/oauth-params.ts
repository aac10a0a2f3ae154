/** Helpers shared by the authorize and token endpoints. */
import { randomBytes } from 'node:crypto';

/** Returns `prefix` followed by 256 random bits in base64url. */
export function randomToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** Returns the names of parameters given more than once (RFC 6749 section 3.1 forbids repeats). */
export function repeatedParameters(parameters: URLSearchParams): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const key of parameters.keys()) {
    (seen.has(key) ? repeated : seen).add(key);
  }
  return [...repeated];
}
