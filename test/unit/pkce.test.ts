import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  computeCodeChallenge,
  createCodeVerifier,
  createPkcePair,
  createState,
  isBase64Url,
  statesEqual,
} from '../../src/auth/pkce';

describe('pkce', () => {
  test('challenge matches RFC 7636 Appendix B', () => {
    assert.equal(
      computeCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'),
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  test('verifier from the RFC 7636 Appendix B bytes', () => {
    const bytes = Uint8Array.from([
      116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240,
      91, 88, 5, 88, 83, 132, 141, 121,
    ]);
    assert.equal(createCodeVerifier(() => bytes), 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
  });

  test('verifier length and alphabet', () => {
    for (let i = 0; i < 200; i++) {
      const verifier = createCodeVerifier();
      assert.equal(verifier.length, 43);
      assert.match(verifier, /^[A-Za-z0-9\-._~]{43,128}$/);
      assert.ok(isBase64Url(verifier));
    }
  });

  test('verifier asks for 32 random bytes', () => {
    let requested = 0;
    createCodeVerifier((size) => {
      requested = size;
      return new Uint8Array(size);
    });
    assert.equal(requested, 32);
  });

  test('pair is fresh and consistent', () => {
    const first = createPkcePair();
    const second = createPkcePair();
    assert.notEqual(first.verifier, second.verifier);
    assert.equal(first.challenge, computeCodeChallenge(first.verifier));
    assert.ok(isBase64Url(first.challenge));
    assert.equal(first.challenge.length, 43);
  });
});

describe('state', () => {
  test('has 128 bits in base64url', () => {
    let requested = 0;
    const state = createState((size) => {
      requested = size;
      return new Uint8Array(size).fill(0xfb);
    });
    assert.equal(requested, 16);
    assert.equal(state.length, 22);
    assert.ok(isBase64Url(state));
    assert.match(state, /[-_]/, 'bytes 0xfb must produce the URL-safe characters');
  });

  test('values are unique', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      seen.add(createState());
    }
    assert.equal(seen.size, 1000);
  });

  test('round-trips through URL unchanged', () => {
    for (let i = 0; i < 200; i++) {
      const state = createState();
      const verifier = createCodeVerifier();
      const url = new URL('http://127.0.0.1:1234/callback');
      url.searchParams.set('state', state);
      url.searchParams.set('v', verifier);
      const reparsed = new URL(url.toString());
      assert.equal(reparsed.searchParams.get('state'), state);
      assert.equal(reparsed.searchParams.get('v'), verifier);
      assert.ok(url.toString().includes(`state=${state}`), 'state must need no percent-encoding');
    }
  });

  test('comparison is exact', () => {
    const state = createState();
    assert.equal(statesEqual(state, state), true);
    assert.equal(statesEqual(`${state}x`, state), false);
    assert.equal(statesEqual(state.slice(1), state), false);
    assert.equal(statesEqual(state.toUpperCase() === state ? `${state}a` : state.toUpperCase(), state), false);
    assert.equal(statesEqual('', state), false);
    assert.equal(statesEqual(undefined, state), false);
    assert.equal(statesEqual(null, state), false);
  });
});
