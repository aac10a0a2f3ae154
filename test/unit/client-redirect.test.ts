import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RedirectError } from '../../src/api/errors';
import { type DecodedResponse, errorForStatus } from '../../src/api/responses';
import { describeFailure } from '../../src/errors/describe';
import { ENGLISH } from '../../src/errors/translator';
import { classifyListFailure, isRetryable } from '../../src/views/model/failure';

const HOST = 'http://127.0.0.1:8080';

function redirect(status: number, location: string | undefined): DecodedResponse {
  const headers = new Map<string, string>();
  if (location !== undefined) {
    headers.set('location', location);
  }
  return { status, headers, contentType: undefined, text: '' };
}

function redirectError(status: number, location: string | undefined): RedirectError {
  const error = errorForStatus({ host: HOST, operation: 'listClusters' }, redirect(status, location));
  assert.ok(error instanceof RedirectError, String(error));
  return error;
}

describe('errorForStatus redirect', () => {
  const cases: readonly { location: string | undefined; expected: string | undefined }[] = [
    { location: 'https://api.datastack.cloud/v1/clusters', expected: 'https://api.datastack.cloud' },
    { location: 'https://user:secret@sso.example.com:8443/login?token=abc#x', expected: 'https://sso.example.com:8443' },
    { location: '/login?next=%2Fv1', expected: HOST },
    { location: undefined, expected: undefined },
    { location: 'http://[bad', expected: undefined },
  ];

  for (const { location, expected } of cases) {
    test(`location ${location ?? 'missing'}`, () => {
      const error = redirectError(302, location);

      assert.equal(error.status, 302);
      assert.equal(error.targetOrigin, expected);
    });
  }

  test('message leaves out path, query and user', () => {
    const error = redirectError(307, 'https://user:secret@sso.example.com/login?token=abc');

    assert.match(error.message, /redirected the request \(HTTP 307\) to https:\/\/sso\.example\.com;/);
    assert.ok(!error.message.includes('secret'), error.message);
    assert.ok(!error.message.includes('token=abc'), error.message);
    assert.ok(!error.message.includes('/login'), error.message);
  });
});

describe('redirect description', () => {
  const profile = { kind: 'pat', label: 'grace@example.com (token)', host: HOST } as const;

  test('names target and host setting', () => {
    const error = redirectError(301, 'https://api.datastack.cloud/v1/clusters?page_token=x');

    const description = describeFailure(ENGLISH, { error, operation: 'listClusters', canRetry: true, profile, consoleUrlSet: false });

    assert.equal(description.kind, 'redirect');
    assert.equal(
      description.message,
      'Listing clusters failed because DataStack at 127.0.0.1:8080 redirected the request to https://api.datastack.cloud. The datastack.host setting may be wrong.',
    );
    assert.equal(description.setting, 'datastack.host');
    assert.equal(description.actions[0], 'openSetting');
  });

  test('without location names the status', () => {
    const error = redirectError(308, undefined);

    const description = describeFailure(ENGLISH, { error, operation: 'listClusters', canRetry: false, profile, consoleUrlSet: false });

    assert.equal(
      description.message,
      'Listing clusters failed because DataStack at 127.0.0.1:8080 redirected the request (HTTP 308). The datastack.host setting may be wrong.',
    );
  });

  test('list failure is not retryable', () => {
    const failure = classifyListFailure(redirectError(302, 'https://api.datastack.cloud/'));

    assert.deepEqual(failure, { kind: 'redirected', host: HOST, targetOrigin: 'https://api.datastack.cloud' });
    assert.equal(isRetryable(failure), false);
  });
});
