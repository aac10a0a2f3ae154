// A keyring whose delete fails at sign-out: the session service must not leave the token there for good.
// The failing backend goes into the session's vault through the test API.
import * as assert from 'node:assert/strict';
import type { ExtensionTestApi } from '../../src/extension';
import { PENDING_DELETES_KEY } from '../../src/session/secretVault';
import { emulatorUrl } from './support/env';
import { ScriptedPrompts, resetSignIn, testApi, useEmulatorForSignIn, waitFor } from './support/sessionHarness';

interface Notice {
  readonly message: string;
  readonly buttons: readonly string[];
}

suite('secret storage delete failures', () => {
  let api: ExtensionTestApi;
  let prompts: ScriptedPrompts;
  let notices: Notice[];

  suiteSetup(async () => {
    api = await testApi();
    await useEmulatorForSignIn();
  });

  setup(async () => {
    prompts = new ScriptedPrompts();
    api.prompts.current = prompts;
    await resetSignIn(api, prompts);
    notices = [];
    api.session.storageNotices.present = async (message, ...buttons) => {
      notices.push({ message, buttons });
      return undefined;
    };
  });

  teardown(async () => {
    api.session.useSecretBackend(undefined);
    await api.session.service.reload();
    api.session.resetStorageNotices();
    await resetSignIn(api, prompts);
  });

  test('failed delete at sign-out is retried', async () => {
    prompts.inputs.push(emulatorUrl());
    prompts.validatedInputs.push('dapi-demo-admin');
    const profile = await api.session.service.signInWithToken();
    assert.ok(profile, 'the token sign-in returned no profile');
    const real = api.session.secretStorage;
    let deleteAttempts = 0;
    api.session.useSecretBackend({
      get: (key) => real.get(key),
      store: (key, value) => real.store(key, value),
      delete: async () => {
        deleteAttempts++;
        throw new Error('Cannot delete an item in a locked collection');
      },
      onDidChange: () => ({ dispose: () => undefined }),
    });

    await api.session.service.signOut(profile.id, { revoke: false });

    assert.equal(deleteAttempts, 1);
    assert.equal(api.session.service.profiles.length, 0);
    assert.ok((await api.session.storedSecret(profile.id)) !== undefined, 'the failing backend deleted the secret');
    const pendingKeys = (): string[] => (api.session.globalState()[PENDING_DELETES_KEY] as string[] | undefined) ?? [];
    const recorded = pendingKeys().filter((key) => key.endsWith(profile.id));
    assert.equal(recorded.length, 1, `pending keys: ${pendingKeys().join(', ')}`);
    await waitFor(() => notices.length > 0, 'the storage notification');
    assert.equal(notices.length, 1);
    assert.match((notices[0] as Notice).message, /could not delete a saved sign-in from the OS keyring/);
    assert.match((notices[0] as Notice).message, /tries again when VS Code starts/);
    assert.deepEqual((notices[0] as Notice).buttons, ['Retry', 'Learn More']);

    // The next load, as at activation, deletes the orphaned secret once the keyring works again.
    api.session.useSecretBackend(undefined);
    await api.session.service.reload();

    await waitFor(async () => (await api.session.storedSecret(profile.id)) === undefined, 'the orphaned secret to be deleted');
    await waitFor(() => !pendingKeys().some((key) => key.endsWith(profile.id)), 'the pending record to be cleared');
  });
});
