import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidProxySettingError } from '../../src/api/errors';
import { certificateFiles } from '../../src/api/network/certificates';
import { bypassesProxy, parseNoProxy } from '../../src/api/network/noProxy';
import { parseProxyUrl, redactProxyUrl } from '../../src/api/network/proxyUrl';

describe('no-proxy matching', () => {
  const cases: { entries: string[]; url: string; bypass: boolean }[] = [
    { entries: [], url: 'https://api.corp.example', bypass: false },
    { entries: ['*'], url: 'https://api.corp.example', bypass: true },
    { entries: ['corp.example'], url: 'https://corp.example', bypass: true },
    { entries: ['corp.example'], url: 'https://api.corp.example', bypass: true },
    { entries: ['.corp.example'], url: 'https://api.corp.example', bypass: true },
    { entries: ['*.corp.example'], url: 'https://api.corp.example', bypass: true },
    { entries: ['corp.example'], url: 'https://notcorp.example', bypass: false },
    { entries: ['corp.example'], url: 'https://corp.example.evil', bypass: false },
    { entries: ['CORP.Example'], url: 'https://API.corp.example', bypass: true },
    { entries: ['corp.example:8443'], url: 'https://corp.example:8443', bypass: true },
    { entries: ['corp.example:8443'], url: 'https://corp.example', bypass: false },
    { entries: ['corp.example:443'], url: 'https://corp.example', bypass: true },
    { entries: ['corp.example:80'], url: 'http://corp.example', bypass: true },
    { entries: ['a.example, corp.example'], url: 'https://corp.example', bypass: true },
    { entries: ['a.example corp.example'], url: 'https://corp.example', bypass: true },
    { entries: ['a.example', 'corp.example'], url: 'https://corp.example', bypass: true },
    { entries: ['[::1]'], url: 'http://[::1]:8787', bypass: true },
    { entries: ['::1'], url: 'http://[::1]:8787', bypass: true },
    { entries: ['[::1]:8787'], url: 'http://[::1]:8787', bypass: true },
    { entries: ['[::1]:9999'], url: 'http://[::1]:8787', bypass: false },
    { entries: ['10.0.0.0/8'], url: 'https://10.1.2.3', bypass: true },
    { entries: ['10.0.0.0/8'], url: 'https://11.1.2.3', bypass: false },
    { entries: ['10.0.0.0/8'], url: 'https://ten.example', bypass: false },
    { entries: ['fd00::/8'], url: 'https://[fd12::1]', bypass: true },
    { entries: ['127.0.0.1'], url: 'http://127.0.0.1:8787', bypass: true },
    { entries: [''], url: 'https://corp.example', bypass: false },
  ];

  for (const { entries, url, bypass } of cases) {
    test(`${JSON.stringify(entries)} ${bypass ? 'bypasses' : 'keeps'} ${url}`, () => {
      assert.equal(bypassesProxy(parseNoProxy(entries), new URL(url)), bypass);
    });
  }
});

describe('proxy URL parsing', () => {
  test('URL without a scheme is http', () => {
    const endpoint = parseProxyUrl('proxy.corp:3128', 'HTTPS_PROXY');

    assert.equal(endpoint?.url.href, 'http://proxy.corp:3128/');
    assert.equal(endpoint?.display, 'proxy.corp:3128');
    assert.equal(endpoint?.source, 'HTTPS_PROXY');
  });

  test('default ports are filled in', () => {
    assert.equal(parseProxyUrl('http://proxy.corp', 'http.proxy')?.display, 'proxy.corp:80');
    assert.equal(parseProxyUrl('https://proxy.corp', 'http.proxy')?.display, 'proxy.corp:443');
  });

  test('empty values mean no proxy', () => {
    assert.equal(parseProxyUrl(undefined, 'http.proxy'), undefined);
    assert.equal(parseProxyUrl('  ', 'http.proxy'), undefined);
  });

  const invalid: { value: string; reason: RegExp }[] = [
    { value: 'socks5://127.0.0.1:1080', reason: /scheme socks5: is not supported/ },
    { value: 'ftp://proxy.corp', reason: /scheme ftp: is not supported/ },
    { value: 'http://', reason: /not a valid URL|host name is missing/ },
    { value: 'http://user:secret@[bad', reason: /not a valid URL/ },
  ];
  for (const { value, reason } of invalid) {
    test(`${value} raises InvalidProxySettingError`, () => {
      assert.throws(
        () => parseProxyUrl(value, 'http.proxy'),
        (error: unknown) =>
          error instanceof InvalidProxySettingError &&
          reason.test(error.reason) &&
          error.source === 'http.proxy' &&
          !error.message.includes('secret'),
      );
    });
  }

  test('redaction removes credentials', () => {
    assert.equal(redactProxyUrl('http://ada:secret@proxy.corp:3128'), 'http://proxy.corp:3128');
    assert.equal(redactProxyUrl('ada:secret@proxy.corp:3128'), 'proxy.corp:3128');
    assert.equal(redactProxyUrl('http://proxy.corp:3128'), 'http://proxy.corp:3128');
  });
});

describe('CA file list', () => {
  test('NODE_EXTRA_CA_CERTS comes first', () => {
    assert.deepEqual(certificateFiles(['/etc/a.pem'], { NODE_EXTRA_CA_CERTS: '/etc/extra.pem' }), [
      { path: '/etc/extra.pem', source: 'NODE_EXTRA_CA_CERTS' },
      { path: '/etc/a.pem', source: 'datastack.caCertificates' },
    ]);
  });

  test('blank entries are dropped', () => {
    assert.deepEqual(certificateFiles(['', ' '], { NODE_EXTRA_CA_CERTS: ' ' }), []);
  });
});
