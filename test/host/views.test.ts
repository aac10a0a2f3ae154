import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionTestApi } from '../../src/extension';
import type { MessageNode, TreeNode } from '../../src/views/nodes';
import { emulatorControl, resetSignIn, testApi, useEmulatorForSignIn } from './support/sessionHarness';
import {
  SidebarPrompts,
  apiRequests,
  clearRequests,
  configureEmulator,
  rootNodes,
  signInForSidebar,
  waitForLists,
} from './support/sidebarHarness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function kinds(nodes: readonly TreeNode[]): string[] {
  return nodes.map((node) => node.kind);
}

suite('sidebar views', () => {
  let api: ExtensionTestApi;
  let prompts: SidebarPrompts;

  suiteSetup(async () => {
    api = await testApi();
    await useEmulatorForSignIn();
  });

  setup(async () => {
    prompts = new SidebarPrompts();
    api.prompts.current = prompts;
    await resetSignIn(api, prompts);
    // The seed's STARTING warehouse and RUNNING run settle after the lifecycle delay; these tests read them.
    await configureEmulator({ lifecycleDelayMs: 600_000 });
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
  });

  teardown(async () => {
    await vscode.workspace.getConfiguration('datastack').update('pageSize', undefined, vscode.ConfigurationTarget.Global);
    await resetSignIn(api, prompts);
  });

  test('signed out lists nothing', async () => {
    for (const tree of Object.values(api.sidebar.trees)) {
      assert.deepEqual(await rootNodes(tree), [], `${tree.viewId} shows items while signed out`);
    }
  });

  test('sign-in loads all four views', async () => {
    await clearRequests();
    await signInForSidebar(api, prompts, 'dapi-demo-admin');

    const { trees } = api.sidebar;
    assert.equal(trees.warehouses.loadedNodes().length, 5);
    assert.equal(trees.clusters.loadedNodes().length > 0, true);
    assert.equal(trees.jobs.loadedNodes().length, 5);
    assert.equal(trees.notebooks.loadedNodes().length > 0, true);
    const lists = (await apiRequests()).filter((entry) => entry.method === 'GET' && entry.operation?.startsWith('list'));
    const scopes = Object.fromEntries(lists.map((entry) => [entry.operation, entry.scope]));
    assert.equal(scopes['listWarehouses'], 'read:sql');
    assert.equal(scopes['listClusters'], 'read:clusters');
    assert.equal(scopes['listJobs'], 'read:jobs');
    assert.equal(scopes['listNotebookFolder'], 'read:notebooks');
  });

  test('item shows state, icon and facets', async () => {
    await signInForSidebar(api, prompts, 'dapi-demo-admin');
    const tree = api.sidebar.trees.warehouses;
    const stopped = tree.findNode('warehouse:wh-analytics');
    const starting = tree.findNode('warehouse:wh-adhoc');
    assert.ok(stopped && starting);

    const stoppedItem = tree.getTreeItem(stopped);
    assert.equal(stoppedItem.label, 'Analytics');
    assert.equal(stoppedItem.description, 'STOPPED');
    assert.equal(stoppedItem.contextValue, 'datastack:warehouse;state=stopped;canStart');
    assert.ok(stoppedItem.tooltip instanceof vscode.MarkdownString);
    // appendText escapes Markdown, so the id's dash arrives as `\-`.
    assert.match(stoppedItem.tooltip.value, /ID:.*wh\\-analytics/);
    const spinning = tree.getTreeItem(starting).iconPath;
    assert.ok(spinning instanceof vscode.ThemeIcon);
    assert.equal(spinning.id, 'sync~spin');
  });

  test('page size adds Load more', async () => {
    await vscode.workspace.getConfiguration('datastack').update('pageSize', 2, vscode.ConfigurationTarget.Global);
    await signInForSidebar(api, prompts, 'dapi-demo-admin');
    const tree = api.sidebar.trees.warehouses;

    const first = await rootNodes(tree);
    assert.deepEqual(kinds(first), ['warehouse', 'warehouse', 'loadMore']);

    await clearRequests();
    await vscode.commands.executeCommand('datastack.loadMore', tree.viewId, first[2]);
    const second = await rootNodes(tree);
    assert.deepEqual(kinds(second), ['warehouse', 'warehouse', 'warehouse', 'warehouse', 'loadMore']);
    const requests = await apiRequests();
    assert.equal(requests.length, 1, 'Load more sent other requests than one page');
    assert.equal(requests[0]?.query['limit'], '2');
    assert.ok(requests[0]?.query['page_token'], 'Load more sent no page token');
  });

  test('403 in jobs leaves others filled', async () => {
    await signInForSidebar(api, prompts, 'dapi-demo-sql');
    const { trees } = api.sidebar;

    assert.equal(trees.warehouses.loadedNodes().length, 5);
    const jobs = await rootNodes(trees.jobs);
    assert.deepEqual(kinds(jobs), ['failure']);
    const failure = jobs[0] as MessageNode;
    assert.deepEqual(failure.failure, { kind: 'missingScope', scope: 'read:jobs' });
    assert.equal(trees.jobs.getTreeItem(failure).label, 'Missing scope read:jobs');
    const clusters = await rootNodes(trees.clusters);
    assert.deepEqual(kinds(clusters), ['failure']);
  });

  test('server error offers retry', async () => {
    await emulatorControl('POST', 'faults', { kind: 'server-error', status: 500, path: '/v1/clusters', count: 1 });
    await signInForSidebar(api, prompts, 'dapi-demo-admin');
    const tree = api.sidebar.trees.clusters;

    const failed = await rootNodes(tree);
    assert.deepEqual(kinds(failed), ['failure']);
    assert.equal(tree.getTreeItem(failed[0] as MessageNode).label, 'DataStack failed with HTTP 500');
    assert.equal(api.sidebar.trees.warehouses.loadedNodes().length, 5, 'another view failed with the clusters view');

    await vscode.commands.executeCommand('datastack.view.resolveFailure', tree.viewId, failed[0]);
    const retried = await rootNodes(tree);
    assert.equal(retried.every((node) => node.kind === 'cluster'), true);
  });

  test('job expands to runs', async () => {
    await signInForSidebar(api, prompts, 'dapi-demo-admin');
    const tree = api.sidebar.trees.jobs;
    const job = tree.findNode('job:1001');
    assert.ok(job);

    const runs = await tree.getChildren(job);
    assert.deepEqual(
      runs.map((node) => node.id),
      ['run:50003', 'run:50002', 'run:50001'],
    );
    const running = tree.getTreeItem(runs[0] as TreeNode);
    assert.equal(running.label, 'Run 50003');
    assert.match(String(running.description), /^RUNNING · /);
    assert.match(String(running.contextValue), /canCancel/);
    assert.match(String(running.contextValue), /hasRunPage/);
  });

  test('notebook folders load one at a time', async () => {
    await clearRequests();
    await signInForSidebar(api, prompts, 'dapi-demo-admin');
    const tree = api.sidebar.trees.notebooks;
    const shared = tree.findNode('notebook:/Shared');
    assert.equal(shared?.kind, 'folder');
    let folderLists = (await apiRequests()).filter((entry) => entry.operation === 'listNotebookFolder');
    assert.deepEqual(folderLists.map((entry) => entry.query['path']), ['/']);

    await tree.getChildren(shared);
    folderLists = (await apiRequests()).filter((entry) => entry.operation === 'listNotebookFolder');
    assert.deepEqual(folderLists.map((entry) => entry.query['path']), ['/', '/Shared']);
  });

  test('hidden view sends no polls', async () => {
    await configureEmulator({ lifecycleDelayMs: 600_000 });
    await signInForSidebar(api, prompts, 'dapi-demo-admin');
    assert.equal(api.sidebar.poller.isTracking('warehouse:wh-adhoc'), true, 'the STARTING warehouse is not tracked');
    await clearRequests();

    await sleep(4000);

    assert.deepEqual(await apiRequests(), []);
    assert.equal(api.sidebar.poller.activeCount, 0);
  });

  test('shown view polls transitional items', async () => {
    await configureEmulator({ lifecycleDelayMs: 600_000 });
    await signInForSidebar(api, prompts, 'dapi-demo-admin');
    await clearRequests();

    await vscode.commands.executeCommand('datastack.warehouses.focus');
    await sleep(4000);
    await vscode.commands.executeCommand('workbench.action.closeSidebar');

    const polls = (await apiRequests()).filter((entry) => entry.operation === 'getWarehouse');
    const polled = new Set(polls.map((entry) => entry.path));
    assert.equal(polled.has('/v1/sql/warehouses/wh-adhoc'), true);
    assert.equal(polled.has('/v1/sql/warehouses/wh-finance'), true);
    assert.equal(polled.has('/v1/sql/warehouses/wh-analytics'), false, 'a settled warehouse was polled');
    assert.equal(polls.every((entry) => entry.scope === 'read:sql'), true);
  });

  test('sign-out clears views and polling', async () => {
    await signInForSidebar(api, prompts, 'dapi-demo-admin');
    await resetSignIn(api, prompts);
    await waitForLists(api);

    assert.deepEqual(api.sidebar.poller.trackedKeys(), []);
    assert.deepEqual(await rootNodes(api.sidebar.trees.warehouses), []);
  });
});
