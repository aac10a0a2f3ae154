// Helpers that drive the code-server workbench the way a person does: keyboard first, because Monaco's
// lists and menus respond to keys more reliably than to synthetic clicks.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Waits until the workbench has rendered its parts. */
export async function waitForWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Returns the quick input row whose label is exactly `label` (commands, quick picks). */
export function quickInputRow(page: Page, label: string): Locator {
  return page.locator(QUICK_INPUT_ROWS).filter({
    has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }),
  });
}

/** Closes the quick input when it is open. */
export async function closeQuickInput(page: Page): Promise<void> {
  if (await page.locator(QUICK_INPUT).isVisible()) {
    await page.keyboard.press('Escape');
    await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 5000 });
  }
}

/**
 * Opens the command palette (F1), types `title` and runs the command whose label is exactly `title`.
 * Retries until the palette lists it, because an extension's commands appear only once its extension host
 * has started.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await closeQuickInput(page);
    await page.locator('.monaco-workbench').focus();
    await page.keyboard.press('F1');
    const input = page.locator(`${QUICK_INPUT} input.input`);
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${title}`);
    const row = quickInputRow(page, title);
    try {
      await row.first().waitFor({ state: 'visible', timeout: 2000 });
      await selectQuickInputRow(page, row.first());
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`the command palette did not list "${title}" within ${timeoutMs / 1000} s`, { cause: error });
      }
      await sleep(500);
    }
  }
}

/** Moves the quick input's focus to `row` with the arrow keys and presses Enter. */
async function selectQuickInputRow(page: Page, row: Locator): Promise<void> {
  const target = await row.getAttribute('data-index');
  for (let step = 0; step < 50; step += 1) {
    const focused = await page.locator(`${QUICK_INPUT_ROWS}.focused`).getAttribute('data-index');
    if (focused === target) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press(Number(focused) < Number(target) ? 'ArrowDown' : 'ArrowUp');
  }
  throw new Error(`could not move the quick input focus to row ${String(target)}`);
}

/** Waits for the quick input, optionally checks its prompt, types `text` and presses Enter. */
export async function typeInQuickInput(
  page: Page,
  text: string,
  options: { expectPrompt?: string | RegExp; timeoutMs?: number } = {},
): Promise<void> {
  const input = page.locator(`${QUICK_INPUT} input.input`);
  await input.waitFor({ state: 'visible', timeout: options.timeoutMs ?? 15_000 });
  if (options.expectPrompt !== undefined) {
    const prompt = page.locator(`${QUICK_INPUT} .quick-input-message, ${QUICK_INPUT} .quick-input-title`);
    await prompt.filter({ hasText: options.expectPrompt }).first().waitFor({ state: 'visible', timeout: 10_000 });
  }
  await input.fill(text);
  await page.keyboard.press('Enter');
}

/**
 * Signs in with an access token through the palette and the real input boxes, then waits until the status
 * bar shows `identity`. Each box is recognised by its prompt, so a slow host cannot make the token land in
 * the host box while the first box is still closing.
 */
export async function signInWithToken(page: Page, host: string, token: string, identity: string | RegExp): Promise<void> {
  await runCommand(page, 'DataStack: Sign In with Access Token');
  await typeInQuickInput(page, host, { expectPrompt: 'The DataStack API host' });
  await typeInQuickInput(page, token, { expectPrompt: /personal access token/ });
  await page.locator('.statusbar-item', { hasText: identity }).first().waitFor({ state: 'visible', timeout: 30_000 });
}

/** Picks the quick pick item whose label is exactly `label`. */
export async function pickQuickItem(page: Page, label: string, timeoutMs = 15_000): Promise<void> {
  const row = quickInputRow(page, label).first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  await selectQuickInputRow(page, row);
}

/** Waits for a notification toast containing `text` and returns it. */
export async function waitForNotification(page: Page, text: string | RegExp, timeoutMs = 20_000): Promise<Locator> {
  const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).first();
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  return toast;
}

