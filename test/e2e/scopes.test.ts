import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  clickNotificationButton,
  signInWithToken,
  runCommand,
  runTreeItemContextAction,
  treeItem,
  visibleOutputChannel,
  waitForNotification,
} from './support/ui';
import { startWorkbench, withFailureScreenshot, type Workbench } from './support/workbench';

const MISSING_SQL = /Starting SQL warehouse "Analytics" needs the manage:sql scope, which the sign-in "grace@example\.com \(token\)" does not have\./;

/** Returns the labels of the buttons of a notification toast. */
async function buttonLabels(page: Page, text: RegExp): Promise<string[]> {
  const toast = await waitForNotification(page, text);
  const labels = await toast.locator('.notification-list-item-buttons-container .monaco-button').allInnerTexts();
  return labels.map((label) => label.trim()).filter((label) => label !== '');
}

/** Closes every notification toast with the workbench command, so the next one is seen fresh. */
async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'hidden', timeout: 10_000 });
}

describe('scope notifications in the workbench', { timeout: 300_000 }, () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await startWorkbench();
    workbench.emulator.configure({ lifecycleDelayMs: 600_000 });
    const { page } = workbench;
    await signInWithToken(page, workbench.emulator.url, 'dapi-demo-reader', 'grace@example.com');
    await runCommand(page, 'View: Show DataStack');
    await page.locator('.part.sidebar').waitFor({ state: 'visible', timeout: 30_000 });
  });

  after(async () => {
    await workbench?.close();
  });

  test('403 notification offers its fixes', async () => {
    await withFailureScreenshot(workbench, 'scopes-notification', async () => {
      const { page, emulator } = workbench;
      await treeItem(page, 'SQL Warehouses', 'Analytics').waitFor({ state: 'visible', timeout: 30_000 });

      await runTreeItemContextAction(page, 'SQL Warehouses', 'Analytics', 'Start SQL Warehouse');

      assert.deepEqual(await buttonLabels(page, MISSING_SQL), ['Enter New Token', 'Copy Scope Name', 'Show Log']);
      const toast = await waitForNotification(page, MISSING_SQL);
      await clickNotificationButton(toast, 'Show Log');
      assert.equal(await visibleOutputChannel(page), 'DataStack');
      const starts = emulator.requests.filter((entry) => entry.operation === 'startWarehouse');
      assert.deepEqual(starts.map((entry) => entry.status), [403]);
    });
  });

  test('locked menu entry sends no request', async () => {
    await withFailureScreenshot(workbench, 'scopes-locked-menu', async () => {
      const { page, emulator } = workbench;
      await clearNotifications(page);

      await runTreeItemContextAction(page, 'SQL Warehouses', 'Analytics', 'Start SQL Warehouse (needs manage:sql)');

      await waitForNotification(page, MISSING_SQL);
      const starts = emulator.requests.filter((entry) => entry.operation === 'startWarehouse');
      assert.equal(starts.length, 1, 'the locked entry sent a request');
    });
  });
});
