// When the session service reads and writes the saved records: only the active profile's record on first
// need, every record for the Accounts menu, and a new sign-in's record while the views already load.
import * as assert from 'node:assert/strict';
import type { ExtensionTestApi } from '../../src/extension';
import type { Profile } from '../../src/core/contracts';
import type { SecretBackend } from '../../src/session/secretVault';
import { emulatorUrl } from './support/env';
import { ScriptedPrompts, resetSignIn, testApi, useEmulatorForSignIn, waitFor } from './support/sessionHarness';

suite('session record reads', () => {
  let api: ExtensionTestApi;
  let prompts: ScriptedPrompts;

  suiteSetup(async () => {
    api = await testApi();
    await useEmulatorForSignIn();
  });

  setup(async () => {
    prompts = new ScriptedPrompts();
    api.prompts.current = prompts;
    await resetSignIn(api, prompts);
  });

  teardown(async () => {
    api.session.useSecretBackend(undefined);
    await api.session.service.reload();
    await resetSignIn(api, prompts);
  });

  function signInWithToken(): Promise<Profile | undefined> {
    prompts.inputs.push(emulatorUrl());
    prompts.validatedInputs.push('dapi-demo-admin');
    return api.session.service.signInWithToken();
  }

  test('reload reads only the active record', async () => {
    const first = await signInWithToken();
    const second = await signInWithToken();
    assert.ok(first !== undefined, 'the first token sign-in returned no profile');
    assert.ok(second !== undefined, 'the second token sign-in returned no profile');

    const before = api.session.secretReads();
    await api.session.service.reload();
    assert.equal(api.session.secretReads() - before, 1, 'reload read more than the active record');
    assert.equal(api.session.service.activeProfile?.id, second.id);
    assert.equal(api.session.service.profiles.length, 2);

    const sessions = await api.session.provider.getSessions(undefined, {});
    assert.deepEqual(sessions.map((session) => session.id).sort(), [first.id, second.id].sort());
    assert.equal(api.session.secretReads() - before, 2, 'getSessions did not read the other record once');
  });

  test('sign-in is active before its record is stored', async () => {
    const real = api.session.secretStorage;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let stored = false;
    const gated: SecretBackend = {
      get: (key) => real.get(key),
      store: async (key, value) => {
        await gate;
        await real.store(key, value);
        stored = true;
      },
      delete: (key) => real.delete(key),
      onDidChange: () => ({ dispose: () => undefined }),
    };
    api.session.useSecretBackend(gated);
    let activated: string | undefined;
    const subscription = api.session.service.onDidChangeActiveProfile((profile) => (activated = profile?.id));

    try {
      const signIn = signInWithToken();
      await waitFor(() => activated !== undefined, 'the active profile change of the sign-in');
      assert.equal(stored, false, 'the record was stored before the active profile changed');
      const clusters = await api.session.service.getClient()?.call('listClusters', { query: { limit: 1 } });
      assert.ok(clusters !== undefined, 'the client of the new sign-in cannot call the API');

      release();
      const profile = await signIn;
      assert.ok(profile !== undefined, 'the token sign-in returned no profile');
      assert.equal(profile.id, activated);
      assert.equal(stored, true, 'the sign-in resolved before its record was stored');
      assert.ok((await api.session.storedSecret(profile.id)) !== undefined, 'the record is not in SecretStorage');
    } finally {
      release();
      subscription.dispose();
    }
  });
});
