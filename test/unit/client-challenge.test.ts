import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAuthenticateHeader, parseBearerChallenge } from '../../src/api/challenge';
import type { BearerChallenge } from '../../src/api/errors';

const BEARER_CASES: readonly (readonly [name: string, header: string | undefined, expected: BearerChallenge])[] = [
  ['absent header', undefined, {}],
  ['bare scheme', 'Bearer', {}],
  ['invalid token', 'Bearer error="invalid_token"', { error: 'invalid_token' }],
  [
    'insufficient scope',
    'Bearer error="insufficient_scope", scope="manage:sql"',
    { error: 'insufficient_scope', scope: 'manage:sql' },
  ],
  [
    'realm and description with commas',
    'Bearer realm="datastack", error="invalid_token", error_description="The token expired, sign in again"',
    { error: 'invalid_token', errorDescription: 'The token expired, sign in again' },
  ],
  [
    'escaped quote',
    'Bearer error="invalid_token", error_description="bad \\"token\\" value"',
    { error: 'invalid_token', errorDescription: 'bad "token" value' },
  ],
  ['unquoted values', 'Bearer error=invalid_token,scope=read:jobs', { error: 'invalid_token', scope: 'read:jobs' }],
  ['case-insensitive scheme and names', 'bearer ERROR="invalid_token"', { error: 'invalid_token' }],
  ['spaces around equals', 'Bearer error = "invalid_token" ,  scope = "read:sql"', { error: 'invalid_token', scope: 'read:sql' }],
  [
    'after another challenge',
    'Basic realm="legacy", Bearer error="insufficient_scope", scope="read:sql manage:sql"',
    { error: 'insufficient_scope', scope: 'read:sql manage:sql' },
  ],
  ['after a token68 challenge', 'Negotiate abc123==, Bearer error="invalid_token"', { error: 'invalid_token' }],
  ['no bearer challenge', 'Basic realm="legacy"', {}],
  ['unterminated quote keeps earlier params', 'Bearer error="invalid_token", error_description="cut', { error: 'invalid_token' }],
];

describe('parseBearerChallenge', () => {
  for (const [name, header, expected] of BEARER_CASES) {
    test(name, () => {
      assert.deepEqual(parseBearerChallenge(header), expected);
    });
  }
});

describe('parseAuthenticateHeader', () => {
  test('lists every challenge', () => {
    const challenges = parseAuthenticateHeader('Basic realm="a, b", Bearer realm="c"');
    assert.deepEqual(
      challenges.map((challenge) => [challenge.scheme, Object.fromEntries(challenge.params)]),
      [
        ['Basic', { realm: 'a, b' }],
        ['Bearer', { realm: 'c' }],
      ],
    );
  });

  test('empty header has no challenges', () => {
    assert.deepEqual(parseAuthenticateHeader(''), []);
  });
});
