/** Starts `node:http` servers on loopback addresses only and closes them with every open socket. */
import { createServer, type RequestListener, type Server } from 'node:http';
import { isIPv4, type AddressInfo, type Socket } from 'node:net';

/** Returns whether `host` is an IP literal of the loopback network: 127.0.0.0/8 or `::1`. */
export function isLoopbackAddress(host: string): boolean {
  if (host === '::1') {
    return true;
  }
  return isIPv4(host) && host.startsWith('127.');
}

/** Returns the URL origin of an address, e.g. `http://127.0.0.1:8787` or `http://[::1]:8787`. */
export function originOf(host: string, port: number): string {
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

export interface Listener {
  readonly server: Server;
  readonly host: string;
  readonly port: number;
}

function listenOne(handler: RequestListener, host: string, port: number, sockets: Set<Socket>): Promise<Listener> {
  const server = createServer(handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve({ server, host, port: (server.address() as AddressInfo).port });
    });
  });
}

/**
 * Listens on every host. The first host gets `port`, where 0 picks a free one. Each other host tries the
 * same port and falls back to a free port of its own when that one is taken.
 * Throws before binding anything when a host is not a loopback IP literal.
 */
export async function listenOnHosts(
  handler: RequestListener,
  hosts: readonly string[],
  port: number,
  sockets: Set<Socket>,
): Promise<Listener[]> {
  if (hosts.length === 0) {
    throw new Error('The emulator needs at least one listen address.');
  }
  for (const host of hosts) {
    if (!isLoopbackAddress(host)) {
      throw new Error(`The emulator binds only loopback IP addresses (127.0.0.0/8 or ::1), not "${host}".`);
    }
  }
  const listeners: Listener[] = [];
  try {
    for (const host of hosts) {
      const sharedPort = listeners[0]?.port ?? port;
      try {
        listeners.push(await listenOne(handler, host, sharedPort, sockets));
      } catch (error) {
        if (listeners.length === 0 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
          throw error;
        }
        listeners.push(await listenOne(handler, host, 0, sockets));
      }
    }
  } catch (error) {
    await closeListeners(listeners, sockets);
    throw error;
  }
  return listeners;
}

/** Closes the servers and destroys every socket, idle keep-alive ones included, so no port stays open. */
export async function closeListeners(listeners: readonly Listener[], sockets: Set<Socket>): Promise<void> {
  const closed = listeners.map(
    ({ server }) =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  );
  for (const { server } of listeners) {
    server.closeAllConnections();
  }
  for (const socket of sockets) {
    socket.destroy();
  }
  sockets.clear();
  await Promise.all(closed);
}
