import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  clusterContextValue,
  jobContextValue,
  notebookObjectContextValue,
  runContextValue,
  warehouseContextValue,
} from '../../src/views/model/contextValue';

interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { menus: Record<string, MenuItem[]>; commands: { command: string }[] };
};
const itemMenus = manifest.contributes.menus['view/item/context'] ?? [];

/**
 * Returns the commands of the item context menu (or its inline group) shown for a view and a contextValue,
 * while no scope is known to be missing: a `datastack.missingScope.<scope>` key is then false, so the
 * locked twin of an action is hidden and the action itself is shown.
 */
function commandsFor(view: string, contextValue: string, inline: boolean): string[] {
  return itemMenus
    .filter((item) => (item.group === 'inline') === inline)
    .filter((item) => {
      const match = /^view == (\S+) && viewItem =~ \/(.+)\/( && (!?)datastack\.missingScope\.\S+)?$/.exec(item.when ?? '');
      assert.ok(match, `unexpected when clause: ${item.when}`);
      const shownWhileScopesUnknown = match[3] === undefined || match[4] === '!';
      return match[1] === view && new RegExp(match[2] as string).test(contextValue) && shownWhileScopesUnknown;
    })
    .map((item) => item.command)
    .sort();
}

describe('item menus', () => {
  const cases: readonly (readonly [name: string, view: string, contextValue: string, expected: string[]])[] = [
    ['stopped warehouse', 'datastack.warehouses', warehouseContextValue({ state: 'STOPPED' }), ['datastack.warehouse.copyId', 'datastack.warehouse.start']],
    ['running warehouse', 'datastack.warehouses', warehouseContextValue({ state: 'RUNNING' }), ['datastack.warehouse.copyId', 'datastack.warehouse.stop']],
    ['stopping warehouse', 'datastack.warehouses', warehouseContextValue({ state: 'STOPPING' }), ['datastack.warehouse.copyId']],
    ['terminated cluster', 'datastack.clusters', clusterContextValue({ state: 'TERMINATED' }), ['datastack.cluster.copyId', 'datastack.cluster.start']],
    ['running cluster', 'datastack.clusters', clusterContextValue({ state: 'RUNNING' }), ['datastack.cluster.copyId', 'datastack.cluster.terminate']],
    ['job', 'datastack.jobs', jobContextValue(), ['datastack.job.copyId', 'datastack.job.runNow']],
    ['running run', 'datastack.jobs', runContextValue({ state: 'RUNNING', run_page_url: 'https://x.example/r/1' }), ['datastack.run.cancel', 'datastack.run.openInBrowser']],
    ['finished run', 'datastack.jobs', runContextValue({ state: 'TERMINATED' }), []],
    ['folder', 'datastack.notebooks', notebookObjectContextValue({ object_type: 'DIRECTORY' }), ['datastack.notebook.create']],
    ['notebook', 'datastack.notebooks', notebookObjectContextValue({ object_type: 'NOTEBOOK', language: 'SQL' }), ['datastack.notebook.export', 'datastack.notebook.open']],
  ];
  for (const [name, view, contextValue, expected] of cases) {
    test(`context menu of ${name}`, () => {
      assert.deepEqual(commandsFor(view, contextValue, false), expected);
    });
  }

  test('inline action per startable item', () => {
    assert.deepEqual(commandsFor('datastack.warehouses', warehouseContextValue({ state: 'STOPPED' }), true), ['datastack.warehouse.start']);
    assert.deepEqual(commandsFor('datastack.jobs', jobContextValue(), true), ['datastack.job.runNow']);
  });

  test('menu commands are contributed', () => {
    const contributed = new Set(manifest.contributes.commands.map((command) => command.command));
    for (const item of Object.values(manifest.contributes.menus).flat()) {
      assert.ok(contributed.has(item.command), `${item.command} is in a menu but not contributed`);
    }
  });
});

test('signed-out welcome is full in first view only', () => {
  const welcome = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    contributes: { views: { datastack: { id: string }[] }; viewsWelcome: { view: string; contents: string; when: string }[] };
  }).contributes;
  const nls = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.nls.json'), 'utf8')) as Record<string, string>;
  const signedOut = welcome.viewsWelcome.filter((entry) => entry.when === '!datastack.signedIn');
  const textOf = (view: string): string => {
    const key = /^%(.+)%$/.exec(signedOut.find((entry) => entry.view === view)?.contents ?? '')?.[1] ?? '';
    return nls[key] ?? '';
  };
  const [first, ...others] = welcome.views.datastack.map((view) => view.id);
  assert.ok(first !== undefined);

  assert.match(textOf(first), /\(command:datastack\.signInWithToken\)/);
  assert.match(textOf(first), /\(command:datastack\.signInWithSso\)/);
  assert.equal(others.length, 3);
  for (const view of others) {
    const text = textOf(view);
    assert.notEqual(text, '', `${view} has no signed-out welcome`);
    assert.equal(text.split('\n').length, 1, `${view} shows more than one line`);
    assert.doesNotMatch(text, /^\[/, `${view} shows a button`);
  }
});
