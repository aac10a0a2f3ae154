import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { rootCertificates } from 'node:tls';
import { CertificateError, CertificateFileError, type CertificateFailureReason } from '../../src/api/errors';
import { loadTrustedCertificates } from '../../src/api/network/certificates';
import { NetworkDispatcher, type NetworkOptions } from '../../src/api/network/index';
import { InvalidGrantError } from '../../src/auth/errors';
import { refreshTokens } from '../../src/auth/tokenEndpoint';
import type { Emulator } from '../emulator/index';
import { createTestClient, startTestEmulator } from './client-fixtures';
import { type TestCertificates, type TlsFront, makeTestCertificates, startTlsFront } from './network-fixtures';

let emulator: Emulator;
let certificates: TestCertificates;
/** TLS fronts of the emulator, one per server certificate. */
const fronts: Record<'leaf' | 'chain' | 'selfSigned' | 'expired' | 'wrongName', TlsFront> = {} as never;
const dispatchers: NetworkDispatcher[] = [];

before(async () => {
  emulator = await startTestEmulator();
  certificates = makeTestCertificates();
  const port = Number(new URL(emulator.url).port);
  const key = certificates.key;
  fronts.leaf = await startTlsFront(port, { key, cert: certificates.leaf });
  fronts.chain = await startTlsFront(port, { key, cert: certificates.leafWithChain });
  fronts.selfSigned = await startTlsFront(port, { key, cert: certificates.selfSigned });
  fronts.expired = await startTlsFront(port, { key, cert: certificates.expired });
  fronts.wrongName = await startTlsFront(port, { key, cert: certificates.wrongName });
});

after(async () => {
  await Promise.all(dispatchers.map((dispatcher) => dispatcher.close()));
  await Promise.all(Object.values(fronts).map((front) => front.close()));
  await emulator.close();
  certificates.remove();
});

beforeEach(() => {
  emulator.reset();
});

function dispatcherWith(options: Partial<NetworkOptions>): NetworkDispatcher {
  const dispatcher = NetworkDispatcher.create({ proxyStrictSSL: true, env: {}, ...options });
  dispatchers.push(dispatcher);
  return dispatcher;
}

async function getUser(host: string, dispatcher?: NetworkDispatcher) {
  const { client, sleeps } = createTestClient(emulator, { host, ...(dispatcher ? { dispatcher } : {}) });
  try {
    return { user: await client.getCurrentUser(), error: undefined, sleeps };
  } catch (error) {
    return { user: undefined, error, sleeps };
  }
}

