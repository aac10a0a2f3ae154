/**
 * A lock file shared by every extension host on the machine, so that only one window refreshes a session
 * at a time. The file is created with `O_EXCL` (`wx`) and contains the owner's pid, a random owner id and
 * the creation time. A holder touches it periodically; a lock whose owner process is gone, or that was not
 * touched for `staleMs`, is taken over.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, unlink, utimes, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LockTimeoutError } from './errors';
import { silentLog, type AuthLog, type ExclusiveLock } from './types';

/** Options of {@link FileLock}. */
export interface FileLockOptions {
  /** Folder of the lock file, e.g. `context.globalStorageUri.fsPath`; created when missing. */
  readonly dir: string;
  /** Lock name; the file is `<name>.lock`. Use one name per session, e.g. derived from the profile id. */
  readonly name: string;
  /** Age after which an untouched lock counts as abandoned; default 30 s. */
  readonly staleMs?: number;
  /** Maximum wait for the lock before {@link LockTimeoutError}; default 60 s. */
  readonly acquireTimeoutMs?: number;
  /** Delay between tries while the lock is held elsewhere; default 50 ms. */
  readonly retryDelayMs?: number;
  /** Returns whether a process exists; default `process.kill(pid, 0)`. */
  readonly isProcessAlive?: (pid: number) => boolean;
  readonly log?: AuthLog;
}

interface LockOwner {
  readonly pid: number;
  readonly id: string;
  readonly createdAt: number;
}

/** An {@link ExclusiveLock} backed by a lock file. */
export class FileLock implements ExclusiveLock {
  /** Full path of the lock file. */
  readonly path: string;
  private readonly staleMs: number;
  private readonly log: AuthLog;

  constructor(private readonly options: FileLockOptions) {
    if (!/^[A-Za-z0-9._-]+$/.test(options.name)) {
      throw new Error(`Invalid lock name "${options.name}": use letters, digits, dot, dash and underscore only.`);
    }
    this.path = join(options.dir, `${options.name}.lock`);
    this.staleMs = options.staleMs ?? 30_000;
    this.log = options.log ?? silentLog;
  }

  /** Waits for the lock; resolves the function that releases it. Rejects when `signal` aborts. */
  async acquire(signal?: AbortSignal): Promise<() => Promise<void>> {
    await mkdir(this.options.dir, { recursive: true });
    const owner: LockOwner = { pid: process.pid, id: randomBytes(12).toString('hex'), createdAt: Date.now() };
    const timeoutMs = this.options.acquireTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;

    for (;;) {
      signal?.throwIfAborted();
      if (await this.tryCreate(owner)) {
        return this.startHolding(owner);
      }
      await this.removeIfStale();
      if (Date.now() >= deadline) {
        throw new LockTimeoutError(this.path, timeoutMs);
      }
      const delay = (this.options.retryDelayMs ?? 50) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /** Creates the lock file exclusively; returns false when it exists already. */
  private async tryCreate(owner: LockOwner): Promise<boolean> {
    let handle;
    try {
      handle = await open(this.path, 'wx', 0o600);
    } catch (error) {
      if (isErrorCode(error, 'EEXIST')) {
        return false;
      }
      throw error;
    }
    try {
      await handle.writeFile(JSON.stringify(owner));
    } finally {
      await handle.close();
    }
    return true;
  }

  /** Touches the file while held; the returned function stops that and removes the file if still ours. */
  private startHolding(owner: LockOwner): () => Promise<void> {
    const heartbeat = setInterval(() => {
      const now = new Date();
      utimes(this.path, now, now).catch(() => undefined);
    }, Math.max(1000, Math.floor(this.staleMs / 3)));
    heartbeat.unref();

    let released = false;
    return async () => {
      if (released) {
        return;
      }
      released = true;
      clearInterval(heartbeat);
      const current = await this.readOwner();
      if (current?.id === owner.id) {
        await unlink(this.path).catch(() => undefined);
      } else {
        this.log.warn(`[lock] ${this.path} was taken over by another process before release`);
      }
    };
  }

  /**
   * Removes the lock file when its owner process is gone or it was not touched for `staleMs`. The file is
   * first renamed to a private name, so only one of two processes that both judged it stale removes it.
   * If the renamed file turns out to be a fresh lock, it is linked back.
   */
  private async removeIfStale(): Promise<void> {
    const owner = await this.readOwner();
    let modifiedAt: number;
    try {
      modifiedAt = (await stat(this.path)).mtimeMs;
    } catch {
      return;
    }
    const ownerGone = owner !== undefined && !this.isAlive(owner.pid);
    // A file without a readable owner may be mid-write by its creator, so only its age makes it stale.
    const untouched = Date.now() - modifiedAt > this.staleMs;
    if (!ownerGone && !untouched) {
      return;
    }

    const aside = `${this.path}.${randomBytes(6).toString('hex')}.stale`;
    try {
      await rename(this.path, aside);
    } catch {
      return;
    }
    const moved = await readOwnerFile(aside);
    if (owner !== undefined && moved?.id !== owner.id) {
      // Another process replaced the stale lock between our read and the rename: put its lock back.
      await link(aside, this.path).catch(() => undefined);
    } else {
      this.log.warn(`[lock] removed a stale lock ${this.path} (${ownerGone ? 'owner process gone' : 'not touched in time'})`);
    }
    await unlink(aside).catch(() => undefined);
  }

  private isAlive(pid: number): boolean {
    if (this.options.isProcessAlive) {
      return this.options.isProcessAlive(pid);
    }
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      // EPERM means the process exists but belongs to another user.
      return isErrorCode(error, 'EPERM');
    }
  }

  private readOwner(): Promise<LockOwner | undefined> {
    return readOwnerFile(this.path);
  }
}

async function readOwnerFile(path: string): Promise<LockOwner | undefined> {
  try {
    const json: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (typeof json === 'object' && json !== null) {
      const { pid, id, createdAt } = json as Record<string, unknown>;
      if (typeof pid === 'number' && typeof id === 'string' && typeof createdAt === 'number') {
        return { pid, id, createdAt };
      }
    }
  } catch {
    // Missing, being written, or not JSON.
  }
  return undefined;
}

function isErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** An {@link ExclusiveLock} for one process only: queues holders in order. */
export class InProcessLock implements ExclusiveLock {
  private tail: Promise<void> = Promise.resolve();

  acquire(signal?: AbortSignal): Promise<() => Promise<void>> {
    signal?.throwIfAborted();
    let release!: () => void;
    const holding = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => holding);
    return previous.then(() => async () => release());
  }
}
