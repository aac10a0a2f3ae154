import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findErrorCode } from '../../src/api/http';
import { BACKOFF_BASE_MS, MAX_RETRY_DELAY_MS, backoffDelay, parseRetryAfter, sleep } from '../../src/api/retry';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const cases: readonly (readonly [string | undefined, number | undefined])[] = [
    [undefined, undefined],
    ['0', 0],
    ['1', 1000],
    [' 7 ', 7000],
    ['30', 30_000],
    ['31', 31_000],
    ['86400', 86_400_000],
    ['Thu, 01 Jan 2026 00:00:05 GMT', 5000],
    ['Thu, 01 Jan 2026 01:00:00 GMT', 3_600_000],
    ['Wed, 31 Dec 2025 23:00:00 GMT', 0],
    ['-1', undefined],
    ['1.5', undefined],
    ['soon', undefined],
  ];
  for (const [value, expected] of cases) {
    test(`${JSON.stringify(value)} is ${String(expected)} ms`, () => {
      assert.equal(parseRetryAfter(value, now), expected);
    });
  }
});

describe('backoffDelay', () => {
  test('doubles per try within jitter bounds', () => {
    for (const attempt of [1, 2, 3]) {
      const step = BACKOFF_BASE_MS * 2 ** (attempt - 1);
      assert.equal(backoffDelay(attempt, () => 0), step / 2);
      assert.equal(backoffDelay(attempt, () => 0.999999), Math.round(step / 2 + 0.999999 * (step / 2)));
    }
  });

  test('never exceeds the cap', () => {
    assert.equal(backoffDelay(20, () => 0.5), MAX_RETRY_DELAY_MS);
  });
});

describe('sleep', () => {
  test('rejects promptly on abort', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const waiting = sleep(10_000, controller.signal);
    setTimeout(() => controller.abort(new Error('stop')), 20);
    await assert.rejects(waiting, /stop/);
    assert.ok(performance.now() - started < 1000);
  });

  test('rejects at once when already aborted', async () => {
    await assert.rejects(sleep(10_000, AbortSignal.abort(new Error('gone'))), /gone/);
  });
});

describe('findErrorCode', () => {
  const withCode = (code: string, cause?: unknown): Error => Object.assign(new Error(code, { cause }), { code });
  const cases: readonly (readonly [string, unknown, string | undefined])[] = [
    ['system code', withCode('ECONNREFUSED'), 'ECONNREFUSED'],
    ['system code in cause', withCode('UND_ERR_SOCKET', withCode('ECONNRESET')), 'ECONNRESET'],
    ['DNS failure in cause', new TypeError('fetch failed', { cause: withCode('ENOTFOUND') }), 'ENOTFOUND'],
    ['undici code only', withCode('UND_ERR_SOCKET'), 'UND_ERR_SOCKET'],
    ['no code', new Error('boom'), undefined],
    ['not an error', 'ECONNRESET', undefined],
  ];
  for (const [name, error, expected] of cases) {
    test(name, () => {
      assert.equal(findErrorCode(error), expected);
    });
  }
});
