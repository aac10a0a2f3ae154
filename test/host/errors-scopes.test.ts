// Host suites of the scope-aware error reporter: the notifications of 403, 401 and polling failures in
// a real VS Code, the fixes behind their buttons, and the missing-scope context keys.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Notifier } from '../../src/errors/notifier';
import type { ExtensionTestApi } from '../../src/extension';
import { emulatorUrl } from './support/env';
import {
  emulatorControl,
  httpBrowser,
  newBrowserRecord,
  pickLabel,
  resetSignIn,
  testApi,
  tokenRequests,
  useEmulatorForSignIn,
  waitFor,
} from './support/sessionHarness';
import {
  SidebarPrompts,
  apiRequests,
  clearRequests,
  configureEmulator,
  emulatorState,
  resourceNode,
  signInForSidebar,
  waitForLists,
} from './support/sidebarHarness';

/** One notification the reporter showed; `pick` presses a button (or dismisses it with undefined). */
interface ShownNotification {
  readonly severity: 'warning' | 'error';
  readonly message: string;
  readonly buttons: readonly string[];
  pick(button: string | undefined): void;
}

/** A notifier that records each notification and keeps it open until the test picks a button. */
class RecordingNotifier implements Notifier {
  readonly shown: ShownNotification[] = [];
  private readonly open = new Set<ShownNotification>();

  show(severity: 'warning' | 'error', message: string, buttons: readonly string[]): Promise<string | undefined> {
    return new Promise((resolve) => {
      const notification: ShownNotification = {
        severity,
        message,
        buttons: [...buttons],
        pick: (button) => {
          this.open.delete(notification);
          resolve(button);
        },
      };
      this.shown.push(notification);
      this.open.add(notification);
    });
  }

  /** Dismisses every notification still open. */
  dismissAll(): void {
    for (const notification of [...this.open]) {
      notification.pick(undefined);
    }
  }

  async next(count: number, what: string): Promise<ShownNotification> {
    await waitFor(() => this.shown.length >= count, what);
    return this.shown[count - 1] as ShownNotification;
  }
}

const READER_LABEL = 'grace@example.com (token)';
const PAT_BUTTONS = ['Enter New Token', 'Copy Scope Name', 'Show Log'];

/** One manage action run by its command on a seed item, signed in with the reader token. */
interface ScopedAction {
  readonly command: string;
  readonly operation: string;
  readonly scope: string;
  /** The start of the message, naming the action and the resource. */
  readonly subject: RegExp;
  /** Queues the answers to the command's prompts and returns the command's argument. */
  prepare(api: ExtensionTestApi, prompts: SidebarPrompts): Promise<unknown>;
}

const SCOPED_ACTIONS: readonly ScopedAction[] = [
  {
    command: 'datastack.warehouse.start',
    operation: 'startWarehouse',
    scope: 'manage:sql',
    subject: /^Starting SQL warehouse "Analytics" /,
    prepare: async (api) => resourceNode(api.sidebar.trees.warehouses, 'warehouse:wh-analytics', 'warehouse'),
  },
  {
    command: 'datastack.warehouse.stop',
    operation: 'stopWarehouse',
    scope: 'manage:sql',
    subject: /^Stopping SQL warehouse "BI dashboards" /,
    prepare: async (api, prompts) => {
      prompts.confirmAnswers.push(true);
      return resourceNode(api.sidebar.trees.warehouses, 'warehouse:wh-bi-dash', 'warehouse');
    },
  },
  {
    command: 'datastack.cluster.start',
    operation: 'startCluster',
    scope: 'manage:clusters',
    subject: /^Starting cluster "[^"]+" /,
    prepare: async (api) => resourceNode(api.sidebar.trees.clusters, 'cluster:0101-090000-adhoc02', 'cluster'),
  },
  {
    command: 'datastack.cluster.terminate',
    operation: 'terminateCluster',
    scope: 'manage:clusters',
    subject: /^Terminating cluster "[^"]+" /,
    prepare: async (api, prompts) => {
      prompts.confirmAnswers.push(true);
      return resourceNode(api.sidebar.trees.clusters, 'cluster:0101-090000-etl001', 'cluster');
    },
  },
  {
    command: 'datastack.cluster.create',
    operation: 'createCluster',
    scope: 'manage:clusters',
    subject: /^Creating cluster "Scope test cluster" /,
    prepare: async (_api, prompts) => {
      prompts.inputs.push('Scope test cluster', '2', '30');
      prompts.picks.push(pickLabel('m5.xlarge'));
      return undefined;
    },
  },
  {
    command: 'datastack.job.runNow',
    operation: 'runJobNow',
    scope: 'manage:jobs',
    subject: /^Running job "[^"]+" /,
    prepare: async (api) => resourceNode(api.sidebar.trees.jobs, 'job:1004', 'job'),
  },
  {
    command: 'datastack.run.cancel',
    operation: 'cancelRun',
    scope: 'manage:jobs',
    subject: /^Cancelling run "[^"]+" /,
    prepare: async (api, prompts) => {
      const tree = api.sidebar.trees.jobs;
      await tree.getChildren(resourceNode(tree, 'job:1001', 'job'));
      prompts.confirmAnswers.push(true);
      return resourceNode(tree, 'run:50003', 'run');
    },
  },
  {
    command: 'datastack.notebook.create',
    operation: 'createNotebook',
    scope: 'manage:notebooks',
    subject: /^Creating notebook "\/Shared\/scope_test" /,
    prepare: async (api, prompts) => {
      prompts.inputs.push('/Shared', 'scope_test');
      prompts.picks.push(pickLabel('SQL'));
      return resourceNode(api.sidebar.trees.notebooks, 'notebook:/Shared', 'folder');
    },
  },
];

