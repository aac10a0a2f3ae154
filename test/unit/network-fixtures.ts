/**
 * Fixtures of the network tests: a forwarding HTTP proxy, a TLS front for the emulator and test
 * certificates made with the `openssl` command. Every server listens on 127.0.0.1, port 0, and forwards
 * only to 127.0.0.0/8.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer, request } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, type Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TLSSocket, createServer as createTlsServer } from 'node:tls';

/** One request the proxy received. */
export interface ProxyRequest {
  /** `CONNECT` for tunnels, otherwise the method of an absolute-form request. */
  readonly method: string;
  /** `host:port` for `CONNECT`, the absolute URL otherwise. */
  readonly target: string;
  /** The status the proxy answered with itself: 200 for an opened tunnel, 407, 403 or 502. */
  readonly status: number;
}

export interface TestProxy {
  /** `http://127.0.0.1:<port>` or `https://...` for a TLS proxy. */
  readonly url: string;
  readonly port: number;
  readonly requests: ProxyRequest[];
  close(): Promise<void>;
}

export interface TestProxyOptions {
  /** The `Proxy-Authorization` value the proxy demands; without it every request is accepted. */
  readonly requiredAuthorization?: string;
  /** Serve the proxy itself over TLS with this key and certificate. */
  readonly tls?: { readonly key: string; readonly cert: string };
}

/** Returns `Basic base64(user:password)`. */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** Starts a forwarding proxy: `CONNECT` tunnels for `https:` and absolute-form requests for `http:`. */
export async function startTestProxy(options: TestProxyOptions = {}): Promise<TestProxy> {
  const requests: ProxyRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = options.tls ? createHttpsServer({ ...options.tls }) : createServer();

  const authorized = (message: IncomingMessage): boolean =>
    options.requiredAuthorization === undefined || message.headers['proxy-authorization'] === options.requiredAuthorization;

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', (message: IncomingMessage, response: ServerResponse) => {
    forwardAbsoluteForm(message, response, requests, authorized(message));
  });
  server.on('connect', (message: IncomingMessage, socket: Socket, head: Buffer) => {
    openTunnel(message, socket, head, requests, authorized(message), sockets);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    close: () => closeServer(server, sockets),
  };
}

function forwardAbsoluteForm(
  message: IncomingMessage,
  response: ServerResponse,
  requests: ProxyRequest[],
  authorized: boolean,
): void {
  const target = message.url ?? '';
  const record = (status: number): void => {
    requests.push({ method: message.method ?? '', target, status });
  };
  if (!authorized) {
    record(407);
    response.writeHead(407, { 'proxy-authenticate': 'Basic realm="test proxy"', 'content-length': '0' }).end();
    return;
  }
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    record(400);
    response.writeHead(400).end();
    return;
  }
  if (url.protocol !== 'http:' || !url.hostname.startsWith('127.')) {
    record(403);
    response.writeHead(403).end();
    return;
  }
  record(200);
  const headers = { ...message.headers };
  delete headers['proxy-authorization'];
  delete headers['proxy-connection'];
  const upstream = request(
    { host: url.hostname, port: url.port, method: message.method, path: url.pathname + url.search, headers },
    (upstreamResponse) => {
      response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
      upstreamResponse.pipe(response);
    },
  );
  upstream.on('error', () => response.destroy());
  message.pipe(upstream);
}

