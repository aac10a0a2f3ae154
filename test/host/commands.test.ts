import * as assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionTestApi } from '../../src/extension';
import { pickLabel, resetSignIn, testApi, useEmulatorForSignIn, waitFor } from './support/sessionHarness';
import {
  SidebarPrompts,
  apiRequests,
  clearRequests,
  configureEmulator,
  emulatorState,
  resourceNode,
  signInForSidebar,
} from './support/sidebarHarness';

suite('sidebar commands', () => {
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
    await configureEmulator({ lifecycleDelayMs: 600_000 });
    await signInForSidebar(api, prompts, 'dapi-demo-admin');
    await clearRequests();
  });

  teardown(async () => {
    await vscode.workspace
      .getConfiguration('datastack')
      .update('confirmDestructiveActions', undefined, vscode.ConfigurationTarget.Global);
    await resetSignIn(api, prompts);
  });

  test('warehouse start sends manage:sql', async () => {
    const tree = api.sidebar.trees.warehouses;
    const node = resourceNode(tree, 'warehouse:wh-analytics', 'warehouse');

    await vscode.commands.executeCommand('datastack.warehouse.start', node);

    const requests = await apiRequests();
    assert.deepEqual(
      requests.map((entry) => [entry.method, entry.path, entry.scope, entry.status]),
      [['POST', '/v1/sql/warehouses/wh-analytics/start', 'manage:sql', 200]],
    );
    assert.equal((await emulatorState()).warehouses.find((warehouse) => warehouse.id === 'wh-analytics')?.state, 'STARTING');
    assert.equal(node.data.state, 'STARTING');
    assert.equal(tree.getTreeItem(node).contextValue, 'datastack:warehouse;state=starting;canStop');
    assert.equal(api.sidebar.poller.isTracking(node.id), true);
  });

  test('warehouse stop asks first', async () => {
    const node = resourceNode(api.sidebar.trees.warehouses, 'warehouse:wh-bi-dash', 'warehouse');
    prompts.confirmAnswers.push(true);

    await vscode.commands.executeCommand('datastack.warehouse.stop', node);

    assert.equal(prompts.confirmations.length, 1);
    assert.match(prompts.confirmations[0]?.message ?? '', /"BI dashboards"/);
    assert.equal(prompts.confirmations[0]?.confirmLabel, 'Stop');
    assert.equal((await emulatorState()).warehouses.find((warehouse) => warehouse.id === 'wh-bi-dash')?.state, 'STOPPING');
    assert.equal(node.data.state, 'STOPPING');
  });

  test('declined stop sends nothing', async () => {
    const node = resourceNode(api.sidebar.trees.warehouses, 'warehouse:wh-bi-dash', 'warehouse');
    prompts.confirmAnswers.push(false);

    await vscode.commands.executeCommand('datastack.warehouse.stop', node);

    assert.deepEqual(await apiRequests(), []);
    assert.equal(node.data.state, 'RUNNING');
  });

  test('confirmation setting off skips prompt', async () => {
    await vscode.workspace.getConfiguration('datastack').update('confirmDestructiveActions', false, vscode.ConfigurationTarget.Global);
    const node = resourceNode(api.sidebar.trees.clusters, 'cluster:0101-090000-etl001', 'cluster');

    await vscode.commands.executeCommand('datastack.cluster.terminate', node);

    assert.equal(prompts.confirmations.length, 0);
    const requests = await apiRequests();
    assert.deepEqual(
      requests.map((entry) => [entry.method, entry.path, entry.scope]),
      [['POST', '/v1/clusters/0101-090000-etl001/terminate', 'manage:clusters']],
    );
    assert.equal(node.data.state, 'TERMINATING');
  });

  test('cluster start from terminated', async () => {
    const node = resourceNode(api.sidebar.trees.clusters, 'cluster:0101-090000-adhoc02', 'cluster');

    await vscode.commands.executeCommand('datastack.cluster.start', node);

    const cluster = (await emulatorState()).clusters.find((item) => item.cluster_id === '0101-090000-adhoc02');
    assert.equal(cluster?.state, 'PENDING');
    assert.equal(node.data.state, 'PENDING');
  });

  test('copy id writes clipboard', async () => {
    const node = resourceNode(api.sidebar.trees.warehouses, 'warehouse:wh-analytics', 'warehouse');

    await vscode.commands.executeCommand('datastack.warehouse.copyId', node);

    assert.equal(await vscode.env.clipboard.readText(), 'wh-analytics');
  });

  test('create cluster sends inputs', async () => {
    prompts.inputs.push('Host test cluster', '3', '45');
    prompts.picks.push(pickLabel('m5.xlarge'));

    await vscode.commands.executeCommand('datastack.cluster.create');

    const created = (await emulatorState()).clusters.find((cluster) => cluster.cluster_name === 'Host test cluster');
    assert.ok(created, 'the emulator has no new cluster');
    assert.equal(created.node_type, 'm5.xlarge');
    assert.equal(created.num_workers, 3);
    assert.equal(created.autotermination_minutes, 45);
    const post = (await apiRequests()).find((entry) => entry.method === 'POST');
    assert.equal(post?.scope, 'manage:clusters');
    const node = api.sidebar.trees.clusters.findNode(`cluster:${created.cluster_id}`);
    assert.equal(node?.kind, 'cluster');
  });

  test('create cluster validates steps', async () => {
    prompts.inputOptions.length = 0;
    prompts.inputs.push(undefined);
    await vscode.commands.executeCommand('datastack.cluster.create');
    const nameBox = prompts.inputOptions[0];
    assert.ok(nameBox?.validateInput);

    assert.equal(await nameBox.validateInput(''), 'Enter a cluster name.');
    assert.deepEqual(await apiRequests(), []);
  });

  test('create cluster picks a node type', async () => {
    let labels: string[] = [];
    prompts.picks.push((items) => {
      labels = items.map((item) => item.label);
      return undefined;
    });
    prompts.inputs.push('Picker cluster');

    await vscode.commands.executeCommand('datastack.cluster.create');

    assert.equal(labels[0], 'm5.large');
    assert.ok(labels.includes('g5.2xlarge'), labels.join(', '));
    assert.equal(labels.at(-1), 'Other node type…');
    assert.deepEqual(await apiRequests(), []);
  });

  test('create cluster checks other node type', async () => {
    prompts.inputOptions.length = 0;
    prompts.picks.push(pickLabel('Other node type'));
    prompts.inputs.push('Other type cluster', undefined);

    await vscode.commands.executeCommand('datastack.cluster.create');

    const otherBox = prompts.inputOptions[1];
    assert.ok(otherBox?.validateInput);
    assert.match(String(await otherBox.validateInput('banana')), /^Invalid node type/);
    assert.equal(await otherBox.validateInput('n2-standard-4'), undefined);
    assert.deepEqual(await apiRequests(), []);
  });

  test('create cluster minutes example is valid', async () => {
    prompts.inputOptions.length = 0;
    prompts.picks.push(pickLabel('m5.large'));
    prompts.inputs.push('Minutes cluster', '2', undefined);

    await vscode.commands.executeCommand('datastack.cluster.create');

    const minutesBox = prompts.inputOptions[2];
    assert.ok(minutesBox?.validateInput);
    assert.equal(await minutesBox.validateInput('4.5'), 'The auto-termination minutes must be a whole number, e.g. 60.');
    assert.equal(await minutesBox.validateInput('60'), undefined);
    assert.deepEqual(await apiRequests(), []);
  });

  test('run now shows new run', async () => {
    const tree = api.sidebar.trees.jobs;
    const job = resourceNode(tree, 'job:1004', 'job');

    await vscode.commands.executeCommand('datastack.job.runNow', job);

    const runs = (await emulatorState()).runs.filter((run) => run.job_id === 1004);
    const newest = runs.sort((left, right) => right.run_id - left.run_id)[0];
    assert.ok(newest);
    assert.equal(tree.loadedNodes(job.id)[0]?.id, `run:${newest.run_id}`);
    const post = (await apiRequests()).find((entry) => entry.method === 'POST');
    assert.deepEqual([post?.path, post?.scope], ['/v1/jobs/1004/run-now', 'manage:jobs']);
    assert.equal(api.sidebar.poller.isTracking(`run:${newest.run_id}`), true);
  });

  test('cancel run after confirmation', async () => {
    const tree = api.sidebar.trees.jobs;
    const job = resourceNode(tree, 'job:1001', 'job');
    await tree.getChildren(job);
    const run = resourceNode(tree, 'run:50003', 'run');
    prompts.confirmAnswers.push(true);

    await vscode.commands.executeCommand('datastack.run.cancel', run);

    assert.match(prompts.confirmations[0]?.message ?? '', /50003/);
    const stored = (await emulatorState()).runs.find((item) => item.run_id === 50003);
    assert.equal(stored?.result_state, 'CANCELED');
    assert.equal(run.data.state, 'TERMINATING');
  });

  test('open notebook read-only python', async () => {
    const tree = api.sidebar.trees.notebooks;
    for (const folder of ['/Shared', '/Shared/etl', '/Shared/etl/daily']) {
      await tree.getChildren(resourceNode(tree, `notebook:${folder}`, 'folder'));
    }
    const notebook = resourceNode(tree, 'notebook:/Shared/etl/daily/ingest_orders', 'notebook');

    await vscode.commands.executeCommand('datastack.notebook.open', notebook);

    await waitFor(() => vscode.window.activeTextEditor?.document.uri.scheme === 'datastack', 'the notebook editor');
    const document = vscode.window.activeTextEditor?.document;
    assert.equal(document?.languageId, 'python');
    assert.match(document?.getText() ?? '', /^# Ingest yesterday's orders/);
    const exported = (await apiRequests()).find((entry) => entry.operation === 'exportNotebook');
    assert.equal(exported?.scope, 'read:notebooks');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('sign out closes notebook editors', async () => {
    const tree = api.sidebar.trees.notebooks;
    for (const folder of ['/Shared', '/Shared/etl', '/Shared/etl/daily']) {
      await tree.getChildren(resourceNode(tree, `notebook:${folder}`, 'folder'));
    }
    const notebook = resourceNode(tree, 'notebook:/Shared/etl/daily/ingest_orders', 'notebook');
    await vscode.commands.executeCommand('datastack.notebook.open', notebook);
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.scheme === 'datastack', 'the notebook editor');
    const notebookTabs = (): vscode.Tab[] =>
      vscode.window.tabGroups.all
        .flatMap((group) => group.tabs)
        .filter((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === 'datastack');
    assert.equal(notebookTabs().length, 1);

    const profileId = api.session.service.activeProfile?.id ?? '';
    await api.session.service.signOut(profileId, { revoke: false });

    await waitFor(() => notebookTabs().length === 0, 'the notebook editor to close');
  });

  test('export notebook writes source', async () => {
    const tree = api.sidebar.trees.notebooks;
    for (const folder of ['/Shared', '/Shared/etl', '/Shared/etl/daily']) {
      await tree.getChildren(resourceNode(tree, `notebook:${folder}`, 'folder'));
    }
    const notebook = resourceNode(tree, 'notebook:/Shared/etl/daily/revenue_by_region', 'notebook');
    const target = vscode.Uri.file(join(await mkdtemp(join(tmpdir(), 'datastack-export-')), 'revenue.sql'));
    prompts.saveAnswers.push(target);

    await vscode.commands.executeCommand('datastack.notebook.export', notebook);

    assert.match(await readFile(target.fsPath, 'utf8'), /^-- Revenue by region/);
  });

  test('create notebook in folder', async () => {
    const folder = resourceNode(api.sidebar.trees.notebooks, 'notebook:/Shared', 'folder');
    prompts.inputs.push('/Shared', 'host_test_notebook');
    prompts.picks.push(pickLabel('SQL'));

    await vscode.commands.executeCommand('datastack.notebook.create', folder);

    const created = (await emulatorState()).notebooks.find((item) => item.path === '/Shared/host_test_notebook');
    assert.equal(created?.language, 'SQL');
    const post = (await apiRequests()).find((entry) => entry.method === 'POST');
    assert.equal(post?.scope, 'manage:notebooks');
    const children = await api.sidebar.trees.notebooks.getChildren(folder);
    assert.equal(children.some((node) => node.id === 'notebook:/Shared/host_test_notebook'), true);
  });

  test('missing scope leaves state alone', async () => {
    await resetSignIn(api, prompts);
    await configureEmulator({ lifecycleDelayMs: 600_000 });
    await signInForSidebar(api, prompts, 'dapi-demo-reader');
    await clearRequests();
    const node = resourceNode(api.sidebar.trees.warehouses, 'warehouse:wh-analytics', 'warehouse');

    await vscode.commands.executeCommand('datastack.warehouse.start', node);

    const requests = await apiRequests();
    assert.deepEqual(
      requests.map((entry) => [entry.path, entry.scope, entry.status]),
      [['/v1/sql/warehouses/wh-analytics/start', 'manage:sql', 403]],
    );
    assert.equal(node.data.state, 'STOPPED');
    assert.equal((await emulatorState()).warehouses.find((warehouse) => warehouse.id === 'wh-analytics')?.state, 'STOPPED');
  });
});
