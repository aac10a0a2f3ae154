// What the test runner passes to the host suites through the extension host's environment.
import * as vscode from 'vscode';

/** Identifier of the extension under test: `<publisher>.<name>` from package.json. */
export const EXTENSION_ID = 'datastack.datastack';

/** Returns which VS Code runs the suites: `code-server` (web workbench, remote extension host) or `electron`. */
export function testHost(): 'code-server' | 'electron' {
  return process.env.DATASTACK_TEST_HOST === 'electron' ? 'electron' : 'code-server';
}

/** Origin of the emulator that this run started on 127.0.0.1, e.g. `http://127.0.0.1:41234`. */
export function emulatorUrl(): string {
  const url = process.env.DATASTACK_TEST_EMULATOR_URL;
  if (url === undefined || url === '') {
    throw new Error('DATASTACK_TEST_EMULATOR_URL is not set: run the host suites with `npm run test:host`');
  }
  return url;
}

/** Origins of the emulator per loopback address: `[http://127.0.0.1:<port>, http://127.0.0.2:<port>]`. */
export function emulatorUrls(): string[] {
  return JSON.parse(process.env.DATASTACK_TEST_EMULATOR_URLS ?? '[]') as string[];
}

/** Absolute path of the extension's folder (the one holding its package.json). */
export function extensionPath(): string {
  return extension().extensionPath;
}

export function extension(): vscode.Extension<unknown> {
  const found = vscode.extensions.getExtension(EXTENSION_ID);
  if (found === undefined) {
    throw new Error(`extension ${EXTENSION_ID} is not loaded in this extension host`);
  }
  return found;
}

/**
 * Activates the extension by running one of its commands, as a person would, and returns what
 * `activate()` returned.
 */
export async function activateExtension(): Promise<unknown> {
  await vscode.commands.executeCommand('datastack.showLog');
  const loaded = extension();
  if (!loaded.isActive) {
    throw new Error(`extension ${EXTENSION_ID} is not active after running datastack.showLog`);
  }
  return loaded.exports;
}
