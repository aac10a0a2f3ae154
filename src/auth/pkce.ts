/**
 * PKCE (RFC 7636) and `state` values for the authorization code flow. Every value is base64url without
 * padding, so it passes through URLs, `vscode.Uri` and browsers without any percent-encoding.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RandomBytes } from './types';

/** Number of random bytes in a code verifier: 32 bytes give 256 bits and a 43-character verifier. */
const VERIFIER_BYTES = 32;
/** Number of random bytes in a state value: 16 bytes give 128 bits. RFC 6749 section 10.10 asks for unguessable values. */
const STATE_BYTES = 16;

/** Matches unpadded base64url text. */
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A PKCE verifier and its S256 challenge. */
export interface PkcePair {
  readonly verifier: string;
  readonly challenge: string;
}

/** Returns whether `value` is non-empty unpadded base64url text. */
export function isBase64Url(value: string): boolean {
  return BASE64URL.test(value);
}

/** Creates a fresh code verifier: base64url of 32 random bytes (RFC 7636 section 4.1). */
export function createCodeVerifier(random: RandomBytes = randomBytes): string {
  return Buffer.from(random(VERIFIER_BYTES)).toString('base64url');
}

/** Computes the S256 code challenge, `base64url(SHA-256(ASCII(verifier)))` (RFC 7636 section 4.2). */
export function computeCodeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** Creates a fresh verifier and its S256 challenge. */
export function createPkcePair(random: RandomBytes = randomBytes): PkcePair {
  const verifier = createCodeVerifier(random);
  return { verifier, challenge: computeCodeChallenge(verifier) };
}

/** Creates a fresh `state` value: base64url of 16 random bytes (128 bits). */
export function createState(random: RandomBytes = randomBytes): string {
  return Buffer.from(random(STATE_BYTES)).toString('base64url');
}

/**
 * Compares a received `state` with the expected one in constant time. Both are hashed first, so neither
 * the content nor the length of the expected value leaks through timing.
 */
export function statesEqual(received: string | undefined | null, expected: string): boolean {
  if (typeof received !== 'string' || received === '') {
    return false;
  }
  const a = createHash('sha256').update(received, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && received === expected;
}
