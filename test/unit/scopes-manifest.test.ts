import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SSO_SCOPES, OPERATIONS, scopeOf } from '../../src/api/operations';
import { SCOPED_ACTION_COMMANDS, lockedCommandId, missingScopeContextKey } from '../../src/scopes/lockedCommands';

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}

interface Manifest {
  contributes: {
    commands: { command: string; title: string; icon?: string }[];
    menus: Record<string, MenuEntry[]>;
    configuration: { properties: Record<string, { default?: unknown; markdownDescription?: string }> };
  };
}

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;

function titleOf(command: string): string {
  const entry = manifest.contributes.commands.find((candidate) => candidate.command === command);
  assert.ok(entry, `${command} is not contributed`);
  const key = /^%(.+)%$/.exec(entry.title)?.[1];
  assert.ok(key !== undefined, `${command} title is not a %key%`);
  const title = nls[key];
  assert.ok(title !== undefined, `${key} is missing from package.nls.json`);
  return title;
}

test('locked commands name their scope', () => {
  for (const entry of SCOPED_ACTION_COMMANDS) {
    const locked = lockedCommandId(entry.command);
    const title = titleOf(locked);
    assert.ok(title.startsWith(titleOf(entry.command)), `${locked} title "${title}" does not start with the action's title`);
    assert.ok(title.includes(`(needs ${scopeOf(entry.operation)})`), `${locked} title "${title}" does not name ${scopeOf(entry.operation)}`);
  }
});

test('locked commands hidden from palette', () => {
  const palette = manifest.contributes.menus.commandPalette ?? [];
  for (const entry of SCOPED_ACTION_COMMANDS) {
    const locked = lockedCommandId(entry.command);
    assert.ok(
      palette.some((item) => item.command === locked && item.when === 'false'),
      `${locked} is not hidden from the command palette`,
    );
  }
});

test('menus switch to locked twin', () => {
  for (const menu of ['view/title', 'view/item/context']) {
    const entries = manifest.contributes.menus[menu] ?? [];
    for (const action of SCOPED_ACTION_COMMANDS) {
      const key = missingScopeContextKey(scopeOf(action.operation));
      const locked = lockedCommandId(action.command);
      const originals = entries.filter((item) => item.command === action.command);
      const twins = entries.filter((item) => item.command === locked);
      assert.equal(twins.length, originals.length, `${menu}: ${action.command} has ${originals.length} entries but ${twins.length} locked twins`);
      for (const original of originals) {
        const when = original.when ?? '';
        assert.ok(when.endsWith(` && !${key}`), `${menu}: ${action.command} (${original.group}) is not hidden by ${key}`);
        const base = when.slice(0, -` && !${key}`.length);
        const twin = twins.find((item) => item.group === original.group && item.when === `${base} && ${key}`);
        assert.ok(twin, `${menu}: no locked twin of ${action.command} in group ${original.group} shown by ${key}`);
      }
    }
  }
});

test('locked twin of every menu action', () => {
  const menuCommands = new Set(
    ['view/title', 'view/item/context'].flatMap((menu) => (manifest.contributes.menus[menu] ?? []).map((item) => item.command)),
  );
  for (const action of SCOPED_ACTION_COMMANDS) {
    assert.ok(menuCommands.has(action.command), `${action.command} is in no menu, so its locked twin is never shown`);
  }
});

test('consoleUrl setting defaults to empty', () => {
  const setting = manifest.contributes.configuration.properties['datastack.consoleUrl'];
  assert.ok(setting, 'datastack.consoleUrl is not contributed');
  assert.equal(setting.default, '');
  assert.ok(nls['config.consoleUrl']?.includes('Access tokens'));
});

test('default SSO scopes include read:users', () => {
  const setting = manifest.contributes.configuration.properties['datastack.oauth.scopes'];
  assert.ok(setting, 'datastack.oauth.scopes is not contributed');
  assert.deepEqual(setting.default, [...DEFAULT_SSO_SCOPES]);
  assert.ok(DEFAULT_SSO_SCOPES.includes(OPERATIONS.getCurrentUser.scope), 'the default cannot read the signed-in user');
  for (const scope of DEFAULT_SSO_SCOPES) {
    assert.ok(!scope.startsWith('manage:'), `${scope} is in the default SSO scopes`);
  }
});