async function requestsOf(operation: string): Promise<{ status: number | null }[]> {
  return (await apiRequests()).filter((entry) => entry.operation === operation);
}

async function runCommand(command: string, argument: unknown): Promise<void> {
  await (argument === undefined ? vscode.commands.executeCommand(command) : vscode.commands.executeCommand(command, argument));
}

suite('scope errors with an access token', () => {
  let api: ExtensionTestApi;
  let prompts: SidebarPrompts;
  let notifier: RecordingNotifier;

  suiteSetup(async () => {
    api = await testApi();
    await useEmulatorForSignIn();
  });

  setup(async () => {
    prompts = new SidebarPrompts();
    api.prompts.current = prompts;
    notifier = new RecordingNotifier();
    api.errors.seams.notifier = notifier;
    await resetSignIn(api, prompts);
    await configureEmulator({ lifecycleDelayMs: 600_000 });
    await signInForSidebar(api, prompts, 'dapi-demo-reader');
    await clearRequests();
  });

  teardown(async () => {
    notifier.dismissAll();
    await resetSignIn(api, prompts);
  });

  for (const action of SCOPED_ACTIONS) {
    test(`${action.command} names ${action.scope} once`, async () => {
      await runCommand(action.command, await action.prepare(api, prompts));

      const first = await notifier.next(1, `the notification of ${action.command}`);
      assert.match(first.message, action.subject);
      assert.ok(
        first.message.endsWith(`needs the ${action.scope} scope, which the sign-in "${READER_LABEL}" does not have.`),
        first.message,
      );
      assert.equal(first.severity, 'warning');
      assert.deepEqual(first.buttons, PAT_BUTTONS);
      assert.deepEqual((await requestsOf(action.operation)).map((entry) => entry.status), [403]);
      await api.errors.contextKeys.update();
      const profileId = api.session.service.activeProfile?.id ?? '(signed out)';
      assert.equal(api.session.scopes.status(profileId, action.scope as never), 'missing', `${action.scope} is not recorded missing`);
      assert.equal(api.errors.contextKeys.isMissing(action.scope as never), true, 'the context key is not set');

      first.pick(undefined);
      await runCommand(action.command, await action.prepare(api, prompts));

      const second = await notifier.next(2, `the second notification of ${action.command}`);
      assert.equal(second.message, first.message);
      assert.equal((await requestsOf(action.operation)).length, 1, 'a request went out for a scope known to be missing');
    });
  }

  test('clicked action notifies every time', async () => {
    const node = resourceNode(api.sidebar.trees.warehouses, 'warehouse:wh-analytics', 'warehouse');
    for (let index = 0; index < 3; index++) {
      await vscode.commands.executeCommand('datastack.warehouse.start.locked', node);
    }

    const third = await notifier.next(3, 'the third notification');

    assert.match(third.message, /needs the manage:sql scope/);
    assert.equal((await requestsOf('startWarehouse')).length, 1);
  });

  test('background repeat collapses while open', async () => {
    const failure = new Error('the poll failed');
    for (let index = 0; index < 5; index++) {
      void api.errors.reporter.report(failure, { operation: 'getWarehouse', resourceLabel: 'Analytics' });
    }
    await notifier.next(1, 'the first notification');
    await new Promise((resolve) => setTimeout(resolve, 200));

    assert.equal(notifier.shown.length, 1);
  });

  test('locked twin shows notification without request', async () => {
    const node = resourceNode(api.sidebar.trees.warehouses, 'warehouse:wh-analytics', 'warehouse');
    await vscode.commands.executeCommand('datastack.warehouse.start', node);
    (await notifier.next(1, 'the 403 notification')).pick(undefined);

    await vscode.commands.executeCommand('datastack.warehouse.start.locked', node);

    const locked = await notifier.next(2, 'the notification of the locked twin');
    assert.match(locked.message, /needs the manage:sql scope/);
    assert.equal((await requestsOf('startWarehouse')).length, 1);
  });

  test('copy scope name writes clipboard', async () => {
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('datastack.warehouse.start', resourceNode(api.sidebar.trees.warehouses, 'warehouse:wh-analytics', 'warehouse'));

    (await notifier.next(1, 'the 403 notification')).pick('Copy Scope Name');

    await waitFor(async () => (await vscode.env.clipboard.readText()) === 'manage:sql', 'the scope name in the clipboard');
  });

  test('console url adds tokens page button', async () => {
    const page = `${emulatorUrl()}/console/access-tokens`;
    await vscode.workspace.getConfiguration('datastack').update('consoleUrl', page, vscode.ConfigurationTarget.Global);
    const opened: string[] = [];
    api.errors.seams.openExternal = async (uri) => {
      opened.push(uri.toString(true));
      return true;
    };
    try {
      await vscode.commands.executeCommand('datastack.warehouse.start', resourceNode(api.sidebar.trees.warehouses, 'warehouse:wh-analytics', 'warehouse'));
      const shown = await notifier.next(1, 'the 403 notification');
      assert.deepEqual(shown.buttons, ['Enter New Token', 'Copy Scope Name', 'Open Access Tokens Page', 'Show Log']);

      shown.pick('Open Access Tokens Page');

      await waitFor(() => opened.length === 1, 'the tokens page to open');
      assert.equal(opened[0], page);
    } finally {
      api.errors.seams.openExternal = (uri) => vscode.env.openExternal(uri);
      await vscode.workspace.getConfiguration('datastack').update('consoleUrl', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('enter new token replaces the token', async () => {
    const profileId = api.session.service.activeProfile?.id;
    const node = resourceNode(api.sidebar.trees.warehouses, 'warehouse:wh-analytics', 'warehouse');
    await vscode.commands.executeCommand('datastack.warehouse.start', node);
    prompts.validatedInputs.push('dapi-demo-sql');

    (await notifier.next(1, 'the 403 notification')).pick('Enter New Token');

    await waitFor(() => api.session.scopes.status(profileId ?? '', 'manage:sql') !== 'missing', 'the known scopes to reset');
    assert.equal(api.session.service.activeProfile?.id, profileId, 'the token did not replace the profile');
    await api.errors.contextKeys.update();
    assert.equal(api.errors.contextKeys.isMissing('manage:sql'), false);
    await waitForLists(api);
    await vscode.commands.executeCommand(
      'datastack.warehouse.start',
      resourceNode(api.sidebar.trees.warehouses, 'warehouse:wh-analytics', 'warehouse'),
    );
    assert.deepEqual((await requestsOf('startWarehouse')).map((entry) => entry.status), [403, 200]);
    assert.equal((await emulatorState()).warehouses.find((warehouse) => warehouse.id === 'wh-analytics')?.state, 'STARTING');
  });

  test('expired token gives sign in again', async () => {
    await emulatorControl('POST', 'tokens/expire', { token: 'dapi-demo-reader' });
    const node = resourceNode(api.sidebar.trees.warehouses, 'warehouse:wh-analytics', 'warehouse');

    await vscode.commands.executeCommand('datastack.warehouse.start', node);

    const shown = await notifier.next(1, 'the 401 notification');
    const host = new URL(emulatorUrl()).host;
    assert.equal(shown.message, `Your DataStack sign-in for ${host} has expired or the token is no longer valid.`);
    assert.deepEqual(shown.buttons, ['Sign In Again', 'Show Log']);
    assert.deepEqual((await requestsOf('startWarehouse')).map((entry) => entry.status), [401]);

    const profileId = api.session.service.activeProfile?.id;
    prompts.validatedInputs.push('dapi-demo-admin');
    shown.pick('Sign In Again');
    await waitFor(() => api.session.scopes.status(profileId ?? '', 'read:users') === 'held', 'the new token to be checked');
    assert.equal(api.session.service.activeProfile?.id, profileId);
    assert.equal(api.session.service.activeProfile?.kind, 'pat');
  });

  test('fifty polling 403s give one notification', async function () {
    this.timeout(90_000);
    await resetSignIn(api, prompts);
    const token = 'dapi-scope-poll-test';
    await emulatorControl('POST', 'tokens', { token, scopes: ['read:clusters', 'read:jobs', 'read:notebooks', 'read:sql', 'read:users'] });
    await emulatorControl('POST', 'clusters/bulk', { count: 50, state: 'PENDING', name_prefix: 'Polled cluster' });
    await signInForSidebar(api, prompts, token);
    assert.ok(api.sidebar.poller.trackedKeys('datastack.clusters').length >= 50, 'fewer than 50 clusters are polled');
    await emulatorControl('POST', 'tokens', { token, scopes: ['read:jobs', 'read:notebooks', 'read:sql', 'read:users'] });
    await clearRequests();

    await vscode.commands.executeCommand('datastack.clusters.focus');
    try {
      await waitFor(
        async () => (await requestsOf('getCluster')).filter((entry) => entry.status === 403).length >= 50,
        'fifty polling 403s',
        60_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeSidebar');
    }

    assert.equal(notifier.shown.length, 1, notifier.shown.map((shown) => shown.message).join('\n'));
    assert.match(notifier.shown[0]?.message ?? '', /needs the read:clusters scope/);
  });
});

suite('scope errors with single sign-on', () => {
  let api: ExtensionTestApi;
  let prompts: SidebarPrompts;
  let notifier: RecordingNotifier;

  suiteSetup(async () => {
    api = await testApi();
    await useEmulatorForSignIn();
  });

  setup(async () => {
    prompts = new SidebarPrompts();
    api.prompts.current = prompts;
    notifier = new RecordingNotifier();
    api.errors.seams.notifier = notifier;
    await resetSignIn(api, prompts);
    await configureEmulator({ lifecycleDelayMs: 600_000, autoApprove: true });
    api.session.sso.openBrowser = httpBrowser(newBrowserRecord());
    const profile = await api.session.service.signInWithSso();
    assert.ok(profile, 'the SSO sign-in failed');
    await waitForLists(api);
    await clearRequests();
  });

  teardown(async () => {
    notifier.dismissAll();
    await resetSignIn(api, prompts);
  });

  test('read-only grant locks manage actions', async () => {
    const profile = api.session.service.activeProfile;
    assert.equal(profile?.kind, 'oauth');
    assert.equal(api.session.scopes.status(profile?.id ?? '', 'manage:sql'), 'missing');
    await api.errors.contextKeys.update();
    assert.equal(api.errors.contextKeys.isMissing('manage:sql'), true);
    assert.equal(api.errors.contextKeys.isMissing('read:sql'), false);
  });

  test('grant scope starts warehouse once', async () => {
    const record = newBrowserRecord();
    api.session.sso.openBrowser = httpBrowser(record);
    const node = resourceNode(api.sidebar.trees.warehouses, 'warehouse:wh-analytics', 'warehouse');

    await vscode.commands.executeCommand('datastack.warehouse.start', node);

    const shown = await notifier.next(1, 'the 403 notification');
    const label = api.session.service.activeProfile?.label ?? '';
    assert.match(label, / \(SSO\)$/);
    assert.equal(shown.message, `Starting SQL warehouse "Analytics" needs the manage:sql scope, which the sign-in "${label}" does not have.`);
    assert.deepEqual(shown.buttons, ['Grant manage:sql', 'Show Log']);
    assert.deepEqual(await requestsOf('startWarehouse'), [], 'the grant already said manage:sql is missing');

    shown.pick('Grant manage:sql');

    await waitFor(
      async () => (await emulatorState()).warehouses.find((warehouse) => warehouse.id === 'wh-analytics')?.state === 'STARTING',
      'the warehouse to start after the consent',
      20_000,
    );
    assert.equal(await tokenRequests('authorization_code'), 1, 'the grant ran no second consent');
    const requested = new URL(record.authorizeUrls[0] ?? 'http://invalid/').searchParams.get('scope')?.split(' ') ?? [];
    assert.ok(requested.includes('manage:sql'), `the consent requested ${requested.join(' ')}`);
    assert.ok(requested.includes('read:sql'), 'the consent dropped the scopes the profile held');
    assert.deepEqual((await requestsOf('startWarehouse')).map((entry) => entry.status), [200]);
    assert.equal(notifier.shown.length, 1);
    assert.equal(api.session.scopes.status(api.session.service.activeProfile?.id ?? '', 'manage:sql'), 'held');
  });

  test('grant scope shows warehouse running', async () => {
    api.session.sso.openBrowser = httpBrowser(newBrowserRecord());
    // Slow list responses make the reload after the consent end after the retried start, as in a real workspace.
    await configureEmulator({ lifecycleDelayMs: 1500, latencyMs: 400 });
    await vscode.commands.executeCommand('datastack.warehouses.focus');
    const tree = api.sidebar.trees.warehouses;
    await vscode.commands.executeCommand('datastack.warehouse.start', resourceNode(tree, 'warehouse:wh-analytics', 'warehouse'));

    (await notifier.next(1, 'the 403 notification')).pick('Grant manage:sql');

    const stateOf = (): string | undefined => {
      const node = tree.findNode('warehouse:wh-analytics');
      return node?.kind === 'warehouse' ? node.data.state : undefined;
    };
    await waitFor(() => stateOf() === 'STARTING' || stateOf() === 'RUNNING', 'the warehouse to show STARTING after the grant', 8_000);
    await waitFor(() => stateOf() === 'RUNNING', 'the warehouse to show RUNNING without a refresh', 10_000);
    assert.deepEqual((await requestsOf('startWarehouse')).map((entry) => entry.status), [200]);
    await configureEmulator({ latencyMs: 0 });
  });

  test('oauth 401 after refresh gives sign in again', async () => {
    // Each new access token lives 1 s, but every request waits 1.5 s at the emulator, so the token from
    // the refresh after the first 401 has expired by the time its retry is checked.
    const profileId = api.session.service.activeProfile?.id;
    await api.session.service.signInWithSso({ additionalScopes: ['manage:sql'], ...(profileId ? { profileId } : {}) });
    await waitForLists(api);
    await configureEmulator({ accessTokenLifetimeSeconds: 1, latencyMs: 1500 });
    await emulatorControl('POST', 'tokens/expire', { all: true });
    const node = resourceNode(api.sidebar.trees.warehouses, 'warehouse:wh-bi-dash', 'warehouse');

    prompts.confirmAnswers.push(true);
    await vscode.commands.executeCommand('datastack.warehouse.stop', node);

    const shown = await notifier.next(1, 'the 401 notification');
    const host = new URL(emulatorUrl()).host;
    assert.equal(shown.message, `Your DataStack sign-in for ${host} has expired or the token is no longer valid.`);
    assert.deepEqual(shown.buttons, ['Sign In Again', 'Show Log']);
    assert.ok((await tokenRequests('refresh_token')) >= 1, 'the client did not refresh before reporting the 401');
    await configureEmulator({ accessTokenLifetimeSeconds: 3600, latencyMs: 0 });
  });

  test('show scopes lists status and actions', async () => {
    let items: readonly vscode.QuickPickItem[] = [];
    prompts.picks.push((shownItems) => {
      items = shownItems;
      return undefined;
    });

    await vscode.commands.executeCommand('datastack.showScopes');

    const byScope = new Map(items.map((item) => [item.label.split(' ').pop(), item]));
    assert.equal(byScope.get('read:sql')?.description, 'held: granted, or an action using it succeeded');
    assert.equal(byScope.get('manage:sql')?.description, 'missing: the API refused an action that needs it');
    assert.match(byScope.get('manage:sql')?.detail ?? '', /Start a SQL warehouse, Stop a SQL warehouse/);
    assert.match(byScope.get('manage:workspaces')?.detail ?? '', /No action/);
    assert.equal(items.length, 12);
  });

  test('show scopes placeholder is short', async () => {
    prompts.picks.push(() => undefined);

    await vscode.commands.executeCommand('datastack.showScopes');

    const placeHolder = prompts.pickOptions.at(-1)?.placeHolder ?? '';
    assert.equal(placeHolder, 'Pick a scope to copy its name');
  });
});
