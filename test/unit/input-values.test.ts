import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidHostError } from '../../src/api/errors';
import { normalizeHost } from '../../src/api/host';
import { MAX_TOKEN_LENGTH, type TokenNormalization, normalizeToken } from '../../src/api/validation';
import { checkClusterName, checkNotebookFolder, checkNotebookName } from '../../src/views/model/validation';

describe('token input', () => {
  const cases: readonly (readonly [input: string, expected: TokenNormalization])[] = [
    ['dapi-demo-admin', { token: 'dapi-demo-admin' }],
    ['  dapi-demo-admin  ', { token: 'dapi-demo-admin' }],
    ['dapi-demo-admin\n', { token: 'dapi-demo-admin' }],
    ['\r\ndapi-demo-admin\r\n', { token: 'dapi-demo-admin' }],
    ['\tdapi-demo-admin\t', { token: 'dapi-demo-admin' }],
    ['\u00a0dapi-demo-admin\u00a0', { token: 'dapi-demo-admin' }],
    ['\ufeffdapi-demo-admin', { token: 'dapi-demo-admin' }],
    ['dapi-demo-admin\u200b', { token: 'dapi-demo-admin' }],
    ['"dapi-demo-admin"', { token: 'dapi-demo-admin' }],
    ["'dapi-demo-admin'\n", { token: 'dapi-demo-admin' }],
    ['Bearer dapi-demo-admin', { token: 'dapi-demo-admin' }],
    ['bearer   dapi-demo-admin', { token: 'dapi-demo-admin' }],
    ['eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2ln-_==', { token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2ln-_==' }],
    ['', { problem: { code: 'empty' } }],
    [' \n\t ', { problem: { code: 'empty' } }],
    ['""', { problem: { code: 'empty' } }],
    ['Bearer ', { problem: { code: 'empty' } }],
    ['dapi-demo admin', { problem: { code: 'containsWhitespace' } }],
    ['dapi-demo-\nadmin', { problem: { code: 'containsWhitespace' } }],
    ['dapi-demo-admin\r\nX-Injected: 1', { problem: { code: 'containsWhitespace' } }],
    ['dapi-one dapi-two', { problem: { code: 'containsWhitespace' } }],
    ['dapi\u200bdemo', { problem: { code: 'containsWhitespace' } }],
    ['dapi-démo', { problem: { code: 'invalidCharacter', character: 'é' } }],
    ['dapi-demo-🚀', { problem: { code: 'invalidCharacter', character: '🚀' } }],
    ['dapi\u0000demo', { problem: { code: 'invalidCharacter', character: '\u0000' } }],
    ['"dapi-demo-admin', { problem: { code: 'invalidCharacter', character: '"' } }],
    ['dapi;demo', { problem: { code: 'invalidCharacter', character: ';' } }],
    ['abc=def', { problem: { code: 'invalidCharacter', character: 'd' } }],
    ['abc==', { token: 'abc==' }],
    ['a~b+c/d', { token: 'a~b+c/d' }],
    ['x'.repeat(MAX_TOKEN_LENGTH), { token: 'x'.repeat(MAX_TOKEN_LENGTH) }],
    ['x'.repeat(MAX_TOKEN_LENGTH + 1), { problem: { code: 'tooLong', max: MAX_TOKEN_LENGTH } }],
  ];

  for (const [input, expected] of cases) {
    test(JSON.stringify(input.length > 40 ? `${input.slice(0, 20)}… (${input.length})` : input), () => {
      assert.deepEqual(normalizeToken(input), expected);
    });
  }
});

describe('host input', () => {
  const accepted: readonly (readonly [input: string, origin: string])[] = [
    ['https://api.datastack.cloud\n', 'https://api.datastack.cloud'],
    ['\thttps://api.datastack.cloud/\r\n', 'https://api.datastack.cloud'],
    ['HTTPS://API.DATASTACK.CLOUD:443/', 'https://api.datastack.cloud'],
    ['https://dätastack.cloud', 'https://xn--dtastack-0za.cloud'],
    ['https://ＡＰＩ.datastack.cloud', 'https://api.datastack.cloud'],
    ['https://[2001:DB8::1]', 'https://[2001:db8::1]'],
    ['http://[::1]:8787/', 'http://[::1]:8787'],
    ['http://0x7f.1:8787', 'http://127.0.0.1:8787'],
  ];
  for (const [input, origin] of accepted) {
    test(`normalizes ${JSON.stringify(input)}`, () => {
      assert.equal(normalizeHost(input), origin);
    });
  }

  const rejected: readonly (readonly [input: string, reason: RegExp])[] = [
    ['https://api.datastack.cloud/v1/clusters', /must not contain a path \(\/v1\/clusters\)/],
    ['https://api.datastack.cloud\\evil', /must not contain a path/],
    ['https://api.datastack.cloud@evil.example', /user name or password/],
    ['https://evil.example\\@api.datastack.cloud', /user name or password/],
    ['https://api.datastack.cloud%2f@evil.example', /user name or password/],
    ['https://api datastack.cloud', /whitespace/],
    ['https://api.datastack.cloud\n/v1', /whitespace/],
    ['javascript://api.datastack.cloud/%0aalert(1)', /scheme javascript: is not supported/],
    ['JavaScript:alert(1)', /scheme javascript: is not supported/],
    ['file://api.datastack.cloud/etc/passwd', /scheme file: is not supported/],
    ['data:text/html,<script>', /scheme data: is not supported/],
    ['vscode://datastack.datastack/callback', /scheme vscode: is not supported/],
    ['https:\\\\api.datastack.cloud', /must start with https:\/\//],
    ['https://[::1', /not a valid URL/],
    ['https://[fe80::1%25eth0]', /not a valid URL/],
    ['http://[::ffff:7f00:1]', /https unless the host is a loopback/],
    ['api.datastack.cloud:443', /scheme api\.datastack\.cloud: is not supported|must start with https/],
  ];
  for (const [input, reason] of rejected) {
    test(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(() => normalizeHost(input), (error: unknown) => error instanceof InvalidHostError && reason.test(error.reason));
    });
  }

  for (const input of ['https://api.datastack.cloud:0', 'http://127.0.0.1:00/']) {
    test(`rejects port 0 in ${JSON.stringify(input)}`, () => {
      assert.throws(
        () => normalizeHost(input),
        (error: unknown) => error instanceof InvalidHostError && error.reason === 'the port must be from 1 to 65535',
      );
    });
  }

  test('accepts ports 1 and 65535', () => {
    assert.equal(normalizeHost('http://127.0.0.1:1'), 'http://127.0.0.1:1');
    assert.equal(normalizeHost('https://api.datastack.cloud:65535'), 'https://api.datastack.cloud:65535');
  });
});

describe('create dialog names', () => {
  const validClusterNames = [
    `O'Brien "nightly" ETL`,
    'データ処理クラスター',
    'Ünïcödé — ETL',
    'emoji 🚀 cluster',
    '<script>alert(1)</script>',
    'a/b?c#d%20e&f=g',
    'right\u202eto left',
    '🚀'.repeat(50),
  ];
  for (const name of validClusterNames) {
    test(`cluster name ${JSON.stringify(name)} is accepted`, () => {
      assert.equal(checkClusterName(name), undefined);
    });
  }

  test('cluster name limit counts UTF-16 units like the API', () => {
    assert.deepEqual(checkClusterName('🚀'.repeat(51)), { code: 'tooLong', max: 100 });
  });

  const validNotebookNames = [`it's "quoted"`, 'Überblick', 'ノートブック', 'a#b?c%d&e', 'name with  spaces', '..hidden', '🚀'];
  for (const name of validNotebookNames) {
    test(`notebook name ${JSON.stringify(name)} is accepted`, () => {
      assert.equal(checkNotebookName(name), undefined);
    });
  }

  const invalidNotebookNames: readonly (readonly [string, string])[] = [
    ['a/b', 'nameHasSlash'],
    ['..', 'nameIsDot'],
    ['.', 'nameIsDot'],
    ['  ', 'required'],
  ];
  for (const [name, code] of invalidNotebookNames) {
    test(`notebook name ${JSON.stringify(name)} is rejected`, () => {
      assert.equal(checkNotebookName(name)?.code, code);
    });
  }

  const validFolders = ['/', '/Shared', '/Shared/Überblick "Q1"', "/Users/o'brien@example.com", '/Shared/ノート/#1'];
  for (const folder of validFolders) {
    test(`notebook folder ${JSON.stringify(folder)} is accepted`, () => {
      assert.equal(checkNotebookFolder(folder), undefined);
    });
  }

  // The API rejects control characters in paths with 400, so the dialog should reject them first.
  for (const value of ['note\tbook', 'note\nbook', 'note\u0000book', 'note\rbook', 'note\u007fbook', 'note\u001fbook']) {
    test(`notebook name ${JSON.stringify(value)} is rejected`, () => {
      assert.deepEqual(checkNotebookName(value), { code: 'hasControlCharacter' });
    });
  }
  for (const value of ['/Shared/a\nb', '/Shared/a\tb', '/Sha\u0000red', '/Shared/\u007f']) {
    test(`notebook folder ${JSON.stringify(value)} is rejected`, () => {
      assert.deepEqual(checkNotebookFolder(value), { code: 'hasControlCharacter' });
    });
  }
});
