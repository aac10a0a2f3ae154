// Another extension requests a DataStack session through `vscode.authentication.getSession`, which can
// show VS Code's modal "allow access" prompt. Extension-test mode refuses modal dialogs, so this runs in
// the workbench, with a small client extension installed next to DataStack. It is installed into the
// extensions folder because code-server 4.100.3, given two `extensionDevelopmentPath` entries, loaded
// only the second extension.
import * as assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { runCommand, waitForNotification, waitForWorkbench } from './support/ui';
import { startWorkbench, withFailureScreenshot, type Workbench } from './support/workbench';

const GET_SESSION_TITLE = 'Accounts Test: Get DataStack Session';
const FORCE_NEW_SESSION_TITLE = 'Accounts Test: Force New DataStack Session';

/** The client extension: two commands that call `getSession` and show the session's id, label and scopes. */
const CLIENT_MANIFEST = {
  name: 'accounts-client',
  displayName: 'Accounts Client',
  publisher: 'datastack-test',
  version: '0.0.1',
  engines: { vscode: '^1.100.0' },
  main: './extension.js',
  activationEvents: [],
  contributes: {
    commands: [
      { command: 'datastackTest.getSession', title: GET_SESSION_TITLE },
      { command: 'datastackTest.forceNewSession', title: FORCE_NEW_SESSION_TITLE },
    ],
  },
};

// The message shows the session id, account and scopes, never the access token.
const CLIENT_SOURCE = `
const vscode = require('vscode');
exports.activate = (context) => {
  const show = (session) =>
    vscode.window.showInformationMessage(
      session === undefined ? 'accounts-test: no session' : 'accounts-test: ' + session.id + ' | ' + session.account.label + ' | ' + session.scopes.join(' '),
    );
  const fail = (error) => vscode.window.showErrorMessage('accounts-test failed: ' + (error && error.message));
  context.subscriptions.push(
    vscode.commands.registerCommand('datastackTest.getSession', () =>
      vscode.authentication.getSession('datastack', ['read:clusters'], { createIfNone: true }).then(show, fail),
    ),
    vscode.commands.registerCommand('datastackTest.forceNewSession', () =>
      vscode.authentication.getSession('datastack', ['read:clusters', 'manage:clusters'], { forceNewSession: { detail: 'accounts test' } }).then(show, fail),
    ),
  );
};
`;

/**
 * Installs the client extension the way VS Code's extension management does: a folder in the extensions
 * folder and an entry in its `extensions.json`.
 */
async function installClientExtension(extensionsDir: string): Promise<void> {
  const folderName = `${CLIENT_MANIFEST.publisher}.${CLIENT_MANIFEST.name}-${CLIENT_MANIFEST.version}`;
  const dir = join(extensionsDir, folderName);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify(CLIENT_MANIFEST, null, 2));
  await writeFile(join(dir, 'extension.js'), CLIENT_SOURCE);
  const entry = {
    identifier: { id: `${CLIENT_MANIFEST.publisher}.${CLIENT_MANIFEST.name}` },
    version: CLIENT_MANIFEST.version,
    location: { $mid: 1, path: dir, scheme: 'file' },
    relativeLocation: folderName,
    metadata: { installedTimestamp: Date.now(), source: 'vsix' },
  };
  await writeFile(join(extensionsDir, 'extensions.json'), JSON.stringify([entry]));
}

/**
 * Waits for the consent page that the sign-in opens in a new tab, and clicks the button matching `allow`
 * in every modal dialog shown before it. Returns the dialogs' texts.
 */
async function allowUntilConsentPage(page: Page, allow: RegExp): Promise<{ consent: Page; prompts: string[] }> {
  let consent: Page | undefined;
  const opened = page
    .context()
    .waitForEvent('page', { timeout: 60_000 })
    .then((tab) => (consent = tab));
  const prompts: string[] = [];
  const dialog = page.locator('.monaco-dialog-box');
  while (consent === undefined) {
    if (await dialog.isVisible()) {
      prompts.push(await dialog.innerText());
      await dialog.locator('.monaco-button', { hasText: allow }).first().click();
      await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    }
    await Promise.race([opened, page.waitForTimeout(200)]);
  }
  return { consent, prompts };
}

/** Approves the emulator's consent page. */
async function approveConsent(consent: Page): Promise<void> {
  await consent.locator('#approve').waitFor({ state: 'visible', timeout: 20_000 });
  await consent.locator('#approve').click();
  await consent.waitForURL(/http:\/\/127\.0\.0\.1:\d+\/success$/, { timeout: 20_000 });
  await consent.close();
}

describe('accounts menu provider in the workbench', { timeout: 300_000 }, () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await startWorkbench({
      settings: (emulator) => ({
        'datastack.oauth.authorizationUrl': `${emulator.urls[1] ?? ''}/oauth2/authorize`,
        'datastack.oauth.tokenUrl': `${emulator.url}/oauth2/token`,
      }),
    });
    await installClientExtension(workbench.folders.extensionsDir);
    await workbench.page.reload();
    await waitForWorkbench(workbench.page);
  });

  after(async () => {
    await workbench?.close();
  });

  test('getSession createIfNone prompts, then signs in', async () => {
    await withFailureScreenshot(workbench, 'accounts-create-if-none', async () => {
      const { page, emulator } = workbench;
      await runCommand(page, GET_SESSION_TITLE);
      const { consent, prompts } = await allowUntilConsentPage(page, /^\s*Allow\s*$/);
      assert.equal(prompts.length, 1, `expected one prompt, saw: ${JSON.stringify(prompts)}`);
      assert.match(prompts[0] ?? '', /The extension 'Accounts Client' wants to sign in using DataStack\./);
      await approveConsent(consent);

      const toast = await waitForNotification(page, /accounts-test: /, 30_000);
      const message = await toast.innerText();
      assert.doesNotMatch(message, /failed|no session/);
      assert.match(message, /read:clusters/);
      const codeExchanges = emulator.requests.filter((entry) => entry.path === '/oauth2/token' && entry.grantType === 'authorization_code');
      assert.equal(codeExchanges.length, 1);

      // A second request with the same scopes gets the session without a prompt or a sign-in.
      await runCommand(page, GET_SESSION_TITLE);
      await page.waitForTimeout(2000);
      assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'a second prompt appeared');
      const again = emulator.requests.filter((entry) => entry.path === '/oauth2/token' && entry.grantType === 'authorization_code');
      assert.equal(again.length, 1, 'the second getSession signed in again');
    });
  });

  test('getSession forceNewSession signs in again', async () => {
    await withFailureScreenshot(workbench, 'accounts-force-new-session', async () => {
      const { page, emulator } = workbench;
      const before = emulator.requests.filter((entry) => entry.grantType === 'authorization_code').length;
      await runCommand(page, FORCE_NEW_SESSION_TITLE);
      const { consent, prompts } = await allowUntilConsentPage(page, /^\s*(Sign In|Allow)\s*$/i);
      assert.equal(prompts.length, 1, `expected one prompt, saw: ${JSON.stringify(prompts)}`);
      assert.match(prompts[0] ?? '', /The extension 'Accounts Client' wants to sign in using DataStack\./);
      assert.match(prompts[0] ?? '', /accounts test/, 'the prompt does not show the forceNewSession detail');
      await approveConsent(consent);

      const toast = await waitForNotification(page, /accounts-test: .*manage:clusters/, 30_000);
      assert.doesNotMatch(await toast.innerText(), /failed/);
      const after = emulator.requests.filter((entry) => entry.grantType === 'authorization_code').length;
      assert.equal(after - before, 1, 'forceNewSession did not run one new sign-in');
    });
  });
});
