import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { startEmulator, type Emulator, type IssuedSecretsSnapshot } from '../emulator/index';
import { authorizeAndDecide, authorizeUrl, control, pkcePair, REDIRECT_URI, tokenRequest } from './emulator-helpers';

describe('emulator issued secrets', () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator();
  });
  after(() => emulator.close());

  test('ledger lists every secret across resets', async () => {
    const pair = pkcePair();
    const state = 'state-issued-secrets-1';
    const location = await authorizeAndDecide(emulator, authorizeUrl(emulator.url, pair.challenge, { state }));
    const code = location.searchParams.get('code') ?? '';
    const first = await tokenRequest(emulator, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      client_id: 'datastack-vscode',
      code_verifier: pair.verifier,
    });
    assert.equal(first.status, 200);
    const second = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: String(first.json['refresh_token']),
      client_id: 'datastack-vscode',
    });
    assert.equal(second.status, 200);
    const added = emulator.addToken({ scopes: ['read:clusters'] });
    emulator.reset();

    const response = await control(emulator, 'GET', '/_emulator/issued-secrets');
    assert.equal(response.status, 200);
    const issued = response.json as unknown as IssuedSecretsSnapshot;
    assert.deepEqual(issued.codes, [code]);
    assert.deepEqual(issued.verifiers, [pair.verifier]);
    assert.deepEqual(issued.states, [state]);
    assert.deepEqual(issued.accessTokens, [first.json['access_token'], second.json['access_token']]);
    assert.deepEqual(issued.refreshTokens, [first.json['refresh_token'], second.json['refresh_token']]);
    assert.ok(issued.personalAccessTokens.includes('dapi-demo-admin'), 'a seeded token is missing');
    assert.ok(issued.personalAccessTokens.includes(added), 'an added token is missing');
    assert.deepEqual(emulator.issuedSecrets(), issued);
  });
});
