// SecretStorage failures in the real session service: a keyring that throws on write, rejects reads or
// never answers (locked). The failing backend goes into the session's vault through the test API.
import * as assert from 'node:assert/strict';
import type { ExtensionTestApi } from '../../src/extension';
import type { SecretBackend } from '../../src/session/secretVault';
import { emulatorUrl } from './support/env';
import { ScriptedPrompts, resetSignIn, testApi, useEmulatorForSignIn, waitFor } from './support/sessionHarness';

interface Notice {
  readonly message: string;
  readonly buttons: readonly string[];
}

/** The default SecretStorage read timeout of the vault, in milliseconds. */
const READ_TIMEOUT_MS = 5_000;

/** A backend that uses the real SecretStorage except where `overrides` replace it. */
function backendWith(api: ExtensionTestApi, overrides: Partial<SecretBackend>): SecretBackend {
  const real = api.session.secretStorage;
  return {
    get: (key) => real.get(key),
    store: (key, value) => real.store(key, value),
    delete: (key) => real.delete(key),
    onDidChange: () => ({ dispose: () => undefined }),
    ...overrides,
  };
}

/** The saved profile list in global state: the profile ids and the active id. */
function savedProfiles(api: ExtensionTestApi): { ids: string[]; activeId: unknown } {
  const list = api.session.globalState()['datastack.profiles.v1'] as { activeId?: unknown; profiles?: { id: string }[] } | undefined;
  return { ids: (list?.profiles ?? []).map((profile) => profile.id), activeId: list?.activeId };
}

suite('secret storage failures', () => {
  let api: ExtensionTestApi;
  let prompts: ScriptedPrompts;
  let notices: Notice[];
  /** The button the next notices return; a test may replace it with a pending choice. */
  let choose: (notice: Notice) => Promise<string | undefined>;

  suiteSetup(async () => {
    api = await testApi();
    await useEmulatorForSignIn();
  });

  setup(async () => {
    prompts = new ScriptedPrompts();
    api.prompts.current = prompts;
    await resetSignIn(api, prompts);
    notices = [];
    choose = async () => undefined;
    api.session.storageNotices.present = async (message, ...buttons) => {
      const notice = { message, buttons };
      notices.push(notice);
      return choose(notice);
    };
  });

  teardown(async () => {
    api.session.useSecretBackend(undefined);
    await api.session.service.reload();
    api.session.resetStorageNotices();
    await resetSignIn(api, prompts);
  });

  async function signInWithToken(): Promise<string> {
    prompts.inputs.push(emulatorUrl());
    prompts.validatedInputs.push('dapi-demo-admin');
    const profile = await api.session.service.signInWithToken();
    assert.ok(profile, 'the token sign-in returned no profile');
    return profile.id;
  }

  test('write failure keeps sign-in for this window', async () => {
    const attempts: string[] = [];
    api.session.useSecretBackend(
      backendWith(api, {
        store: async (key) => {
          attempts.push(key);
          throw new Error('Cannot create an item in a locked collection');
        },
      }),
    );

    const profileId = await signInWithToken();

    assert.equal(attempts.length, 1, 'the record was not written to SecretStorage once');
    await waitFor(() => notices.length > 0, 'the storage notification');
    assert.equal(notices.length, 1);
    const notice = notices[0] as Notice;
    assert.match(notice.message, /could not save your sign-in in the OS keyring/);
    assert.match(notice.message, /lasts only until this window closes/);
    assert.match(notice.message, /--password-store=basic/);
    assert.deepEqual(notice.buttons, ['Learn More']);
    assert.match(api.session.statusBarItem.text, /\(this window only\)/);
    assert.match(String(api.session.statusBarItem.tooltip), /this sign-in is not saved/);

    assert.equal(api.session.service.activeProfile?.id, profileId);
    const clusters = await api.session.service.getClient()?.call('listClusters', { query: { limit: 1 } });
    assert.ok(clusters !== undefined, 'the window-only sign-in cannot call the API');
    assert.equal(await api.session.storedSecret(profileId), undefined, 'a record reached SecretStorage');

    // A new window with a working keyring finds the profile without its record and drops it.
    api.session.useSecretBackend(undefined);
    await api.session.service.reload();
    assert.equal(api.session.service.profiles.length, 0);
    assert.deepEqual(savedProfiles(api).ids, [], 'a profile without a record stays in global state');
    assert.equal(savedProfiles(api).activeId, undefined, 'the active id names a dropped profile');
    assert.match(api.session.statusBarItem.text, /DataStack: Sign In/);
    assert.equal(notices.length, 1, 'the notification was shown more than once');
  });

  test('read failure starts signed out', async () => {
    const profileId = await signInWithToken();
    let answer: (choice: string | undefined) => void = () => undefined;
    choose = () => new Promise((resolve) => (answer = resolve));
    api.session.useSecretBackend(
      backendWith(api, {
        get: async () => {
          throw new Error('The name org.freedesktop.secrets was not provided by any .service files');
        },
      }),
    );

    await api.session.service.reload();

    assert.equal(api.session.service.profiles.length, 0);
    assert.equal(api.session.service.getClient(), undefined);
    assert.deepEqual(await api.session.provider.getSessions(undefined, {}), []);
    assert.match(api.session.statusBarItem.text, /DataStack: Sign In/);
    await waitFor(() => notices.length > 0, 'the storage notification');
    const notice = notices[0] as Notice;
    assert.match(notice.message, /could not read your saved sign-in from the OS keyring/);
    assert.match(notice.message, /starts signed out/);
    assert.match(notice.message, /--password-store=basic/);
    assert.deepEqual(notice.buttons, ['Retry', 'Learn More']);
    assert.deepEqual(savedProfiles(api).ids, [profileId], 'an unreadable profile was deleted from global state');
    assert.ok((await api.session.storedSecret(profileId)) !== undefined, 'an unreadable record was deleted');

    // The user fixes the keyring and presses Retry: the saved sign-in comes back.
    api.session.useSecretBackend(undefined);
    answer('Retry');
    await waitFor(() => api.session.service.activeProfile?.id === profileId, 'the sign-in after Retry');
    assert.doesNotMatch(api.session.statusBarItem.text, /Sign In|this window only/);
  });

  test('locked keyring read times out', async function () {
    this.timeout(READ_TIMEOUT_MS + 15_000);
    const profileId = await signInWithToken();
    api.session.useSecretBackend(backendWith(api, { get: () => new Promise<undefined>(() => undefined) }));

    const started = Date.now();
    await api.session.service.reload();
    const elapsedMs = Date.now() - started;

    assert.ok(elapsedMs >= READ_TIMEOUT_MS - 100, `reload returned after ${elapsedMs} ms, before the read timeout`);
    assert.ok(elapsedMs < READ_TIMEOUT_MS + 5_000, `reload took ${elapsedMs} ms`);
    assert.equal(api.session.service.profiles.length, 0);
    assert.match(api.session.statusBarItem.text, /DataStack: Sign In/);
    await waitFor(() => notices.length > 0, 'the storage notification');
    const notice = notices[0] as Notice;
    assert.match(notice.message, /did not respond in time \(it may be locked\)/);
    assert.match(notice.message, /starts signed out/);
    assert.deepEqual(notice.buttons, ['Retry', 'Learn More']);
    assert.deepEqual(savedProfiles(api).ids, [profileId], 'a profile behind a locked keyring was deleted');

    // While the keyring stays locked, the Accounts menu's provider answers at once.
    const sessions = await api.session.provider.getSessions(undefined, {});
    assert.deepEqual(sessions, []);
  });
});
