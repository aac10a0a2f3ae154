// Tries `npm run demo` as a new user does: starts it, opens the printed workbench URL in Chromium, signs
// in with a demo token, checks the four trees, and stops the demo with SIGINT as Ctrl+C does.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../../scripts/harness/browser';
import { cleanupOnSignals, onCleanup, runCleanups, signalGroup, trackProcessGroup } from '../../scripts/harness/cleanup';
import { freePort } from '../../scripts/harness/ports';
import { PROJECT_ROOT } from '../../scripts/harness/project';
import { readTreeItems, runCommand, takeScreenshot, typeInQuickInput, waitForWorkbench } from './support/ui';
import { ARTIFACTS_DIR } from './support/workbench';

interface DemoOutput {
  workbenchUrl: string;
  emulatorUrl: string;
  demoFolder: string;
}

/** Starts `npm run demo` in its own process group and resolves with what it printed once it is ready. */
function startDemo(port: number, output: string[]): { child: ChildProcess; ready: Promise<DemoOutput> } {
  const child = spawn('npm', ['run', 'demo', '--', '--port', String(port)], {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackProcessGroup(child);
  const ready = new Promise<DemoOutput>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString('utf8'));
      const text = output.join('');
      const workbenchUrl = /Open the workbench[^:]*: (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(text)?.[1];
      const emulatorUrl = /DataStack emulator: (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
      const demoFolder = /code-server log: (\S+)\/code-server\.log/.exec(text)?.[1];
      if (workbenchUrl !== undefined && emulatorUrl !== undefined && demoFolder !== undefined) {
        resolve({ workbenchUrl, emulatorUrl, demoFolder });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm run demo exited with ${String(code)} before it was ready:\n${output.join('')}`)));
  });
  return { child, ready };
}

/** Resolves whether something accepts TCP connections on `host:port`. */
function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Returns the command lines of running processes whose arguments contain `text` (from /proc, Linux only). */
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (commandLine.includes(text)) {
        found.push(`${entry}: ${commandLine.slice(0, 200)}`);
      }
    } catch {
      // The process exited while the list was read.
    }
  }
  return found;
}

function processGroupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm run demo', { timeout: 300_000 }, () => {
  const output: string[] = [];
  let demo: { child: ChildProcess; ready: Promise<DemoOutput> };
  let printed: DemoOutput;
  let port: number;
  let page: Page;

  before(async () => {
    cleanupOnSignals();
    port = await freePort();
    demo = startDemo(port, output);
    onCleanup(() => signalGroup(demo.child.pid ?? 0, 'SIGKILL'));
    printed = await demo.ready;
    const { browser } = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  });

  after(async () => {
    await runCleanups();
  });

  test('prints the demo tokens', () => {
    const text = output.join('');
    for (const token of ['dapi-demo-admin', 'dapi-demo-reader', 'dapi-demo-sql']) {
      assert.ok(text.includes(token), `the demo did not print ${token}`);
    }
    assert.match(text, /Sign In with SSO" opens the emulator's consent page/);
  });

  test('signed-in workbench fills four trees', async () => {
    await page.goto(printed.workbenchUrl);
    await waitForWorkbench(page);
    await runCommand(page, 'DataStack: Sign In with Access Token');
    await typeInQuickInput(page, printed.emulatorUrl, { expectPrompt: 'The DataStack API host' });
    await typeInQuickInput(page, 'dapi-demo-admin', { expectPrompt: /personal access token/ });
    await page.locator('.statusbar-item', { hasText: 'ada@example.com' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await runCommand(page, 'View: Show DataStack');

    const expected: [string, string][] = [
      ['Clusters', 'ETL nightly'],
      ['Jobs', 'Nightly orders ETL'],
      ['Notebooks', 'Shared'],
      ['SQL Warehouses', 'Analytics'],
    ];
    for (const [view, label] of expected) {
      const deadline = Date.now() + 30_000;
      let labels: string[] = [];
      while (!labels.includes(label) && Date.now() < deadline) {
        labels = (await readTreeItems(page, view)).map((item) => item.label);
        await page.waitForTimeout(250);
      }
      assert.ok(labels.includes(label), `${view} shows [${labels.join(', ')}], not "${label}"`);
    }
    await takeScreenshot(page, ARTIFACTS_DIR, 'demo-signed-in');
  });

  test('SIGINT stops everything', async () => {
    const exited = new Promise<void>((resolve) => demo.child.once('exit', () => resolve()));
    // A terminal's Ctrl+C sends SIGINT to the whole foreground process group.
    signalGroup(demo.child.pid ?? 0, 'SIGINT');
    await exited;
    // npm can exit before the demo's node process has finished its cleanups; wait for the whole group.
    const deadline = Date.now() + 20_000;
    while (processGroupAlive(demo.child.pid ?? 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(processGroupAlive(demo.child.pid ?? 0), false, 'processes of the demo are still running');
    const emulatorPort = Number(new URL(printed.emulatorUrl).port);
    assert.equal(await isListening(port), false, `code-server still listens on ${port}`);
    assert.equal(await isListening(emulatorPort), false, `the emulator still listens on ${emulatorPort}`);
    assert.equal(await isListening(emulatorPort, '127.0.0.2'), false, `the emulator still listens on 127.0.0.2:${emulatorPort}`);
    const lastLines = output.join('').split('\n').slice(-8).join('\n');
    assert.equal(existsSync(printed.demoFolder), false, `${printed.demoFolder} was not removed; the demo's last output:\n${lastLines}`);
    const leftover = processesMentioning(printed.demoFolder);
    assert.deepEqual(leftover, [], `processes of the demo outlived it: ${leftover.join('; ')}`);
  });
});
