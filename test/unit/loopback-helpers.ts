/** HTTP and TCP helpers for the loopback listener tests. */
import { request, type Agent, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Sends one request to 127.0.0.1 without following redirects. */
export function send(
  port: number,
  path: string,
  options: { method?: string; agent?: Agent; headers?: Record<string, string>; host?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: options.host ?? '127.0.0.1', port, path, method: options.method ?? 'GET', agent: options.agent ?? false, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Resolves true when a TCP connection to the address succeeds, false when it is refused or times out. */
export function canConnect(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: boolean): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Resolves the time in milliseconds until connecting to the port fails, or rejects after `withinMs`. */
export async function waitUntilClosed(port: number, withinMs = 1000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < withinMs) {
    if (!(await canConnect(port, '127.0.0.1', 200))) {
      return Date.now() - started;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`port ${port} still accepts connections after ${withinMs} ms`);
}

/** Opens a TCP connection and resolves once it is connected. */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves when the socket is closed by the other side (or errors), or rejects after `withinMs`. */
export function waitForSocketClose(socket: Socket, withinMs = 1000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed || socket.readyState === 'closed') {
      resolve();
      return;
    }
    const timer = setTimeout(() => reject(new Error(`socket still open after ${withinMs} ms`)), withinMs);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    socket.once('close', done);
    socket.once('end', done);
    // A paused socket never reports the end of a stream that still has unread data.
    socket.resume();
    socket.once('error', done);
  });
}

/** Resolves `settled` or `pending` after a short wait, to check that a promise did not settle. */
export async function settledWithin<T>(promise: Promise<T>, ms = 50): Promise<'settled' | 'pending'> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, ms));
  return settled ? 'settled' : 'pending';
}
