import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { AuthenticationError, MissingScopeError } from '../../src/api/errors';
import { Agent, type Dispatcher } from 'undici';
import { ALL_APIS_SCOPE, OPERATIONS, OPERATION_IDS, type OperationId, SCOPES, scopeOf } from '../../src/api/operations';
import { SCOPE_HEADER } from '../../src/api/request';
import type { Emulator } from '../emulator/index';
import {
  ADMIN_TOKEN,
  EXPIRED_TOKEN,
  OPERATION_CALLS,
  USER_AGENT,
  createTestClient,
  startTestEmulator,
} from './client-fixtures';

let emulator: Emulator;

before(async () => {
  emulator = await startTestEmulator();
});

after(async () => {
  await emulator.close();
});

beforeEach(() => {
  emulator.reset();
});

describe('client operations', () => {
  for (const operation of OPERATION_IDS) {
    test(`${operation} sends its scope`, async () => {
      const { client } = createTestClient(emulator);

      await OPERATION_CALLS[operation](client);

      const requests = emulator.requests.filter((entry) => entry.operation === operation);
      assert.ok(requests.length >= 1, `no ${operation} request reached the emulator`);
      for (const entry of requests) {
        assert.equal(entry.scope, scopeOf(operation));
        assert.equal(entry.method, OPERATIONS[operation].method);
        assert.equal(entry.status, 200);
        assert.equal(entry.hasAuthorization, true);
        assert.equal(entry.userAgent, USER_AGENT);
      }
    });
  }

  test('user agent names the extension', async () => {
    const { client } = createTestClient(emulator);
    await client.getCurrentUser();
    assert.match(emulator.requests[0]?.userAgent ?? '', /^datastack-vscode\/\d+\.\d+\.\d+/);
  });
});

/** The token cases of the 401/403 matrix, relative to the operation under test. */
type TokenCase = 'only its scope' | 'every other scope' | 'all-apis' | 'expired' | 'unknown';

function tokenFor(tokenCase: TokenCase, operation: (typeof OPERATION_IDS)[number]): string {
  const required = scopeOf(operation);
  switch (tokenCase) {
    case 'only its scope':
      return emulator.addToken({ scopes: [required] });
    case 'every other scope':
      return emulator.addToken({ scopes: SCOPES.filter((scope) => scope !== required && scope !== ALL_APIS_SCOPE) });
    case 'all-apis':
      return ADMIN_TOKEN;
    case 'expired':
      return EXPIRED_TOKEN;
    case 'unknown':
      return 'dapi-not-a-known-token';
  }
}

describe('client 401/403 matrix', () => {
  const cases: TokenCase[] = ['only its scope', 'every other scope', 'all-apis', 'expired', 'unknown'];
  for (const operation of OPERATION_IDS) {
    for (const tokenCase of cases) {
      test(`${operation} with ${tokenCase}`, async () => {
        const { client } = createTestClient(emulator, { token: tokenFor(tokenCase, operation) });
        const call = OPERATION_CALLS[operation](client);

        if (tokenCase === 'only its scope' || tokenCase === 'all-apis') {
          await call;
          return;
        }
        if (tokenCase === 'every other scope') {
          await assert.rejects(call, (error: unknown) => {
            assert.ok(error instanceof MissingScopeError, `expected MissingScopeError, got ${String(error)}`);
            assert.equal(error.requiredScope, scopeOf(operation));
            assert.equal(error.operation, operation);
            assert.equal(error.host, emulator.url);
            return true;
          });
        } else {
          await assert.rejects(call, (error: unknown) => {
            assert.ok(error instanceof AuthenticationError, `expected AuthenticationError, got ${String(error)}`);
            assert.equal(error.challenge.error, 'invalid_token');
            assert.equal(error.operation, operation);
            return true;
          });
        }
        // A rejected request is never retried and never changes state.
        assert.equal(emulator.requests.filter((entry) => entry.operation === operation).length, 1);
      });
    }
  }
});

describe('client scope header rewritten', () => {
  /** Returns an agent that removes or replaces the scope header before the request leaves. */
  function rewritingAgent(scope: string | undefined): Dispatcher {
    return new Agent().compose((dispatch) => (options, handler) => {
      const headers = { ...(options.headers as Record<string, string>) };
      delete headers[SCOPE_HEADER];
      if (scope !== undefined) {
        headers[SCOPE_HEADER] = scope;
      }
      return dispatch({ ...options, headers }, handler);
    });
  }

  const rewrites: readonly (readonly [string, (operation: OperationId) => string | undefined])[] = [
    ['header missing', () => undefined],
    ['header names another scope', (operation) => SCOPES.find((scope) => scope !== scopeOf(operation) && scope !== ALL_APIS_SCOPE)],
    ['header names all-apis', () => ALL_APIS_SCOPE],
  ];
  for (const operation of OPERATION_IDS) {
    for (const [name, rewrite] of rewrites) {
      test(`${operation} with ${name}`, async () => {
        const dispatcher = rewritingAgent(rewrite(operation));
        const { client } = createTestClient(emulator, { dispatcher });
        try {
          await assert.rejects(OPERATION_CALLS[operation](client), (error: unknown) => {
            assert.ok(error instanceof MissingScopeError, `expected MissingScopeError, got ${String(error)}`);
            assert.equal(error.requiredScope, scopeOf(operation));
            return true;
          });
          const entry = emulator.requests.find((request) => request.operation === operation);
          assert.equal(entry?.scope ?? null, rewrite(operation) ?? null);
          assert.equal(entry?.status, 403);
        } finally {
          await dispatcher.close();
        }
      });
    }
  }
});

describe('client 403 required scope', () => {
  test('comes from the error body', async () => {
    const { client } = createTestClient(emulator, { token: 'dapi-demo-reader' });
    // The reader token has every read scope and no manage scope.
    await assert.rejects(client.startWarehouse('wh-analytics'), (error: unknown) => {
      assert.ok(error instanceof MissingScopeError);
      assert.equal(error.requiredScope, 'manage:sql');
      assert.match(error.serverMessage ?? '', /manage:sql/);
      return true;
    });
  });
});
