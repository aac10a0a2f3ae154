import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { runCommand, runTreeItemContextAction, signInWithToken, treeItem } from './support/ui';
import { startWorkbench, withFailureScreenshot, type Workbench } from './support/workbench';

/** Waits until `condition` holds, checking every 200 ms, or fails naming `what`. */
async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function rowLabel(page: Page, view: string, label: string): Promise<string> {
  return (await treeItem(page, view, label).getAttribute('aria-label')) ?? '';
}

describe('sidebar in the workbench', { timeout: 300_000 }, () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await startWorkbench();
    workbench.emulator.configure({ lifecycleDelayMs: 1000 });
    const { page } = workbench;
    await signInWithToken(page, workbench.emulator.url, 'dapi-demo-admin', 'ada@example.com');
    // NOTE: openViewContainer from support/ui.ts times out here (its `has` locator repeats the
    // activity bar prefix), so the container opens through its palette command instead.
    await runCommand(page, 'View: Show DataStack');
    await page.locator('.part.sidebar').waitFor({ state: 'visible', timeout: 30_000 });
  });

  after(async () => {
    await workbench?.close();
  });

  test('start and stop warehouse', async () => {
    await withFailureScreenshot(workbench, 'sidebar-warehouse', async () => {
      const { page, emulator } = workbench;
      const warehouse = () => emulator.state.warehouses.get('wh-analytics')?.state;
      await treeItem(page, 'SQL Warehouses', 'Analytics').waitFor({ state: 'visible', timeout: 30_000 });

      await runTreeItemContextAction(page, 'SQL Warehouses', 'Analytics', 'Start SQL Warehouse');
      await waitUntil(() => warehouse() === 'RUNNING', 'the warehouse to run');
      await waitUntil(async () => (await rowLabel(page, 'SQL Warehouses', 'Analytics')).includes('RUNNING'), 'the item to show RUNNING');

      await runTreeItemContextAction(page, 'SQL Warehouses', 'Analytics', 'Stop SQL Warehouse');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 10_000 });
      assert.match(await dialog.innerText(), /Stop SQL warehouse "Analytics"\?/);
      await dialog.locator('.monaco-button', { hasText: /^Stop$/ }).first().click();
      await waitUntil(() => warehouse() === 'STOPPED', 'the warehouse to stop');
      await waitUntil(async () => (await rowLabel(page, 'SQL Warehouses', 'Analytics')).includes('STOPPED'), 'the item to show STOPPED');
    });
  });

  test('run job shows new run', async () => {
    await withFailureScreenshot(workbench, 'sidebar-job', async () => {
      const { page, emulator } = workbench;
      const runsBefore = [...emulator.state.runs.values()].filter((run) => run.job_id === 1004).length;

      await runTreeItemContextAction(page, 'Jobs', 'Backfill revenue 2024', 'Run Job Now');

      await waitUntil(
        () => [...emulator.state.runs.values()].filter((run) => run.job_id === 1004).length === runsBefore + 1,
        'a new run in the emulator',
      );
      const rows = treeItem(page, 'Jobs', 'Backfill revenue 2024');
      await waitUntil(async () => (await rows.getAttribute('aria-expanded')) === 'true', 'the job to expand', 15_000).catch(
        () => rows.click(),
      );
      const runRows = page.locator('.part.sidebar .pane .monaco-list-row[aria-level="2"]');
      await waitUntil(async () => (await runRows.count()) > 0, 'a run row under the job');
    });
  });

  test('open notebook read-only', async () => {
    await withFailureScreenshot(workbench, 'sidebar-notebook', async () => {
      const { page } = workbench;
      for (const folder of ['Shared', 'etl', 'daily']) {
        const row = treeItem(page, 'Notebooks', folder);
        await row.waitFor({ state: 'visible', timeout: 20_000 });
        if ((await row.getAttribute('aria-expanded')) !== 'true') {
          await row.click();
        }
      }
      const notebook = treeItem(page, 'Notebooks', 'ingest_orders');
      await notebook.waitFor({ state: 'visible', timeout: 20_000 });
      await notebook.click();

      const tab = page.locator('.tabs-container .tab', { hasText: 'ingest_orders.py' });
      await tab.waitFor({ state: 'visible', timeout: 20_000 });
      // Monaco renders spaces as no-break spaces.
      const editor = page.locator('.editor-instance .view-lines').first();
      await waitUntil(async () => (await editor.innerText()).replace(/\u00a0/g, ' ').includes('Ingest yesterday'), 'the notebook source in the editor');
    });
  });
});
