// `npm run screenshots`: starts the emulator, code-server and Chromium, and drives the real workbench
// through the README's scenes. It saves these PNGs to media/screenshots/:
//   missing-scope.png   the notification when a read-only token starts a SQL warehouse
//   sidebar.png         the four trees signed in with the admin demo token
//   context-menu.png    the context menu of a stopped cluster
//   walkthrough.png     the Get Started walkthrough
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { runMain } from './harness/cleanup';
import { PROJECT_ROOT } from './harness/project';
import {
  closeQuickInput,
  pickQuickItem,
  runCommand,
  runTreeItemContextAction,
  takeScreenshot,
  treeItem,
  typeInQuickInput,
  waitForNotification,
} from '../test/e2e/support/ui';
import { startWorkbench } from '../test/e2e/support/workbench';

const OUTPUT_DIR = join(PROJECT_ROOT, 'media', 'screenshots');

/** Viewport of every screenshot, in CSS pixels; small enough to keep each PNG near 100 KB. */
const VIEWPORT = { width: 1200, height: 760 };

async function signInWithToken(page: Page, host: string, token: string, account: string): Promise<void> {
  await runCommand(page, 'DataStack: Sign In with Access Token');
  await typeInQuickInput(page, host, { expectPrompt: 'The DataStack API host' });
  await typeInQuickInput(page, token, { expectPrompt: /personal access token/ });
  await page.locator('.statusbar-item', { hasText: account }).first().waitFor({ state: 'visible', timeout: 30_000 });
}

async function save(page: Page, name: string): Promise<void> {
  // Lets tree rows and notifications finish their animations.
  await page.waitForTimeout(800);
  console.log(`saved ${await takeScreenshot(page, OUTPUT_DIR, name)}`);
}

runMain(async () => {
  const workbench = await startWorkbench();
  const { page, emulator } = workbench;
  await page.setViewportSize(VIEWPORT);

  await signInWithToken(page, emulator.url, 'dapi-demo-reader', 'grace@example.com');
  await runCommand(page, 'View: Show DataStack');
  await treeItem(page, 'SQL Warehouses', 'Analytics').waitFor({ state: 'visible', timeout: 30_000 });
  await runTreeItemContextAction(page, 'SQL Warehouses', 'Analytics', 'Start SQL Warehouse');
  await waitForNotification(page, /needs the manage:sql scope/);
  await save(page, 'missing-scope');
  await runCommand(page, 'Notifications: Clear All Notifications');

  await signInWithToken(page, emulator.url, 'dapi-demo-admin', 'ada@example.com');
  const job = treeItem(page, 'Jobs', 'Nightly orders ETL');
  await job.waitFor({ state: 'visible', timeout: 30_000 });
  await job.click();
  await page.keyboard.press('ArrowRight');
  await page.locator('.part.sidebar .pane .monaco-list-row[aria-level="2"]').first().waitFor({ state: 'visible', timeout: 15_000 });
  await save(page, 'sidebar');

  const cluster = treeItem(page, 'Clusters', 'Ad hoc analysis');
  await cluster.click({ button: 'right' });
  await page.locator('.context-view .monaco-menu').waitFor({ state: 'visible', timeout: 10_000 });
  await save(page, 'context-menu');
  await page.keyboard.press('Escape');
  // Moves the pointer off the tree, or the cluster's hover would cover the next screenshot.
  await page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height - 60);

  await runCommand(page, 'Welcome: Open Walkthrough...');
  await pickQuickItem(page, 'Get Started with DataStack');
  await closeQuickInput(page);
  await page.locator('.getting-started-step').first().waitFor({ state: 'visible', timeout: 15_000 });
  await save(page, 'walkthrough');

  await workbench.close();
  return 0;
});
