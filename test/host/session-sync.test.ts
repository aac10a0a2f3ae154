import * as assert from 'node:assert/strict';
import type { SessionChange } from '../../src/session/sessionService';
import type { ExtensionTestApi } from '../../src/extension';
import { ScriptedPrompts, emulatorControl, httpBrowser, newBrowserRecord, resetSignIn, testApi, useEmulatorForSignIn, waitFor } from './support/sessionHarness';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describe(change: SessionChange): string[] {
  return [
    ...change.added.map((profile) => `added ${profile.id}`),
    ...change.changed.map((profile) => `changed ${profile.id}`),
    ...change.removed.map((profile) => `removed ${profile.id}`),
  ];
}

// Another window shares SecretStorage; these tests write it directly, as that window would.
suite('session sync across windows', () => {
  let api: ExtensionTestApi;
  let prompts: ScriptedPrompts;
  let events: string[];
  let subscription: { dispose(): unknown } | undefined;

  async function signInSso(): Promise<string> {
    await emulatorControl('POST', 'config', { autoApprove: true });
    api.session.sso.openBrowser = httpBrowser(newBrowserRecord());
    const profile = await api.session.service.signInWithSso();
    assert.ok(profile);
    await sleep(300);
    events.length = 0;
    return profile.id;
  }

  suiteSetup(async () => {
    api = await testApi();
    await useEmulatorForSignIn();
  });

  setup(async () => {
    prompts = new ScriptedPrompts();
    api.prompts.current = prompts;
    await resetSignIn(api, prompts);
    events = [];
    subscription = api.session.service.onDidChangeSessions((change) => events.push(...describe(change)));
  });

  teardown(async () => {
    subscription?.dispose();
    await resetSignIn(api, prompts);
  });

  test('own sign-in fires added once', async () => {
    await emulatorControl('POST', 'config', { autoApprove: true });
    api.session.sso.openBrowser = httpBrowser(newBrowserRecord());
    const profile = await api.session.service.signInWithSso();
    await sleep(500);
    assert.deepEqual(events, [`added ${profile?.id}`]);
  });

  test('rewrite of the same record fires nothing', async () => {
    const id = await signInSso();
    const text = await api.session.storedSecret(id);
    await api.session.writeSecretDirectly(id, text);
    await api.session.writeSecretDirectly(id, text);
    await sleep(500);
    assert.deepEqual(events, []);
  });

  test('tokens from another window fire changed once', async () => {
    const id = await signInSso();
    const record = JSON.parse((await api.session.storedSecret(id)) ?? '{}') as Record<string, unknown>;
    const newer = JSON.stringify({ ...record, accessToken: `${String(record.accessToken)}-rotated-elsewhere` });
    await api.session.writeSecretDirectly(id, newer);
    await api.session.writeSecretDirectly(id, newer);
    await waitFor(() => events.length > 0, 'the changed event');
    await sleep(300);
    assert.deepEqual(events, [`changed ${id}`]);
    assert.equal(api.session.service.credentialOf(id)?.record.accessToken, `${String(record.accessToken)}-rotated-elsewhere`);
  });

  test('sign-out in another window fires removed', async () => {
    const id = await signInSso();
    await api.session.writeSecretDirectly(id, undefined);
    await waitFor(() => events.length > 0, 'the removed event');
    assert.deepEqual(events, [`removed ${id}`]);
    assert.equal(api.session.service.activeProfile, undefined);
  });

  for (const [name, text] of [
    ['corrupt record', '{"v":1,"kind":'],
    ['future version record', '{"v":99,"kind":"oauth"}'],
  ] as const) {
    test(`${name} signs out`, async () => {
      const id = await signInSso();
      await api.session.writeSecretDirectly(id, text);
      await waitFor(() => events.length > 0, 'the removed event');
      assert.deepEqual(events, [`removed ${id}`]);
      await waitFor(async () => (await api.session.storedSecret(id)) === undefined, 'the unreadable record to be deleted');
    });
  }
});
