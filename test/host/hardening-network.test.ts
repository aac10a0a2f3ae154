import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DataStackClient } from '../../src/api/client';
import { ProxyError } from '../../src/api/errors';
import { NetworkDispatcher } from '../../src/api/network/index';
import { onDidChangeNetworkOptions, readNetworkOptions } from '../../src/core/networkSettings';
import { type TestProxy, startTestProxy, unusedPort } from '../unit/network-fixtures';
import type { ExtensionTestApi } from '../../src/extension';
import { emulatorUrl } from './support/env';
import { ScriptedPrompts, resetSignIn, testApi, useEmulatorForSignIn } from './support/sessionHarness';

const HTTP_KEYS = ['proxy', 'proxyStrictSSL', 'noProxy'] as const;

async function resetSettings(): Promise<void> {
  const http = vscode.workspace.getConfiguration('http');
  for (const key of HTTP_KEYS) {
    await http.update(key, undefined, vscode.ConfigurationTarget.Global);
  }
  await vscode.workspace.getConfiguration('datastack').update('caCertificates', undefined, vscode.ConfigurationTarget.Global);
}

/** Resolves with the next options the change event fires, or rejects after `withinMs`. */
function nextChange(withinMs = 5000): Promise<ReturnType<typeof readNetworkOptions>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`no network settings change within ${withinMs} ms`));
    }, withinMs);
    const subscription = onDidChangeNetworkOptions((options) => {
      clearTimeout(timer);
      subscription.dispose();
      resolve(options);
    });
  });
}