describe('certificate failures', () => {
  const cases: { front: keyof typeof fronts; trustCa: boolean; code: string; reason: CertificateFailureReason }[] = [
    { front: 'leaf', trustCa: false, code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', reason: 'untrusted' },
    { front: 'chain', trustCa: false, code: 'SELF_SIGNED_CERT_IN_CHAIN', reason: 'untrusted' },
    { front: 'selfSigned', trustCa: false, code: 'DEPTH_ZERO_SELF_SIGNED_CERT', reason: 'untrusted' },
    { front: 'selfSigned', trustCa: true, code: 'DEPTH_ZERO_SELF_SIGNED_CERT', reason: 'untrusted' },
    { front: 'expired', trustCa: true, code: 'CERT_HAS_EXPIRED', reason: 'expired' },
    { front: 'wrongName', trustCa: true, code: 'ERR_TLS_CERT_ALTNAME_INVALID', reason: 'hostnameMismatch' },
  ];

  for (const { front, trustCa, code, reason } of cases) {
    test(`${front} ${trustCa ? 'with' : 'without'} the CA raises ${code}`, async () => {
      const dispatcher = dispatcherWith(trustCa ? { caCertificatePaths: [certificates.caPath] } : {});
      const result = await getUser(fronts[front].url, dispatcher);

      assert.ok(result.error instanceof CertificateError, String(result.error));
      assert.equal(result.error.code, code);
      assert.equal(result.error.reason, reason);
      assert.equal(result.error.certificateHost, `127.0.0.1:${fronts[front].port}`);
      assert.equal(result.error.message, `The certificate of 127.0.0.1:${fronts[front].port} is not trusted (${code}).`);
      assert.deepEqual(result.sleeps, []);
      assert.equal(emulator.requests.length, 0);
    });
  }

  test('shared agent maps untrusted certificates too', async () => {
    const result = await getUser(fronts.leaf.url);

    assert.ok(result.error instanceof CertificateError, String(result.error));
    assert.equal(result.error.reason, 'untrusted');
  });

  test('an unrelated CA does not help', async () => {
    const result = await getUser(fronts.leaf.url, dispatcherWith({ caCertificatePaths: [certificates.otherCaPath] }));

    assert.ok(result.error instanceof CertificateError, String(result.error));
  });
});

describe('trusted CAs', () => {
  test('caCertificatePaths trusts the CA', async () => {
    const result = await getUser(fronts.leaf.url, dispatcherWith({ caCertificatePaths: [certificates.caPath] }));

    assert.equal(result.error, undefined);
    assert.equal(result.user?.user_name, 'ada@example.com');
  });

  test('a bundle file with several CAs works', async () => {
    const bundle = join(certificates.dir, 'bundle.pem');
    writeFileSync(bundle, `${certificates.otherCa}\n${certificates.ca}`);
    const result = await getUser(fronts.leaf.url, dispatcherWith({ caCertificatePaths: [bundle] }));

    assert.equal(result.error, undefined);
  });

  test('NODE_EXTRA_CA_CERTS trusts the CA', async () => {
    const dispatcher = dispatcherWith({ env: { NODE_EXTRA_CA_CERTS: certificates.caPath } });
    const result = await getUser(fronts.chain.url, dispatcher);

    assert.equal(result.error, undefined);
  });

  test('public roots stay trusted next to extra CAs', async () => {
    const trusted = loadTrustedCertificates([{ path: certificates.caPath, source: 'datastack.caCertificates' }]);

    assert.ok(trusted !== undefined);
    assert.deepEqual(trusted.slice(0, rootCertificates.length), [...rootCertificates]);
    assert.equal(trusted.at(-1)?.trim(), certificates.ca.trim());
  });

  test('no extra CA keeps the default store', async () => {
    assert.equal(loadTrustedCertificates([]), undefined);
  });

  test('update adds a CA to a live dispatcher', async () => {
    const dispatcher = dispatcherWith({});
    const before = await getUser(fronts.leaf.url, dispatcher);
    dispatcher.update({ proxyStrictSSL: true, env: {}, caCertificatePaths: [certificates.caPath] });
    const afterUpdate = await getUser(fronts.leaf.url, dispatcher);

    assert.ok(before.error instanceof CertificateError);
    assert.equal(afterUpdate.error, undefined);
  });

  test('failed update keeps the previous CAs', async () => {
    const dispatcher = dispatcherWith({ caCertificatePaths: [certificates.caPath] });
    const missing = join(certificates.dir, 'missing.pem');

    assert.throws(() => dispatcher.update({ proxyStrictSSL: true, env: {}, caCertificatePaths: [missing] }), CertificateFileError);
    const result = await getUser(fronts.leaf.url, dispatcher);
    assert.equal(result.error, undefined);
  });

  test('token refresh trusts the CA', async () => {
    const dispatcher = dispatcherWith({ caCertificatePaths: [certificates.caPath] });
    const config = { tokenUrl: `${fronts.leaf.url}/oauth2/token`, clientId: 'datastack-vscode', dispatcher };

    await assert.rejects(refreshTokens(config, { refreshToken: 'dsrt_unknown', requestedScopes: [] }), InvalidGrantError);
  });
});

describe('CA files', () => {
  const write = (name: string, text: string): string => {
    const path = join(certificates.dir, name);
    writeFileSync(path, text);
    return path;
  };

  const cases: { name: string; options: () => Partial<NetworkOptions>; path: () => string; source: string; reason: RegExp }[] = [
    {
      name: 'missing setting file',
      options: () => ({ caCertificatePaths: [join(certificates.dir, 'nope.pem')] }),
      path: () => join(certificates.dir, 'nope.pem'),
      source: 'datastack.caCertificates',
      reason: /does not exist/,
    },
    {
      name: 'missing NODE_EXTRA_CA_CERTS file',
      options: () => ({ env: { NODE_EXTRA_CA_CERTS: join(certificates.dir, 'gone.pem') } }),
      path: () => join(certificates.dir, 'gone.pem'),
      source: 'NODE_EXTRA_CA_CERTS',
      reason: /does not exist/,
    },
    {
      name: 'directory',
      options: () => ({ caCertificatePaths: [certificates.dir] }),
      path: () => certificates.dir,
      source: 'datastack.caCertificates',
      reason: /could not be read \(EISDIR\)/,
    },
    {
      name: 'file without PEM',
      options: () => ({ caCertificatePaths: [write('text.pem', 'not a certificate')] }),
      path: () => join(certificates.dir, 'text.pem'),
      source: 'datastack.caCertificates',
      reason: /contains no PEM certificate/,
    },
    {
      name: 'corrupt PEM',
      options: () => ({
        caCertificatePaths: [write('corrupt.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')],
      }),
      path: () => join(certificates.dir, 'corrupt.pem'),
      source: 'datastack.caCertificates',
      reason: /invalid certificate \(number 1\)/,
    },
    {
      name: 'relative path',
      options: () => ({ caCertificatePaths: ['certs/ca.pem'] }),
      path: () => 'certs/ca.pem',
      source: 'datastack.caCertificates',
      reason: /is not an absolute path/,
    },
  ];

  for (const { name, options, path, source, reason } of cases) {
    test(`${name} raises CertificateFileError`, async () => {
      let error: unknown;
      try {
        void NetworkDispatcher.create({ proxyStrictSSL: true, env: {}, ...options() }).destroy();
      } catch (caught) {
        error = caught;
      }

      assert.ok(error instanceof CertificateFileError, String(error));
      assert.equal(error.path, path());
      assert.equal(error.source, source);
      assert.match(error.reason, reason);
      assert.ok(error.message.includes(path()), error.message);
    });
  }

  test('empty entries are skipped', async () => {
    const dispatcher = dispatcherWith({ caCertificatePaths: ['', '  '], env: { NODE_EXTRA_CA_CERTS: '' } });
    const result = await getUser(emulator.url, dispatcher);

    assert.equal(result.error, undefined);
  });
});