function openTunnel(
  message: IncomingMessage,
  socket: Socket,
  head: Buffer,
  requests: ProxyRequest[],
  authorized: boolean,
  sockets: Set<Socket>,
): void {
  const target = message.url ?? '';
  const record = (status: number): void => {
    requests.push({ method: 'CONNECT', target, status });
  };
  socket.on('error', () => undefined);
  if (!authorized) {
    record(407);
    socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test proxy"\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  const match = /^(127\.\d+\.\d+\.\d+):(\d+)$/.exec(target);
  if (!match) {
    record(403);
    socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  const upstream = connect(Number(match[2]), match[1] as string);
  sockets.add(upstream);
  upstream.on('close', () => sockets.delete(upstream));
  upstream.on('error', () => {
    if (!socket.writableEnded && requests.at(-1)?.target !== target) {
      record(502);
    }
    socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
  });
  upstream.on('connect', () => {
    record(200);
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
}

export interface TlsFront {
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts a TLS terminating front that forwards each connection to `targetPort` on 127.0.0.1. */
export async function startTlsFront(targetPort: number, tls: { key: string; cert: string }): Promise<TlsFront> {
  const sockets = new Set<Socket>();
  const server = createTlsServer({ key: tls.key, cert: tls.cert }, (socket) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
    socket.pipe(upstream);
    upstream.pipe(socket);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `https://127.0.0.1:${port}`, port, close: () => closeServer(server, sockets) };
}

async function closeServer(server: { close(callback: () => void): unknown }, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) {
    socket.destroy();
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Returns a port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** PEM files made for one test run; `dir` is removed by {@link TestCertificates.remove}. */
export interface TestCertificates {
  readonly dir: string;
  /** Paths of the CA certificate and of a second, unrelated CA. */
  readonly caPath: string;
  readonly otherCaPath: string;
  /** PEM text of the two CAs. */
  readonly ca: string;
  readonly otherCa: string;
  /** Key of every leaf certificate below. */
  readonly key: string;
  /** Leaf for IP 127.0.0.1 signed by the CA, alone and followed by the CA. */
  readonly leaf: string;
  readonly leafWithChain: string;
  /** Self-signed leaf for IP 127.0.0.1. */
  readonly selfSigned: string;
  /** Leaf signed by the CA for IP 127.0.0.9 only. */
  readonly wrongName: string;
  /** Leaf signed by the CA for 127.0.0.1 that expired in 2020. */
  readonly expired: string;
  remove(): void;
}

/** Returns whether the `openssl` command runs on this machine. */
export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Makes a CA and leaf certificates with the `openssl` command (P-256 keys, valid for one day). */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'datastack-certs-'));
  const file = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  const keyArgs = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const caExtensions = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'];

  openssl('req', '-x509', ...keyArgs, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=DataStack Test CA', ...caExtensions);
  openssl('req', '-x509', ...keyArgs, '-keyout', 'other.key', '-out', 'other.pem', '-days', '1', '-subj', '/CN=Other Test CA', ...caExtensions);
  openssl('req', ...keyArgs, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=127.0.0.1');

  const leafExtensions = (ip: string): string => {
    const name = file(`ext-${ip}.cnf`);
    writeFileSync(name, `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:${ip}\n`);
    return name;
  };
  const signLeaf = (out: string, ip: string): void => {
    openssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-out', out, '-extfile', leafExtensions(ip));
  };
  signLeaf('leaf.pem', '127.0.0.1');
  signLeaf('wrong-name.pem', '127.0.0.9');
  openssl('x509', '-req', '-in', 'leaf.csr', '-key', 'leaf.key', '-days', '1', '-out', 'self.pem', '-extfile', leafExtensions('127.0.0.1'));
  signExpired(dir, openssl, leafExtensions('127.0.0.1'));

  const read = (name: string): string => readFileSync(file(name), 'utf8');
  return {
    dir,
    caPath: file('ca.pem'),
    otherCaPath: file('other.pem'),
    ca: read('ca.pem'),
    otherCa: read('other.pem'),
    key: read('leaf.key'),
    leaf: read('leaf.pem'),
    leafWithChain: read('leaf.pem') + read('ca.pem'),
    selfSigned: read('self.pem'),
    wrongName: read('wrong-name.pem'),
    expired: read('expired.pem'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** `openssl x509` cannot set dates in the past, so the expired leaf is signed with `openssl ca`. */
function signExpired(dir: string, openssl: (...args: string[]) => void, extensions: string): void {
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    [
      '[ca]',
      'default_ca = test_ca',
      '[test_ca]',
      `dir = ${dir}`,
      'database = $dir/index.txt',
      'new_certs_dir = $dir',
      'serial = $dir/serial',
      'default_md = sha256',
      'policy = any_policy',
      'unique_subject = no',
      '[any_policy]',
      'commonName = supplied',
      '',
    ].join('\n'),
  );
  openssl(
    'ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-in', 'leaf.csr', '-out', 'expired.pem',
    '-startdate', '20200101000000Z', '-enddate', '20200102000000Z', '-extfile', extensions, '-notext',
  );
}