suite('hardening: network settings', () => {
  let proxy: TestProxy;

  suiteSetup(async () => {
    proxy = await startTestProxy();
  });

  suiteTeardown(async () => {
    await resetSettings();
    await proxy.close();
  });

  teardown(async () => {
    await resetSettings();
  });

  test('reads proxy and CA settings', async () => {
    const http = vscode.workspace.getConfiguration('http');
    await http.update('proxy', proxy.url, vscode.ConfigurationTarget.Global);
    await http.update('proxyStrictSSL', false, vscode.ConfigurationTarget.Global);
    await http.update('noProxy', ['internal.example'], vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('datastack').update('caCertificates', ['/etc/ssl/corp.pem'], vscode.ConfigurationTarget.Global);

    const options = readNetworkOptions({});

    assert.equal(options.proxyUrl, proxy.url);
    assert.equal(options.proxyStrictSSL, false);
    assert.deepEqual(options.noProxy, ['internal.example']);
    assert.deepEqual(options.caCertificatePaths, ['/etc/ssl/corp.pem']);
  });

  test('passes only network variables on', () => {
    const options = readNetworkOptions({ HTTPS_PROXY: 'http://127.0.0.1:3128', NODE_EXTRA_CA_CERTS: '/ca.pem', DATASTACK_SECRET: 'x' });

    assert.equal(options.env['HTTPS_PROXY'], 'http://127.0.0.1:3128');
    assert.equal(options.env['NODE_EXTRA_CA_CERTS'], '/ca.pem');
    assert.equal(Object.keys(options.env).includes('DATASTACK_SECRET'), false);
  });

  test('fires on a proxy change', async () => {
    const changed = nextChange();
    await vscode.workspace.getConfiguration('http').update('proxy', proxy.url, vscode.ConfigurationTarget.Global);

    assert.equal((await changed).proxyUrl, proxy.url);
  });

  test('requests follow http.proxy', async () => {
    await vscode.workspace.getConfiguration('http').update('proxy', proxy.url, vscode.ConfigurationTarget.Global);
    const dispatcher = NetworkDispatcher.create(readNetworkOptions({}));
    proxy.requests.length = 0;
    try {
      const client = new DataStackClient({ host: emulatorUrl(), userAgent: 'datastack-vscode/host-test', getToken: async () => 'dapi-demo-admin', dispatcher });
      const user = await client.getCurrentUser();

      assert.equal(user.user_name, 'ada@example.com');
      assert.equal(proxy.requests.length, 1);
    } finally {
      await dispatcher.close();
    }
  });

  test('a dead http.proxy raises ProxyError', async () => {
    await vscode.workspace.getConfiguration('http').update('proxy', `http://127.0.0.1:${await unusedPort()}`, vscode.ConfigurationTarget.Global);
    const dispatcher = NetworkDispatcher.create(readNetworkOptions({}));
    try {
      const client = new DataStackClient({ host: emulatorUrl(), userAgent: 'datastack-vscode/host-test', getToken: async () => 'dapi-demo-admin', dispatcher });

      await assert.rejects(client.getCurrentUser(), (error: unknown) => error instanceof ProxyError && error.reason === 'unreachable');
    } finally {
      await dispatcher.close();
    }
  });
});

suite("hardening: the extension's clients and http.proxy", () => {
  let api: ExtensionTestApi;
  let prompts: ScriptedPrompts;
  let proxy: TestProxy;

  /** Changes `http.proxy` and resolves once the extension's change listener has run too. */
  async function setProxy(value: string | undefined): Promise<void> {
    // The extension subscribed at activation, before this listener, so it has applied the change first.
    const changed = nextChange();
    await vscode.workspace.getConfiguration('http').update('proxy', value, vscode.ConfigurationTarget.Global);
    await changed;
  }

  async function signInWithToken(): Promise<void> {
    prompts.inputs.push(emulatorUrl());
    prompts.validatedInputs.push('dapi-demo-admin');
    await vscode.commands.executeCommand('datastack.signInWithToken');
    assert.equal(api.session.service.activeProfile?.kind, 'pat', 'the token sign-in did not complete');
  }

  suiteSetup(async () => {
    api = await testApi();
    await useEmulatorForSignIn();
    proxy = await startTestProxy();
  });

  setup(async () => {
    prompts = new ScriptedPrompts();
    api.prompts.current = prompts;
    await resetSignIn(api, prompts);
    await resetSettings();
    proxy.requests.length = 0;
  });

  teardown(async () => {
    await resetSignIn(api, prompts);
    await resetSettings();
  });

  suiteTeardown(async () => {
    await proxy.close();
  });

  test('profile client follows a proxy change', async () => {
    await signInWithToken();
    const client = api.session.service.getClient();
    assert.ok(client, 'no client after sign-in');
    await client.getCurrentUser();
    assert.equal(proxy.requests.length, 0, 'a request went through the proxy before http.proxy was set');

    await setProxy(proxy.url);
    const user = await client.getCurrentUser();

    assert.equal(user.email, 'ada@example.com');
    // Views that refresh after the sign-in may send their lists through the proxy too; only the check matters here.
    const checks = proxy.requests.filter((request) => request.target.endsWith('/v1/users/me'));
    assert.deepEqual(checks, [{ method: 'GET', target: `${emulatorUrl()}/v1/users/me`, status: 200 }]);

    await setProxy(undefined);
    await client.getCurrentUser();
    assert.equal(proxy.requests.length, 1, 'a request went through the proxy after http.proxy was cleared');
  });

  test('token check goes through the proxy', async () => {
    await setProxy(proxy.url);
    await signInWithToken();

    // Views that refresh after the sign-in may send their lists through the proxy too; only the check matters here.
    const checks = proxy.requests.filter((request) => request.target.endsWith('/v1/users/me'));
    assert.deepEqual(checks, [{ method: 'GET', target: `${emulatorUrl()}/v1/users/me`, status: 200 }]);
  });

  test('dead proxy fails the client with ProxyError', async () => {
    await signInWithToken();
    const client = api.session.service.getClient();
    assert.ok(client, 'no client after sign-in');

    await setProxy(`http://127.0.0.1:${await unusedPort()}`);

    // The client's classes come from the extension's bundle, not this one, so `instanceof` cannot match.
    await assert.rejects(
      client.getCurrentUser(),
      (error: unknown) => error instanceof Error && error.name === 'ProxyError' && (error as ProxyError).reason === 'unreachable',
    );
  });

  test('invalid http.proxy is left out', async () => {
    await signInWithToken();
    const client = api.session.service.getClient();
    assert.ok(client, 'no client after sign-in');
    await setProxy(proxy.url);
    await client.getCurrentUser();
    assert.equal(proxy.requests.length, 1);

    await setProxy('socks5://127.0.0.1:1080');
    const user = await client.getCurrentUser();

    assert.equal(user.email, 'ada@example.com');
    assert.equal(proxy.requests.length, 1, 'the request still went through the previous proxy');
  });
});
