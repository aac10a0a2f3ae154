/**
 * The undici dispatcher of API and token requests, built from VS Code's proxy settings, the proxy
 * environment variables and the extra CA files. It imports no `vscode`: the extension reads the settings
 * and passes a plain {@link NetworkOptions} object.
 *
 * Proxy choice: `http.proxy` wins over the environment. Without it, `https:` requests use `https_proxy`,
 * `HTTPS_PROXY`, `http_proxy` or `HTTP_PROXY` (the first one set), and `http:` requests use `http_proxy`
 * or `HTTP_PROXY`, in the order of undici's `EnvHttpProxyAgent` (undici 7.30). Hosts matched by
 * `http.noProxy` or `NO_PROXY` go direct. Through a proxy, `https:` requests use a `CONNECT` tunnel
 * and `http:` requests the absolute form.
 *
 * TLS: the API host's certificate is always verified. `proxyStrictSSL: false` only skips verification of
 * an `https:` proxy's own certificate; it changes nothing for `http:` proxies or for direct connections.
 */
import { Agent, Dispatcher, Pool, ProxyAgent, type buildConnector } from 'undici';
import { certificateFiles, loadTrustedCertificates } from './certificates';
import { type NoProxyList, bypassesProxy, parseNoProxy } from './noProxy';
import { type ProxyEndpoint, parseProxyUrl } from './proxyUrl';

/** Idle keep-alive times in milliseconds, the same as the client's shared agent. */
const KEEP_ALIVE = { keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 } as const;

/** The network settings, read by the extension from VS Code and the process environment. */
export interface NetworkOptions {
  /** VS Code's `http.proxy`, e.g. `http://user:password@proxy.corp:3128`; wins over the environment. */
  readonly proxyUrl?: string;
  /** VS Code's `http.proxyStrictSSL`: verify an `https:` proxy's own certificate. */
  readonly proxyStrictSSL: boolean;
  /** VS Code's `http.proxyAuthorization`: the `Proxy-Authorization` header value; wins over URL credentials. */
  readonly proxyAuthorization?: string;
  /** VS Code's `http.noProxy`: hosts that bypass the proxy, in addition to `NO_PROXY`. */
  readonly noProxy?: readonly string[];
  /** VS Code's `http.proxySupport`; `off` sends every request directly and ignores the variables too. */
  readonly proxySupport?: 'off' | 'on' | 'fallback' | 'override';
  /**
   * The environment to read `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY` (and their lowercase forms) and
   * `NODE_EXTRA_CA_CERTS` from; pass `process.env` in the extension and an explicit object in tests.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `datastack.caCertificates`: absolute paths of PEM files whose certificates are trusted in addition. */
  readonly caCertificatePaths?: readonly string[];
}

/** The proxy a request goes through. */
export type ProxyRoute = ProxyEndpoint;

interface ProxiedAgent {
  readonly endpoint: ProxyEndpoint;
  readonly agent: ProxyAgent;
}

interface Configuration {
  readonly direct: Agent;
  readonly httpProxy: ProxiedAgent | undefined;
  readonly httpsProxy: ProxiedAgent | undefined;
  readonly noProxy: NoProxyList;
}

/**
 * Wraps an error raised while opening the connection to the proxy itself (before any tunnel exists), so
 * that error mapping can tell "the proxy is unreachable" from a failure of the API host behind it.
 */
export class ProxyConnectFailure extends Error {
  constructor(cause: unknown) {
    super('Could not connect to the proxy', { cause });
    this.name = 'ProxyConnectFailure';
  }
}

/**
 * A dispatcher that sends each request directly or through the configured proxy. {@link update} swaps
 * the configuration in place, so clients holding this dispatcher follow setting changes.
 */
export class NetworkDispatcher extends Dispatcher {
  private constructor(private configuration: Configuration) {
    super();
  }

  /**
   * Builds the dispatcher.
   *
   * @throws {InvalidProxySettingError} when a proxy URL is not usable.
   * @throws {CertificateFileError} when a CA file is missing, unreadable or holds no certificate.
   */
  static create(options: NetworkOptions): NetworkDispatcher {
    return new NetworkDispatcher(configure(options));
  }

  /**
   * Applies new options. Requests in flight finish on the old connections, which close afterwards.
   * On error the previous configuration stays in use.
   *
   * @throws the errors of {@link NetworkDispatcher.create}.
   */
  update(options: NetworkOptions): void {
    const next = configure(options);
    const previous = this.configuration;
    this.configuration = next;
    void closeConfiguration(previous).catch(() => undefined);
  }

  /** Returns the proxy a request to `origin` goes through, or undefined when it goes direct. */
  routeFor(origin: string | URL): ProxyRoute | undefined {
    return this.proxiedAgentFor(new URL(origin))?.endpoint;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const origin = options.origin;
    const proxied = origin === undefined ? undefined : this.proxiedAgentFor(new URL(origin));
    return (proxied?.agent ?? this.configuration.direct).dispatch(options, handler);
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    const closed = closeConfiguration(this.configuration);
    if (callback) {
      void closed.then(callback, callback);
      return;
    }
    return closed;
  }

