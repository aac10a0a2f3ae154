import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { LockTimeoutError } from '../../src/auth/errors';
import { FileLock, InProcessLock } from '../../src/auth/fileLock';

const run = promisify(execFile);
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'datastack-lock-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Returns the pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('file lock', () => {
  test('second holder waits for release', async () => {
    const first = new FileLock({ dir, name: 'p' });
    const second = new FileLock({ dir, name: 'p', retryDelayMs: 10 });
    const releaseFirst = await first.acquire();
    let acquired = false;
    const pending = second.acquire().then((release) => {
      acquired = true;
      return release;
    });
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    assert.equal(acquired, false);
    await releaseFirst();
    const releaseSecond = await pending;
    assert.equal(acquired, true);
    await releaseSecond();
  });

  test('lock file is removed on release', async () => {
    const lock = new FileLock({ dir, name: 'p' });
    const release = await lock.acquire();
    const owner = JSON.parse(await readFile(lock.path, 'utf8')) as { pid: number };
    assert.equal(owner.pid, process.pid);
    await release();
    await assert.rejects(readFile(lock.path, 'utf8'), /ENOENT/);
  });

  test('lock of a dead process is taken over', async () => {
    const lock = new FileLock({ dir, name: 'p', acquireTimeoutMs: 2000 });
    await writeFile(lock.path, JSON.stringify({ pid: deadPid(), id: 'crashed', createdAt: Date.now() }));
    const started = Date.now();
    const release = await lock.acquire();
    assert.ok(Date.now() - started < 1000);
    await release();
  });

  test('untouched lock is taken over after staleMs', async () => {
    const lock = new FileLock({ dir, name: 'p', staleMs: 5000, acquireTimeoutMs: 2000, isProcessAlive: () => true });
    await writeFile(lock.path, JSON.stringify({ pid: 1, id: 'hung', createdAt: 0 }));
    const old = new Date(Date.now() - 60_000);
    await utimes(lock.path, old, old);
    const release = await lock.acquire();
    await release();
  });

  test('live fresh lock is not taken over', async () => {
    const holder = new FileLock({ dir, name: 'p' });
    const release = await holder.acquire();
    const waiter = new FileLock({ dir, name: 'p', acquireTimeoutMs: 200, retryDelayMs: 10 });
    await assert.rejects(waiter.acquire(), (error: unknown) => error instanceof LockTimeoutError && error.timeoutMs === 200);
    await release();
  });

  test('release leaves a lock taken over by another owner', async () => {
    const lock = new FileLock({ dir, name: 'p' });
    const release = await lock.acquire();
    const other = JSON.stringify({ pid: process.pid, id: 'other', createdAt: Date.now() });
    await writeFile(lock.path, other);
    await release();
    assert.equal(await readFile(lock.path, 'utf8'), other);
  });

  test('abort stops waiting', async () => {
    const holder = new FileLock({ dir, name: 'p' });
    const release = await holder.acquire();
    const controller = new AbortController();
    const waiting = new FileLock({ dir, name: 'p', retryDelayMs: 10 }).acquire(controller.signal);
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(waiting, /abort/i);
    await release();
  });

  test('invalid name is rejected', () => {
    assert.throws(() => new FileLock({ dir, name: '../escape' }), /Invalid lock name/);
  });

  test('separate processes never overlap', async () => {
    const counter = join(dir, 'counter.txt');
    const log = join(dir, 'log.txt');
    await writeFile(counter, '0');
    await writeFile(log, '');
    const script = join(dir, 'worker.mts');
    const lockModule = resolve(__dirname, '..', '..', 'src', 'auth', 'fileLock.ts');
    await writeFile(
      script,
      `import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { FileLock } from ${JSON.stringify(lockModule)};
const [dir, counter, log] = process.argv.slice(2) as [string, string, string];
const lock = new FileLock({ dir, name: 'shared', retryDelayMs: 5 });
for (let i = 0; i < 5; i++) {
  const release = await lock.acquire();
  await appendFile(log, 'enter ' + process.pid + '\\n');
  const value = Number(await readFile(counter, 'utf8'));
  await new Promise((r) => setTimeout(r, 5));
  await writeFile(counter, String(value + 1));
  await appendFile(log, 'leave ' + process.pid + '\\n');
  await release();
}
`,
    );
    const tsxLoader = resolve(__dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'loader.mjs');
    await Promise.all(
      Array.from({ length: 4 }, () => run(process.execPath, ['--import', tsxLoader, script, dir, counter, log], { timeout: 30_000 })),
    );
    assert.equal(await readFile(counter, 'utf8'), '20');
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    assert.equal(lines.length, 40);
    for (let i = 0; i < lines.length; i += 2) {
      const pid = lines[i]?.split(' ')[1];
      assert.equal(lines[i], `enter ${pid}`);
      assert.equal(lines[i + 1], `leave ${pid}`, `overlap at line ${i + 2}`);
    }
  });
});

describe('in-process lock', () => {
  test('holders run one at a time in order', async () => {
    const lock = new InProcessLock();
    const order: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map(async (name) => {
        const release = await lock.acquire();
        order.push(`${name}+`);
        await new Promise((resolveWait) => setTimeout(resolveWait, 10));
        order.push(`${name}-`);
        await release();
      }),
    );
    assert.deepEqual(order, ['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
  });
});
