/**
 * The loopback redirect listener of RFC 8252 section 7.3: an HTTP server on 127.0.0.1 with an ephemeral
 * port that lives exactly as long as one sign-in attempt.
 *
 * Callback policy: a `GET /callback` whose `state` is missing, foreign, repeated or already used gets an
 * error page and the flow keeps waiting, so a stray or hostile request cannot end a sign-in. A callback with
 * the expected state ends the flow: with the code, or at once with a typed error when it carries `error=`.
 * Other paths answer 404 and other methods 405 without touching the flow.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { FALLBACK_PAGES, renderErrorPage, type CallbackPages } from './callbackPages';
import { evaluateCallback, type CallbackVerdict } from './callbackParams';
import {
  AuthorizationCancelledError,
  AuthorizationDeniedError,
  AuthorizationServerError,
  AuthorizationTimeoutError,
  InvalidCallbackUrlError,
  describeAuthorizationError,
} from './errors';
import { silentLog, type AuthLog } from './types';

/** Default time to wait for the callback: 5 minutes, as VS Code's built-in sign-in providers wait. */
export const DEFAULT_CALLBACK_TIMEOUT_MS = 5 * 60_000;
/** Longest request target and total header size accepted, in bytes. */
export const MAX_REQUEST_BYTES = 8192;
/** The path of the redirect URI. */
export const CALLBACK_PATH = '/callback';

const LOOPBACK_ADDRESS = '127.0.0.1';

/** Options of {@link LoopbackListener.start}. */
export interface LoopbackListenerOptions {
  /** The `state` sent with the authorization request. */
  readonly expectedState: string;
  /** Origin of the authorization server, for error messages. */
  readonly authorizationHost: string;
  /** Time to wait for a usable callback; default {@link DEFAULT_CALLBACK_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** Aborting it ends the flow with {@link AuthorizationCancelledError}. */
  readonly signal?: AbortSignal;
  /** Page templates; default minimal built-in pages. */
  readonly pages?: CallbackPages;
  /** Time the listener stays open after the outcome to serve the final page; default 500 ms. */
  readonly closeGraceMs?: number;
  /** Time a client has to send a complete request (slowloris guard); default 10 s. */
  readonly requestTimeoutMs?: number;
  readonly log?: AuthLog;
}

type Outcome = { readonly kind: 'success' } | { readonly kind: 'error'; readonly message: string };

const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

/** One running loopback listener. Create it with {@link LoopbackListener.start}. */
export class LoopbackListener {
  /** The bound port. */
  readonly port: number;
  /** `http://127.0.0.1:<port>/callback`: the redirect URI to send to the authorization server. */
  readonly redirectUri: string;
  /** Resolves the authorization code, or rejects with the typed error that ended the flow. */
  readonly code: Promise<string>;
  /** Resolves once the server is closed and every socket is destroyed. */
  readonly closed: Promise<void>;

  private readonly sockets = new Set<Socket>();
  private readonly pages: CallbackPages;
  private readonly log: AuthLog;
  private resolveCode!: (code: string) => void;
  private rejectCode!: (error: Error) => void;
  private outcome: Outcome | undefined;
  private stateUsed = false;
  private closing = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly abortListener = (): void => this.cancel();

