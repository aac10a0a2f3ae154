import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidHostError } from '../../src/api/errors';
import { isLoopbackHostname, normalizeHost } from '../../src/api/host';

const ACCEPTED: readonly (readonly [input: string, expected: string])[] = [
  ['https://api.datastack.cloud', 'https://api.datastack.cloud'],
  ['  https://api.datastack.cloud/  ', 'https://api.datastack.cloud'],
  ['https://api.datastack.cloud///', 'https://api.datastack.cloud'],
  ['HTTPS://API.DataStack.Cloud', 'https://api.datastack.cloud'],
  ['https://api.datastack.cloud:8443', 'https://api.datastack.cloud:8443'],
  ['https://api.datastack.cloud:443', 'https://api.datastack.cloud'],
  ['https://10.0.0.5', 'https://10.0.0.5'],
  ['https://[2001:db8::1]:8443/', 'https://[2001:db8::1]:8443'],
  ['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
  ['http://127.0.0.2:9000/', 'http://127.0.0.2:9000'],
  ['http://127.255.255.254', 'http://127.255.255.254'],
  ['http://localhost:8787', 'http://localhost:8787'],
  ['http://LOCALHOST:8787', 'http://localhost:8787'],
  ['http://[::1]:8787', 'http://[::1]:8787'],
  ['https://localhost', 'https://localhost'],
];

const REJECTED: readonly (readonly [input: string, reason: RegExp])[] = [
  ['', /empty/],
  ['   ', /empty/],
  ['api.datastack.cloud', /must start with https/],
  ['http://api.datastack.cloud', /https unless the host is a loopback/],
  ['http://10.0.0.5:8787', /https unless the host is a loopback/],
  ['http://128.0.0.1', /https unless the host is a loopback/],
  ['http://localhost.example.com', /https unless the host is a loopback/],
  ['http://127.0.0.1.example.com', /https unless the host is a loopback/],
  ['http://[::2]', /https unless the host is a loopback/],
  ['javascript:alert(1)', /scheme javascript: is not supported/],
  ['file:///etc/passwd', /scheme file: is not supported/],
  ['ftp://api.datastack.cloud', /scheme ftp: is not supported/],
  ['https:api.datastack.cloud', /must start with https:\/\//],
  ['https://user:pass@api.datastack.cloud', /user name or password/],
  ['https://user@api.datastack.cloud', /user name or password/],
  ['https://api.datastack.cloud?x=1', /query string/],
  ['https://api.datastack.cloud/?', /query string/],
  ['https://api.datastack.cloud#top', /fragment/],
  ['https://api.datastack.cloud/v1', /path/],
  ['https://api.datastack.cloud/v1/', /path/],
  ['https://api.data stack.cloud', /whitespace/],
  ['https://', /not a valid URL|host name is missing/],
  ['https://api.datastack.cloud:99999', /not a valid URL/],
];

describe('normalizeHost', () => {
  for (const [input, expected] of ACCEPTED) {
    test(`accepts ${JSON.stringify(input)}`, () => {
      assert.equal(normalizeHost(input), expected);
    });
  }

  for (const [input, reason] of REJECTED) {
    test(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(
        () => normalizeHost(input),
        (error: unknown) => {
          assert.ok(error instanceof InvalidHostError, `expected InvalidHostError, got ${String(error)}`);
          assert.match(error.reason, reason);
          assert.equal(error.value, input.trim() === '' ? input : input.trim());
          return true;
        },
      );
    });
  }
});

describe('isLoopbackHostname', () => {
  const cases: readonly (readonly [string, boolean])[] = [
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['[::1]', true],
    ['::1', false],
    ['128.0.0.1', false],
    ['127.example.com', false],
    ['api.datastack.cloud', false],
  ];
  for (const [hostname, expected] of cases) {
    test(`${hostname} is ${expected ? '' : 'not '}loopback`, () => {
      assert.equal(isLoopbackHostname(hostname), expected);
    });
  }
});
