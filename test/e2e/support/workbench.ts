// Fixture of the UI tests: the emulator, code-server with the extension loaded for development, and a
// Chromium page showing the workbench.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../../../scripts/harness/browser';
import { cleanupOnSignals, onCleanup, runCleanups } from '../../../scripts/harness/cleanup';
import { startCodeServer, type CodeServer } from '../../../scripts/harness/codeServer';
import { startTestEmulator, type RunningEmulator } from '../../../scripts/harness/emulator';
import { createRunFolders, testSettings, type HostRunFolders } from '../../../scripts/harness/hostRun';
import { PROJECT_ROOT, buildExtension } from '../../../scripts/harness/project';
import { workbenchUrl } from '../../../scripts/harness/workbench';
import { takeScreenshot, waitForWorkbench } from './ui';

export interface Workbench {
  page: Page;
  emulator: RunningEmulator;
  server: CodeServer;
  folders: HostRunFolders;
  /** Lines the browser console printed, for assertions and for failure reports. */
  consoleLines: string[];
  /** Stops the browser, code-server and the emulator; idempotent. */
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  /**
   * Settings merged over the test defaults (which point `datastack.host` at the emulator); a function
   * receives the started emulator, for settings that name its URLs.
   */
  settings?: Record<string, unknown> | ((emulator: RunningEmulator) => Record<string, unknown>);
}

let built = false;

/**
 * Starts the whole stack and opens the workbench with the extension under development loaded (not in
 * extension-test mode, so dialogs behave as they do for a person). Resolves once the workbench is shown.
 */
export async function startWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  cleanupOnSignals();
  if (!built) {
    buildExtension();
    built = true;
  }
  const emulator = await startTestEmulator();
  const folders = await createRunFolders('datastack-e2e-');
  onCleanup(() => folders.remove());
  const server = await startCodeServer({
    userDataDir: folders.userDataDir,
    extensionsDir: folders.extensionsDir,
    folder: folders.workspace,
    env: { DATASTACK_TEST_EMULATOR_URL: emulator.url },
    settings: {
      ...testSettings(emulator),
      ...(typeof options.settings === 'function' ? options.settings(emulator) : options.settings),
    },
    // The emulator's sign-in pages on 127.0.0.2 open through openExternal without code-server's dialog.
    trustedDomains: [`http://127.0.0.2:*`],
  });
  const { browser } = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const consoleLines: string[] = [];
  page.on('console', (message) => consoleLines.push(message.text()));
  page.on('pageerror', (error) => consoleLines.push(`page error: ${error.message}`));

  await page.goto(workbenchUrl(server, { folder: folders.workspace, extensionDevelopmentPath: PROJECT_ROOT }));
  await waitForWorkbench(page);
  return { page, emulator, server, folders, consoleLines, close: runCleanups };
}

/** Directory for screenshots of UI tests: test-results/e2e/ in the project (ignored by git). */
export const ARTIFACTS_DIR = join(PROJECT_ROOT, 'test-results', 'e2e');

/**
 * Runs a test body and, when it throws, saves a screenshot to test-results/e2e/<name>.png and rethrows with
 * the screenshot's path.
 */
export async function withFailureScreenshot(workbench: Workbench, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const path = await takeScreenshot(workbench.page, ARTIFACTS_DIR, name.replace(/[^\w.-]+/g, '-')).catch(
      () => '(screenshot failed)',
    );
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nscreenshot: ${path}`, { cause: error });
  }
}