  private constructor(
    private readonly server: Server,
    private readonly options: LoopbackListenerOptions,
  ) {
    const address = server.address();
    if (address === null || typeof address === 'string') {
      throw new Error('The loopback listener has no TCP address.');
    }
    this.port = address.port;
    this.redirectUri = `http://${LOOPBACK_ADDRESS}:${this.port}${CALLBACK_PATH}`;
    this.pages = options.pages ?? FALLBACK_PAGES;
    this.log = options.log ?? silentLog;
    this.code = new Promise<string>((resolve, reject) => {
      this.resolveCode = resolve;
      this.rejectCode = reject;
    });
    // The caller may dispose without awaiting the code; that must not be an unhandled rejection.
    this.code.catch(() => undefined);
    this.closed = new Promise<void>((resolve) => server.once('close', () => resolve()));

    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => this.handleRequest(request, response));
  }

  /** Binds a listener to 127.0.0.1 on an ephemeral port and starts the flow timeout. */
  static async start(options: LoopbackListenerOptions): Promise<LoopbackListener> {
    if (options.signal?.aborted) {
      throw new AuthorizationCancelledError(options.authorizationHost);
    }
    const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    const server = createServer({
      maxHeaderSize: MAX_REQUEST_BYTES,
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(requestTimeoutMs, 5_000),
      keepAliveTimeout: 2_000,
      // Node checks the two timeouts above only at this interval (default 30 s).
      connectionsCheckingInterval: 250,
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, LOOPBACK_ADDRESS, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const listener = new LoopbackListener(server, options);
    listener.arm();
    return listener;
  }

  /**
   * Completes the flow from the full redirect URL the browser was sent to, for when the browser cannot
   * reach the listener. The path must be `/callback` and the state must match, as for a real callback;
   * the URL's host and port are not checked because the state binds it to this flow.
   *
   * @throws {InvalidCallbackUrlError} when the URL cannot complete the flow; the flow keeps waiting.
   */
  completeFromPastedUrl(text: string): void {
    if (this.outcome !== undefined || this.closing) {
      throw new InvalidCallbackUrlError(this.options.authorizationHost, 'the sign-in attempt already finished');
    }
    let url: URL;
    try {
      url = new URL(text.trim());
    } catch {
      throw new InvalidCallbackUrlError(this.options.authorizationHost, 'the text is not a URL');
    }
    if (url.pathname !== CALLBACK_PATH) {
      throw new InvalidCallbackUrlError(this.options.authorizationHost, `its path is not ${CALLBACK_PATH}`);
    }
    const verdict = evaluateCallback(url.searchParams, this.options.expectedState, this.stateUsed);
    if (verdict.kind === 'ignored') {
      this.log.warn(`[loopback] pasted redirect URL rejected: ${verdict.reason}`);
      throw new InvalidCallbackUrlError(this.options.authorizationHost, verdict.reason);
    }
    this.log.info('[loopback] flow completed from a pasted redirect URL');
    this.settle(verdict);
    this.scheduleClose(0);
  }

  /** Ends the flow (if still pending) with {@link AuthorizationCancelledError} and closes the listener at once. */
  async dispose(): Promise<void> {
    this.cancel();
    await this.closed;
  }

  private arm(): void {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS;
    this.addTimer(() => {
      if (this.outcome === undefined) {
        this.log.warn(`[loopback] no callback within ${timeoutMs} ms`);
        this.fail(new AuthorizationTimeoutError(this.options.authorizationHost, timeoutMs));
      }
    }, timeoutMs);
    this.options.signal?.addEventListener('abort', this.abortListener, { once: true });
    this.log.info(`[loopback] listening on ${LOOPBACK_ADDRESS}:${this.port}`);
  }

  private cancel(): void {
    if (this.outcome === undefined) {
      this.log.info('[loopback] sign-in cancelled');
      this.fail(new AuthorizationCancelledError(this.options.authorizationHost));
    } else {
      this.close();
    }
  }

  /** Ends the flow without a page to serve and closes at once. */
  private fail(error: Error): void {
    this.outcome = { kind: 'error', message: error.message };
    this.rejectCode(error);
    this.close();
  }

  private handleRequest(request: IncomingMessage, response: ServerResponse): void {
    const target = request.url ?? '/';
    if (Buffer.byteLength(target) > MAX_REQUEST_BYTES) {
      this.sendText(response, 414, 'Request target too long.');
      return;
    }
    if (request.method !== 'GET') {
      response.setHeader('Allow', 'GET');
      this.sendText(response, 405, 'Method not allowed.');
      return;
    }
    const url = new URL(target, `http://${LOOPBACK_ADDRESS}`);
    switch (url.pathname) {
      case CALLBACK_PATH:
        this.handleCallback(url.searchParams, response);
        return;
      case '/success':
        this.serveFinalPage(response, 'success');
        return;
      case '/error':
        this.serveFinalPage(response, 'error');
        return;
      default:
        this.sendText(response, 404, 'Not found.');
    }
  }

  private handleCallback(params: URLSearchParams, response: ServerResponse): void {
    if (this.outcome !== undefined) {
      this.sendHtml(response, 400, renderErrorPage(this.pages, 'This sign-in attempt already finished.'));
      return;
    }
    const verdict = evaluateCallback(params, this.options.expectedState, this.stateUsed);
    if (verdict.kind === 'ignored') {
      this.log.warn(`[loopback] callback ignored: ${verdict.reason}`);
      this.sendHtml(response, 400, renderErrorPage(this.pages, `This page cannot complete the sign-in: ${verdict.reason}.`));
      return;
    }
    this.settle(verdict);
    // Redirect so that the code leaves the address bar and the history.
    response.writeHead(302, { ...COMMON_HEADERS, Location: verdict.kind === 'code' ? '/success' : '/error', 'Content-Length': '0' });
    response.end();
    this.scheduleClose(this.options.closeGraceMs ?? 500);
  }

  private settle(verdict: Exclude<CallbackVerdict, { kind: 'ignored' }>): void {
    this.stateUsed = true;
    if (verdict.kind === 'code') {
      this.outcome = { kind: 'success' };
      this.log.info('[loopback] authorization code received');
      this.resolveCode(verdict.code);
      return;
    }
    const { details } = verdict;
    const host = this.options.authorizationHost;
    const error =
      details.code === 'access_denied' ? new AuthorizationDeniedError(host, details) : new AuthorizationServerError(host, details);
    const description = details.description ? ` ${details.description}` : '';
    this.outcome = { kind: 'error', message: `The sign-in failed: ${describeAuthorizationError(details.code)} (${details.code}).${description}` };
    this.log.warn(`[loopback] authorization server returned ${details.code}`);
    this.rejectCode(error);
  }

  private serveFinalPage(response: ServerResponse, kind: Outcome['kind']): void {
    if (this.outcome?.kind !== kind) {
      this.sendText(response, 404, 'Not found.');
      return;
    }
    const body = this.outcome.kind === 'success' ? this.pages.success : renderErrorPage(this.pages, this.outcome.message);
    response.once('finish', () => this.close());
    response.setHeader('Connection', 'close');
    this.sendHtml(response, 200, body);
  }

  private sendHtml(response: ServerResponse, status: number, body: string): void {
    response.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    response.end(body);
  }

  private sendText(response: ServerResponse, status: number, body: string): void {
    response.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    response.end(body);
  }

  private scheduleClose(delayMs: number): void {
    this.clearTimers();
    this.addTimer(() => this.close(), delayMs);
  }

  private addTimer(callback: () => void, delayMs: number): void {
    const timer = setTimeout(callback, delayMs);
    timer.unref();
    this.timers.push(timer);
  }

  private clearTimers(): void {
    for (const timer of this.timers.splice(0)) {
      clearTimeout(timer);
    }
  }

  /** Stops listening and destroys every socket, including idle keep-alive and half-sent ones. */
  private close(): void {
    if (this.closing) {
      return;
    }
    this.closing = true;
    this.clearTimers();
    this.options.signal?.removeEventListener('abort', this.abortListener);
    this.server.close();
    this.server.closeAllConnections();
    for (const socket of this.sockets) {
      socket.destroy();
    }
    this.log.info(`[loopback] listener on port ${this.port} closed`);
  }
}
