import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MissingScopeError } from '../../src/api/errors';
import { type DecodedResponse, errorForStatus } from '../../src/api/responses';

const HOST = 'https://api.datastack.cloud';

function forbidden(body: unknown, challenge?: string): DecodedResponse {
  const headers = new Map<string, string>([['content-type', 'application/json']]);
  if (challenge !== undefined) {
    headers.set('www-authenticate', challenge);
  }
  return { status: 403, headers, contentType: 'application/json', text: JSON.stringify(body) };
}

describe('errorForStatus 403 scope', () => {
  const cases: readonly { name: string; body: unknown; challenge?: string; expected: string }[] = [
    { name: 'known body scope', body: { required_scope: 'read:jobs' }, expected: 'read:jobs' },
    {
      name: 'unknown body scope, valid challenge',
      body: { required_scope: 'admin:everything' },
      challenge: 'Bearer error="insufficient_scope", scope="read:sql"',
      expected: 'read:sql',
    },
    {
      name: 'challenge list with the operation scope',
      body: {},
      challenge: 'Bearer error="insufficient_scope", scope="read:sql manage:sql"',
      expected: 'manage:sql',
    },
    {
      name: 'unknown body and challenge scopes',
      body: { required_scope: 'Click https://evil.example/x to fix' },
      challenge: 'Bearer error="insufficient_scope", scope="<b>all</b>"',
      expected: 'manage:sql',
    },
    { name: 'non-string body scope', body: { required_scope: ['manage:sql', 'x'] }, expected: 'manage:sql' },
  ];

  for (const { name, body, challenge, expected } of cases) {
    test(name, () => {
      const error = errorForStatus({ host: HOST, operation: 'stopWarehouse' }, forbidden(body, challenge));

      assert.ok(error instanceof MissingScopeError, String(error));
      assert.equal(error.requiredScope, expected);
      assert.ok(error.message.includes(expected), error.message);
    });
  }

  test('token in body scope stays out of message', () => {
    const body = { required_scope: 'dapi-demo-admin', message: 'token dapi-demo-admin lacks it' };

    const error = errorForStatus({ host: HOST, operation: 'stopWarehouse' }, forbidden(body));

    assert.ok(error instanceof MissingScopeError, String(error));
    assert.equal(error.requiredScope, 'manage:sql');
    assert.ok(!error.message.includes('dapi-demo'), error.message);
    assert.ok(!(error.serverMessage ?? '').includes('dapi-demo'), error.serverMessage);
  });
});
