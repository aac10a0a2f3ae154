import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, extensionPath, testHost } from './support/env';

interface ContributedCommand {
  command: string;
}

function contributedCommands(): string[] {
  const manifest = JSON.parse(readFileSync(join(extensionPath(), 'package.json'), 'utf8')) as {
    contributes?: { commands?: ContributedCommand[] };
  };
  return (manifest.contributes?.commands ?? []).map((entry) => entry.command);
}

suite('activation', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  test('registers every contributed command', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = contributedCommands();
    assert.ok(contributed.length > 0, 'package.json contributes no command');
    const missing = contributed.filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('creates the DataStack log channel', async () => {
    await vscode.commands.executeCommand('datastack.showLog');
    // The output view lists channels by name; the active channel after showLog must be ours.
    const channels = vscode.workspace.textDocuments
      .filter((document) => document.uri.scheme === 'output')
      .map((document) => document.uri.path);
    assert.ok(
      channels.some((path) => path.includes('DataStack')),
      `no output document for the DataStack channel among: ${channels.join(', ') || '(none)'}`,
    );
  });

  test('runs in the expected extension host', () => {
    if (testHost() === 'code-server') {
      assert.ok(vscode.env.remoteName, 'env.remoteName is not set in the code-server extension host');
      assert.equal(vscode.env.uiKind, vscode.UIKind.Web);
    } else {
      assert.equal(vscode.env.uiKind, vscode.UIKind.Desktop);
    }
  });
});
