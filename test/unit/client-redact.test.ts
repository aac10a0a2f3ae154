import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { excerptOf } from '../../src/api/responses';
import { REDACTED, redactSecrets } from '../../src/api/redact';

/** The demo tokens of the emulator seed and secrets shaped like real ones. */
const SECRETS = [
  'dapi-demo-admin',
  'dapi-demo-reader',
  'dapi-demo-sql',
  'dapi-demo-expired',
  'dapi0123456789abcdef0123456789abcdef',
  'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEiLCJzY29wZSI6ImFsbC1hcGlzIn0.c2lnbmF0dXJlLXZhbHVl',
  '0123456789abcdef0123456789abcdef01234567',
  'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MEFCQ0RFRkdISUpL',
  'rt_Q2x1c3Rlci1yZWZyZXNoLXRva2VuLTAwMQ',
  'opaque-refresh-value',
  'auth-code-xyz',
  'verifier_abc',
];

/** Text shapes a secret may appear in; `%s` is replaced with the secret. */
const CONTEXTS = [
  '%s',
  'token %s leaked',
  'Authorization: Bearer %s',
  'authorization: bearer %s',
  '{"access_token":"%s","token_type":"Bearer"}',
  '{"refresh_token": "%s"}',
  '{ "code" : "%s" }',
  '{"code_verifier":"%s"}',
  '/callback?code=%s&state=abc',
  'grant_type=refresh_token&refresh_token=%s&client_id=datastack-vscode',
  'code_verifier=%s',
  'https://example.test/cb#access_token=%s&expires_in=3600',
];

/** Secrets without a telltale prefix are caught only next to a name such as `refresh_token`. */
const NAME_ONLY_SECRETS = new Set(['opaque-refresh-value', 'auth-code-xyz', 'verifier_abc']);

describe('redactSecrets', () => {
  for (const secret of SECRETS) {
    for (const context of CONTEXTS) {
      const text = context.replace('%s', secret);
      const shapeRecognizable = !NAME_ONLY_SECRETS.has(secret);
      const named = /access_token|refresh_token|code|Bearer|bearer/.test(context);
      if (!shapeRecognizable && !named) {
        continue;
      }
      test(`removes ${secret.slice(0, 12)} from ${context.replace('%s', '…')}`, () => {
        const redacted = redactSecrets(text);
        assert.ok(!redacted.includes(secret), `secret survived in ${redacted}`);
        assert.ok(redacted.includes(REDACTED));
      });
    }
  }

  test('keeps ordinary text', () => {
    const text = 'Cluster 0101-090000-etl001 is RUNNING; path /Shared/etl/daily; state=PENDING';
    assert.equal(redactSecrets(text), text);
  });

  test('keeps error bodies readable', () => {
    const text = '{"error_code":"PERMISSION_DENIED","message":"The token lacks manage:sql.","required_scope":"manage:sql"}';
    assert.equal(redactSecrets(text), text);
  });

  test('excerpt cuts to 200 characters', () => {
    assert.equal(excerptOf('x'.repeat(500)).length, 200);
    assert.equal(excerptOf(undefined), '');
  });

  test('excerpt removes a token cut at the limit', () => {
    const text = `${'a '.repeat(95)}Bearer dapi-demo-admin and more`;
    const excerpt = excerptOf(text);
    assert.ok(!excerpt.includes('dapi-demo'), excerpt);
    assert.ok(!excerpt.includes('dapi-'), excerpt);
  });
});
