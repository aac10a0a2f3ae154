import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runCommand, typeInQuickInput, waitForNotification } from './support/ui';
import { startWorkbench, withFailureScreenshot, type Workbench } from './support/workbench';

const QUICK_INPUT = '.quick-input-widget';
const TOASTS = '.notifications-toasts .notification-toast';

describe('sign-in in the workbench', { timeout: 240_000 }, () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await startWorkbench({
      // The consent page opens through openExternal, so it is served on 127.0.0.2: code-server rewrites
      // 127.0.0.1 URLs into its port-forwarding proxy. The token request comes from the extension host.
      settings: (emulator) => ({
        'datastack.oauth.authorizationUrl': `${emulator.urls[1] ?? ''}/oauth2/authorize`,
        'datastack.oauth.tokenUrl': `${emulator.url}/oauth2/token`,
      }),
    });
  });

  after(async () => {
    await workbench?.close();
  });

  test('access token typed into the input boxes', async () => {
    await withFailureScreenshot(workbench, 'signin-token', async () => {
      const { page, emulator } = workbench;
      await runCommand(page, 'DataStack: Sign In with Access Token');
      await typeInQuickInput(page, emulator.url, { expectPrompt: 'The DataStack API host' });

      await typeInQuickInput(page, 'dapi-demo-expired', { expectPrompt: /personal access token/ });
      const message = page.locator(`${QUICK_INPUT} .quick-input-message`, { hasText: 'DataStack rejected this token' });
      await message.waitFor({ state: 'visible', timeout: 15_000 });
      const type = await page.locator(`${QUICK_INPUT} input.input`).getAttribute('type');
      assert.equal(type, 'password', 'the token box is not masked');

      await typeInQuickInput(page, 'dapi-demo-admin');
      await page.locator('.statusbar-item', { hasText: 'ada@example.com' }).first().waitFor({ state: 'visible', timeout: 20_000 });
      assert.ok(!(await page.content()).includes('dapi-demo-admin'), 'the token is visible in the workbench DOM');
    });
  });

  test('SSO through the consent page in the browser', async () => {
    await withFailureScreenshot(workbench, 'signin-sso', async () => {
      const { page } = workbench;
      const opened = page.context().waitForEvent('page', { timeout: 30_000 });
      await runCommand(page, 'DataStack: Sign In with SSO');
      const progress = await waitForNotification(page, 'Signing in to DataStack in your browser');
      assert.match(await progress.innerText(), /"DataStack sign-in pending" in the status bar/);
      assert.equal(await page.locator(TOASTS).count(), 1, 'SSO showed more than the progress notification');
      const consent = await opened;
      await consent.locator('#approve').waitFor({ state: 'visible', timeout: 20_000 });
      assert.ok(consent.url().startsWith('http://127.0.0.2:'), `the consent page opened at ${consent.url()}`);
      await consent.locator('#approve').click();
      await consent.waitForURL(/http:\/\/127\.0\.0\.1:\d+\/success$/, { timeout: 20_000 });
      assert.match(await consent.locator('body').innerText(), /You are signed in/);
      assert.ok(!consent.url().includes('code='), 'the code stayed in the address bar');

      await page.locator('.statusbar-item', { hasText: 'DataStack sign-in pending' }).waitFor({ state: 'hidden', timeout: 20_000 });
      await progress.waitFor({ state: 'hidden', timeout: 10_000 });
      assert.equal(await page.locator(TOASTS).count(), 0, 'a sign-in notification stayed after the sign-in');
      // The default scopes include read:users, so the status bar names the user instead of the host.
      const host = new URL(workbench.emulator.url).host;
      const account = page.locator('.statusbar-item', { hasText: 'ada@example.com' }).first();
      await account.waitFor({ state: 'visible', timeout: 20_000 });
      assert.ok(!(await account.innerText()).includes(host), 'the status bar shows the host, not the user');
      const tokenRequests = workbench.emulator.requests.filter((entry) => entry.path === '/oauth2/token' && entry.grantType === 'authorization_code');
      assert.equal(tokenRequests.length, 1);
      assert.equal(tokenRequests[0]?.status, 200);
    });
  });
});
