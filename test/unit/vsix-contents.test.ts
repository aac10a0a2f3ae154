import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_VSIX_BYTES, vsixContentProblems } from '../../scripts/harness/vsix';

// The entries vsce writes for this project: metadata files at the top, the extension under extension/.
const GOOD_ENTRIES = [
  'extension.vsixmanifest',
  '[Content_Types].xml',
  'extension/package.json',
  'extension/package.nls.json',
  'extension/readme.md',
  'extension/changelog.md',
  'extension/LICENSE.txt',
  'extension/dist/extension.js',
  'extension/media/icon.png',
  'extension/media/walkthrough/sign-in.md',
];

test('vsix contents accept the packaged layout', () => {
  assert.deepEqual(vsixContentProblems(GOOD_ENTRIES, 200_000), []);
});

const FORBIDDEN: [string, string][] = [
  ['source map', 'extension/dist/extension.js.map'],
  ['TypeScript source', 'extension/src/extension.ts'],
  ['test file', 'extension/test/unit/pkce.test.js'],
  ['node_modules', 'extension/node_modules/undici/index.js'],
  ['script', 'extension/scripts/demo.js'],
  ['build output', 'extension/out/test/host/index.js'],
  ['unlisted file', 'extension/tsconfig.json'],
  ['top-level file', 'stray.txt'],
];

for (const [kind, entry] of FORBIDDEN) {
  test(`vsix contents reject ${kind}`, () => {
    const problems = vsixContentProblems([...GOOD_ENTRIES, entry], 200_000);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0] ?? '', new RegExp(entry.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });
}

test('vsix contents require the bundle', () => {
  const problems = vsixContentProblems(
    GOOD_ENTRIES.filter((entry) => entry !== 'extension/dist/extension.js'),
    200_000,
  );
  assert.deepEqual(problems, ['missing: extension/dist/extension.js']);
});

test('vsix contents reject an oversized package', () => {
  const problems = vsixContentProblems(GOOD_ENTRIES, MAX_VSIX_BYTES + 1);
  assert.equal(problems.length, 1);
  assert.match(problems[0] ?? '', /exceeds the limit/);
});