/** Clicks the button labelled `label` in a notification toast. */
export async function clickNotificationButton(toast: Locator, label: string): Promise<void> {
  await toast.locator('.monaco-button', { hasText: label }).first().click();
}

/** Opens the activity bar view container whose title is `title` (e.g. "DataStack"). */
export async function openViewContainer(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const item = page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${title}"]`).first();
  await item.waitFor({ state: 'visible', timeout: timeoutMs });
  const entry = page.locator('.part.activitybar .action-item', { has: item });
  if ((await entry.getAttribute('aria-expanded')) !== 'true') {
    await item.click();
  }
  await page.locator('.part.sidebar').waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Returns the side bar pane (view) whose header title is `viewTitle`. */
export function viewPane(page: Page, viewTitle: string): Locator {
  return page.locator('.part.sidebar .pane').filter({
    has: page.locator('.pane-header h3.title', { hasText: new RegExp(`^\\s*${escapeRegExp(viewTitle)}\\s*$`, 'i') }),
  });
}

export interface TreeItem {
  label: string;
  /** Depth in the tree, 1 for a root item. */
  level: number;
  /** The row's accessible label: the label followed by the description and tooltip, as VS Code builds it. */
  ariaLabel: string;
  expanded: boolean | undefined;
}

/** Reads the rendered rows of the tree in the view `viewTitle` (only rows scrolled into view are rendered). */
export async function readTreeItems(page: Page, viewTitle: string): Promise<TreeItem[]> {
  const rows = viewPane(page, viewTitle).locator('.monaco-list-row');
  const items: TreeItem[] = [];
  for (const row of await rows.all()) {
    const expanded = await row.getAttribute('aria-expanded');
    items.push({
      label: (await row.locator('.label-name').first().innerText()).trim(),
      level: Number(await row.getAttribute('aria-level')),
      ariaLabel: (await row.getAttribute('aria-label')) ?? '',
      expanded: expanded === null ? undefined : expanded === 'true',
    });
  }
  return items;
}

/** Returns the row of the tree item labelled exactly `label` in the view `viewTitle`. */
export function treeItem(page: Page, viewTitle: string, label: string): Locator {
  return viewPane(page, viewTitle)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) })
    .first();
}

/**
 * Opens the context menu of a tree item and runs the entry labelled `entry`, moving through the menu with
 * ArrowDown and choosing with Enter.
 */
export async function runTreeItemContextAction(page: Page, viewTitle: string, label: string, entry: string): Promise<void> {
  const row = treeItem(page, viewTitle, label);
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await row.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor({ state: 'visible', timeout: 10_000 });
  const labels = await menu.locator('.action-item:not(.disabled) .action-label:not(.separator)').allInnerTexts();
  const entries = labels.map((text) => text.trim()).filter((text) => text !== '');
  if (!entries.includes(entry)) {
    await page.keyboard.press('Escape');
    throw new Error(`context menu of "${label}" has no "${entry}"; it lists: ${entries.join(', ')}`);
  }
  for (let step = 0; step <= entries.length; step += 1) {
    await page.keyboard.press('ArrowDown');
    const focused = (await menu.locator('.action-item.focused .action-label').first().innerText()).trim();
    if (focused === entry) {
      await page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden', timeout: 5000 });
      return;
    }
  }
  await page.keyboard.press('Escape');
  throw new Error(`could not focus "${entry}" in the context menu of "${label}"`);
}

/** Returns the name of the channel the Output view shows, once the Output view is visible. */
export async function visibleOutputChannel(page: Page, timeoutMs = 10_000): Promise<string> {
  const panel = page.locator('.part.panel');
  const activeTab = panel.locator('.composite-bar .action-item.checked a.action-label[aria-label^="Output"]');
  await activeTab.waitFor({ state: 'visible', timeout: timeoutMs });
  return panel.locator('select.monaco-select-box').first().inputValue();
}

/** Saves a PNG of the page to `<dir>/<name>.png` and returns its path. */
export async function takeScreenshot(page: Page, dir: string, name: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
