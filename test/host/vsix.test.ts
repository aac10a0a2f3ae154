// Smoke suite for the packaged extension: `npm run test:host -- --vsix` installs the VSIX with
// `code-server --install-extension` and runs only this suite against it. The extension then runs in
// production mode, so it returns no test API and the suite uses only public VS Code APIs.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './support/env';

interface Manifest {
  version: string;
  contributes: {
    commands: { command: string; title: string }[];
    views: Record<string, { id: string }[]>;
    walkthroughs?: { id: string; steps: { id: string; media: { markdown?: string; image?: string | Record<string, string> } }[] }[];
  };
}

function installedExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return extension;
}

function manifest(): Manifest {
  return installedExtension().packageJSON as Manifest;
}

suite('vsix', () => {
  test('runs from the extensions folder', () => {
    const extensionsDir = process.env.DATASTACK_TEST_EXTENSIONS_DIR;
    assert.ok(extensionsDir, 'DATASTACK_TEST_EXTENSIONS_DIR is not set: run with npm run test:host -- --vsix');
    const path = installedExtension().extensionUri.fsPath;
    assert.ok(!relative(extensionsDir, path).startsWith('..'), `${path} is not under ${extensionsDir}`);
    assert.equal(installedExtension().extensionKind, vscode.ExtensionKind.Workspace);
  });

  test('ships the bundle without sources', () => {
    const root = installedExtension().extensionUri.fsPath;
    assert.ok(existsSync(join(root, 'dist', 'extension.js')), 'dist/extension.js is missing');
    for (const unwanted of ['src', 'test', 'node_modules', 'scripts', join('dist', 'extension.js.map'), 'tsconfig.json']) {
      assert.ok(!existsSync(join(root, unwanted)), `${unwanted} was installed`);
    }
  });

  test('ships the files the bundle requires', () => {
    const dist = join(installedExtension().extensionUri.fsPath, 'dist');
    const bundle = readFileSync(join(dist, 'extension.js'), 'utf8');
    // Relative requires load lazily (e.g. a library split into its own file), so activation alone would not notice one missing.
    const required = [...bundle.matchAll(/require\(\s*["'](\.\/[^"']+)["']\s*\)/g)].map((match) => match[1] ?? '');
    for (const file of required) {
      assert.ok(existsSync(join(dist, file)), `dist/extension.js requires ${file}, which is missing from the VSIX`);
    }
  });

  test('activates in production mode', async () => {
    const extension = installedExtension();
    await extension.activate();
    assert.ok(extension.isActive);
    // activate() returns the test API only in extension-test mode, which an installed extension never has.
    assert.equal(extension.exports, undefined);
  });

  test('registers every contributed command', async () => {
    await installedExtension().activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifest().contributes.commands.filter((entry) => !registered.has(entry.command));
    assert.deepEqual(missing.map((entry) => entry.command), []);
  });

  test('localizes contributed titles', () => {
    const unresolved = manifest().contributes.commands.filter((entry) => /^%.+%$/.test(entry.title));
    assert.deepEqual(unresolved.map((entry) => entry.title), []);
    const signIn = manifest().contributes.commands.find((entry) => entry.command === 'datastack.signIn');
    assert.equal(signIn?.title, 'Sign In');
  });

  test('has no session before sign-in', async () => {
    await installedExtension().activate();
    const session = await vscode.authentication.getSession('datastack', [], { silent: true });
    assert.equal(session, undefined);
  });

  test('opens each sidebar view', async () => {
    const views = manifest().contributes.views.datastack ?? [];
    assert.equal(views.length, 4);
    for (const view of views) {
      await vscode.commands.executeCommand(`${view.id}.focus`);
    }
  });

  test('ships the walkthrough media', () => {
    const root = installedExtension().extensionUri.fsPath;
    const walkthroughs = manifest().contributes.walkthroughs ?? [];
    assert.ok(walkthroughs.length > 0, 'package.json contributes no walkthrough');
    for (const step of walkthroughs.flatMap((walkthrough) => walkthrough.steps)) {
      const media = step.media.markdown ?? step.media.image;
      const files = typeof media === 'string' ? [media] : Object.values(media ?? {});
      assert.ok(files.length > 0, `step ${step.id} has no media`);
      for (const file of files) {
        assert.ok(existsSync(join(root, file)), `step ${step.id}: ${file} is missing from the VSIX`);
      }
    }
  });
});
