// Launches Debian's Chromium through playwright-core, which drives a browser it does not download.
import { chromium, type Browser, type Page } from 'playwright-core';
import { onCleanup } from './cleanup';
import { CHROMIUM_PATH, ensureDebianPackages } from './system';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with a fresh profile (playwright makes a temporary one per launch).
 * Set DATASTACK_TEST_HEADED=1 to watch it on a display.
 */
export async function launchBrowser(): Promise<LaunchedBrowser> {
  ensureDebianPackages(['chromium']);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: process.env.DATASTACK_TEST_HEADED !== '1',
    args: CHROMIUM_ARGS,
    // runMain() owns the signals and closes the browser through the cleanup registry.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const close = async () => {
    await browser.close().catch(() => undefined);
  };
  const unregister = onCleanup(close);
  return {
    browser,
    close: async () => {
      unregister();
      await close();
    },
  };
}

// The workbench styles its log lines as `%c INFO color: #33f <text>`; the style part carries no information.
const CONSOLE_STYLE = /^%c\s*([A-Z]+)\s+color:\s*#[0-9a-fA-F]+\s?/;

/** Calls `onLine` with each line of the page's console messages and uncaught errors, without console styling. */
export function forwardConsole(page: Page, onLine: (line: string) => void): void {
  page.on('console', (message) => {
    for (const line of message.text().replace(CONSOLE_STYLE, '$1 ').split('\n')) {
      onLine(line);
    }
  });
  page.on('pageerror', (error) => onLine(`page error: ${error.message}`));
}
