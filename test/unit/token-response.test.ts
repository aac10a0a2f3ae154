import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TokenEndpointUnavailableError, TokenResponseError } from '../../src/auth/errors';
import { parseTokenResponse } from '../../src/auth/tokenResponse';

const CONTEXT = { host: 'https://accounts.datastack.cloud', requestedScopes: ['read:clusters', 'read:jobs'], receivedAt: 1_000_000 };
const VALID = { access_token: 'dsat_abc', token_type: 'Bearer', expires_in: 60, refresh_token: 'dsrt_def', scope: 'read:clusters' };

function parse(status: number, body: unknown, contentType = 'application/json'): ReturnType<typeof parseTokenResponse> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return parseTokenResponse(CONTEXT, status, contentType, Buffer.from(text));
}

describe('token response', () => {
  test('valid response gives a token set', () => {
    assert.deepEqual(parse(200, VALID), {
      accessToken: 'dsat_abc',
      refreshToken: 'dsrt_def',
      obtainedAt: 1_000_000,
      expiresAt: 1_060_000,
      scopes: ['read:clusters'],
    });
  });

  test('token type is case-insensitive', () => {
    assert.equal(parse(200, { ...VALID, token_type: 'bearer' }).accessToken, 'dsat_abc');
    assert.equal(parse(200, { ...VALID, token_type: 'BEARER' }).accessToken, 'dsat_abc');
  });

  test('missing scope means the requested ones', () => {
    const { scope: _unused, ...withoutScope } = VALID;
    assert.deepEqual(parse(200, withoutScope).scopes, ['read:clusters', 'read:jobs']);
  });

  test('offline_access and duplicates are dropped from scopes', () => {
    assert.deepEqual(parse(200, { ...VALID, scope: 'read:jobs offline_access read:jobs' }).scopes, ['read:jobs']);
  });

  const invalid: [string, unknown, RegExp][] = [
    ['missing access_token', { ...VALID, access_token: undefined }, /access_token/],
    ['empty access_token', { ...VALID, access_token: '' }, /access_token/],
    ['numeric access_token', { ...VALID, access_token: 42 }, /access_token/],
    ['mac token type', { ...VALID, token_type: 'mac' }, /token_type is "mac"/],
    ['missing token type', { ...VALID, token_type: undefined }, /token_type is missing/],
    ['string expires_in', { ...VALID, expires_in: '60' }, /expires_in/],
    ['missing expires_in', { ...VALID, expires_in: undefined }, /expires_in/],
    ['zero expires_in', { ...VALID, expires_in: 0 }, /expires_in/],
    ['empty refresh_token', { ...VALID, refresh_token: '' }, /refresh_token/],
    ['numeric scope', { ...VALID, scope: 7 }, /scope/],
    ['array body', [VALID], /not a JSON object/],
    ['null body', null, /not a JSON object/],
  ];
  for (const [name, body, problem] of invalid) {
    test(`${name} is rejected`, () => {
      assert.throws(
        () => parse(200, body),
        (error: unknown) => error instanceof TokenResponseError && problem.test(error.problem) && error.status === 200,
      );
    });
  }

  test('excerpt is redacted', () => {
    const body = { ...VALID, token_type: 'mac', access_token: 'dsat_secretvalue123' };
    assert.throws(
      () => parse(200, body),
      (error: unknown) => error instanceof TokenResponseError && !error.excerpt.includes('secretvalue') && error.excerpt.includes('[REDACTED]'),
    );
  });

  test('excerpt is short', () => {
    assert.throws(
      () => parse(200, `<html>${'x'.repeat(5000)}</html>`, 'text/html'),
      (error: unknown) => error instanceof TokenResponseError && error.excerpt.length <= 201,
    );
  });

  test('4xx html is a response error', () => {
    assert.throws(
      () => parse(407, '<html>Proxy Authentication Required</html>', 'text/html'),
      (error: unknown) => error instanceof TokenResponseError && error.status === 407 && /HTTP 407/.test(error.message),
    );
  });

  test('4xx json without error code is a response error', () => {
    assert.throws(() => parse(400, { message: 'bad' }), (error: unknown) => error instanceof TokenResponseError && /no error code/.test(error.problem));
  });

  test('429 is unavailable', () => {
    assert.throws(() => parse(429, 'slow down', 'text/plain'), (error: unknown) => error instanceof TokenEndpointUnavailableError && error.status === 429);
  });

  test('error description is redacted', () => {
    assert.throws(
      () => parse(400, { error: 'invalid_grant', error_description: 'refresh_token=dsrt_leakyvalue is revoked' }),
      (error: unknown) => error instanceof Error && !error.message.includes('dsrt_leakyvalue'),
    );
  });
});