  override destroy(): Promise<void>;
  override destroy(error: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(error: Error | null, callback: () => void): void;
  override destroy(first?: Error | null | (() => void), second?: () => void): Promise<void> | void {
    const error = typeof first === 'function' ? null : (first ?? null);
    const callback = typeof first === 'function' ? first : second;
    const { direct, httpProxy, httpsProxy } = this.configuration;
    const destroyed = Promise.all([
      direct.destroy(error),
      httpProxy?.agent.destroy(error),
      httpsProxy && httpsProxy !== httpProxy ? httpsProxy.agent.destroy(error) : undefined,
    ]).then(() => undefined);
    if (callback) {
      void destroyed.then(callback, callback);
      return;
    }
    return destroyed;
  }

  private proxiedAgentFor(url: URL): ProxiedAgent | undefined {
    const { httpProxy, httpsProxy, noProxy } = this.configuration;
    const proxied = url.protocol === 'https:' ? httpsProxy : url.protocol === 'http:' ? httpProxy : undefined;
    if (proxied === undefined || bypassesProxy(noProxy, url)) {
      return undefined;
    }
    return proxied;
  }
}

function configure(options: NetworkOptions): Configuration {
  const { http, https } = chooseProxies(options);
  const ca = loadTrustedCertificates(certificateFiles(options.caCertificatePaths, options.env));
  const noProxy = parseNoProxy([
    ...(options.noProxy ?? []),
    options.env.no_proxy ?? options.env.NO_PROXY ?? '',
  ]);

  const direct = new Agent({ ...KEEP_ALIVE, connect: ca ? { ca } : {} });
  const httpProxy = http ? createProxiedAgent(http, options, ca) : undefined;
  const httpsProxy =
    https && http && https.url.href === http.url.href ? httpProxy : https ? createProxiedAgent(https, options, ca) : undefined;
  return { direct, httpProxy, httpsProxy, noProxy };
}

/** Picks the proxy of `http:` and of `https:` requests; see the file comment for the order. */
function chooseProxies(options: NetworkOptions): { http?: ProxyEndpoint; https?: ProxyEndpoint } {
  if (options.proxySupport === 'off') {
    return {};
  }
  const fromSetting = parseProxyUrl(options.proxyUrl, 'http.proxy');
  if (fromSetting) {
    return { http: fromSetting, https: fromSetting };
  }
  const env = options.env;
  const http = firstEndpoint(env, ['http_proxy', 'HTTP_PROXY']);
  const https = firstEndpoint(env, ['https_proxy', 'HTTPS_PROXY']) ?? http;
  return { ...(http ? { http } : {}), ...(https ? { https } : {}) };
}

function firstEndpoint(env: NetworkOptions['env'], names: readonly string[]): ProxyEndpoint | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') {
      return parseProxyUrl(value, name);
    }
  }
  return undefined;
}

function createProxiedAgent(endpoint: ProxyEndpoint, options: NetworkOptions, ca: string[] | undefined): ProxiedAgent {
  const proxyOrigin = endpoint.url.origin;
  const authorization = options.proxyAuthorization?.trim();
  const agent = new ProxyAgent({
    ...KEEP_ALIVE,
    uri: endpoint.url.href,
    ...(authorization ? { token: authorization } : {}),
    // `http:` requests to an `http:` proxy go in absolute form (`GET http://host/path`), like curl does.
    proxyTunnel: false,
    requestTls: ca ? { ca } : {},
    proxyTls: { ...(ca ? { ca } : {}), rejectUnauthorized: options.proxyStrictSSL },
    // The connection to the proxy for `CONNECT` tunnels.
    clientFactory: (origin, clientOptions) => {
      const poolOptions = clientOptions as Pool.Options;
      return new Pool(origin, { ...poolOptions, connect: markProxyConnect(poolOptions.connect) });
    },
    // Pools per API origin (tunnelled), and the connection to the proxy for absolute-form requests.
    factory: (origin, factoryOptions) => {
      const poolOptions = factoryOptions as Pool.Options;
      const isProxy = new URL(origin).origin === proxyOrigin;
      return new Pool(origin, isProxy ? { ...poolOptions, connect: markProxyConnect(poolOptions.connect) } : poolOptions);
    },
  });
  return { endpoint, agent };
}

type ConnectOption = Pool.Options['connect'];

/** Wraps a connector so that its errors become {@link ProxyConnectFailure}. */
function markProxyConnect(connect: ConnectOption): ConnectOption {
  if (typeof connect !== 'function') {
    return connect;
  }
  const connector: buildConnector.connector = connect;
  return (connectOptions, callback) =>
    connector(connectOptions, (error, socket) => {
      if (error) {
        callback(new ProxyConnectFailure(error), null);
      } else {
        callback(null, socket as NonNullable<typeof socket>);
      }
    });
}

function closeConfiguration(configuration: Configuration): Promise<void> {
  const { direct, httpProxy, httpsProxy } = configuration;
  return Promise.all([
    direct.close(),
    httpProxy?.agent.close(),
    httpsProxy && httpsProxy !== httpProxy ? httpsProxy.agent.close() : undefined,
  ]).then(() => undefined);
}
