import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildAuthorizeUrl, validateEndpointUrl, withOfflineAccess, type AuthorizeRequest } from '../../src/auth/authorizeUrl';
import { InvalidOAuthSettingError } from '../../src/auth/errors';

const REQUEST: AuthorizeRequest = {
  authorizationUrl: 'https://accounts.datastack.cloud/oauth2/authorize',
  clientId: 'datastack-vscode',
  audience: 'https://api.datastack.cloud',
  scopes: ['read:clusters', 'read:jobs'],
  redirectUri: 'http://127.0.0.1:49152/callback',
  state: 'c3RhdGUtdmFsdWUtMTIzNDU2',
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
};

describe('authorize url', () => {
  test('has every parameter', () => {
    const url = new URL(buildAuthorizeUrl(REQUEST));
    assert.equal(url.origin + url.pathname, REQUEST.authorizationUrl);
    const params = url.searchParams;
    assert.equal(params.get('response_type'), 'code');
    assert.equal(params.get('client_id'), REQUEST.clientId);
    assert.equal(params.get('redirect_uri'), REQUEST.redirectUri);
    assert.equal(params.get('scope'), 'read:clusters read:jobs offline_access');
    assert.equal(params.get('audience'), REQUEST.audience);
    assert.equal(params.get('state'), REQUEST.state);
    assert.equal(params.get('code_challenge'), REQUEST.codeChallenge);
    assert.equal(params.get('code_challenge_method'), 'S256');
  });

  test('keeps configured query and overrides ours', () => {
    const url = new URL(
      buildAuthorizeUrl({ ...REQUEST, authorizationUrl: 'https://idp.example.com/authorize?prompt=login&response_type=token' }),
    );
    assert.equal(url.searchParams.get('prompt'), 'login');
    assert.deepEqual(url.searchParams.getAll('response_type'), ['code']);
  });

  test('accepts http on loopback', () => {
    const url = new URL(buildAuthorizeUrl({ ...REQUEST, authorizationUrl: 'http://127.0.0.2:8080/oauth2/authorize' }));
    assert.equal(url.host, '127.0.0.2:8080');
  });

  const invalid: [string, string, RegExp][] = [
    ['http on a remote host', 'http://accounts.datastack.cloud/authorize', /must be https/],
    ['javascript scheme', 'javascript:alert(1)', /not supported/],
    ['file scheme', 'file:///etc/passwd', /not supported/],
    ['not a URL', 'accounts.datastack.cloud/authorize', /not a valid absolute URL/],
    ['user info', 'https://user:pw@accounts.datastack.cloud/authorize', /user name or password/],
    ['fragment', 'https://accounts.datastack.cloud/authorize#x', /fragment/],
  ];
  for (const [name, value, reason] of invalid) {
    test(`rejects ${name}`, () => {
      assert.throws(
        () => buildAuthorizeUrl({ ...REQUEST, authorizationUrl: value }),
        (error: unknown) =>
          error instanceof InvalidOAuthSettingError && error.setting === 'authorizationUrl' && reason.test(error.reason),
      );
    });
  }

  test('rejects a client id with spaces', () => {
    assert.throws(() => buildAuthorizeUrl({ ...REQUEST, clientId: 'a b' }), InvalidOAuthSettingError);
  });

  test('rejects a scope with a space', () => {
    assert.throws(() => buildAuthorizeUrl({ ...REQUEST, scopes: ['read:clusters read:jobs'] }), InvalidOAuthSettingError);
  });

  test('offline_access is added once', () => {
    assert.deepEqual(withOfflineAccess(['a', 'offline_access', 'a', 'b']), ['a', 'b', 'offline_access']);
  });

  test('token url validation names the setting', () => {
    assert.throws(
      () => validateEndpointUrl('tokenUrl', 'http://example.com/token'),
      (error: unknown) => error instanceof InvalidOAuthSettingError && error.setting === 'tokenUrl',
    );
  });
});
