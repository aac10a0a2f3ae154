/**
 * One SSO sign-in attempt in VS Code: the authorization code flow with PKCE through the loopback
 * listener of `src/auth`, the system browser, and a cancellable progress notification.
 *
 * A progress notification cannot have buttons, so "Copy Link" and "Paste Redirect URL" sit on a status bar
 * item that lives as long as the attempt, and the progress message points to it. A second notification
 * with the buttons would outlive the attempt, because VS Code cannot close a notification it showed.
 */
import type { Dispatcher } from 'undici';
import * as vscode from 'vscode';
import { originOf } from '../auth/errors';
import { buildAuthorizeUrl } from '../auth/authorizeUrl';
import type { CallbackPages } from '../auth/callbackPages';
import { AuthorizationCancelledError, InvalidCallbackUrlError } from '../auth/errors';
import { LoopbackListener } from '../auth/loopbackServer';
import { createPkcePair, createState } from '../auth/pkce';
import { type TokenSet, exchangeAuthorizationCode } from '../auth/tokenEndpoint';
import type { AuthLog, Clock } from '../auth/types';
import { RequestAbortedError } from '../api/errors';
import type { UserPrompts } from '../core/prompts';

/** Maximum time the listener waits, after the callback, for the browser to fetch the final page. */
const SUCCESS_PAGE_GRACE_MS = 5_000;

/** The `datastack.oauth.*` settings of one attempt. */
export interface OAuthSettings {
  readonly authorizationUrl: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly audience: string;
}

export interface SsoFlowDependencies {
  readonly prompts: Required<Pick<UserPrompts, 'validatedInputBox'>>;
  readonly log: AuthLog;
  readonly clock: Clock;
  /** Opens the authorization URL in the system browser; resolves false when it could not. */
  readonly openBrowser: (url: string) => Promise<boolean>;
  /** Time to wait for the browser to come back; the loopback listener's default is 5 minutes. */
  readonly callbackTimeoutMs: number | undefined;
  readonly pages: CallbackPages | undefined;
  /** The dispatcher of the code exchange. */
  readonly dispatcher: Dispatcher;
}

/** The attempt in progress; "Copy Link" and "Paste Redirect URL" act on it. */
export class PendingSsoAttempt {
  constructor(
    readonly authorizeUrl: string,
    private readonly listener: LoopbackListener,
    private readonly prompts: SsoFlowDependencies['prompts'],
    private readonly abort: AbortController,
  ) {}

  async copyLink(): Promise<void> {
    await vscode.env.clipboard.writeText(this.authorizeUrl);
    void vscode.window.showInformationMessage(vscode.l10n.t('The sign-in link is on the clipboard. Open it in a browser.'));
  }

  /** Asks for the URL the browser was redirected to and completes the attempt with it. */
  async pasteRedirectUrl(): Promise<void> {
    await this.prompts.validatedInputBox<true>(
      {
        title: vscode.l10n.t('Paste Redirect URL'),
        prompt: vscode.l10n.t('The full address the browser shows after you approved, starting with http://127.0.0.1'),
        ignoreFocusOut: true,
      },
      async (value) => {
        try {
          this.listener.completeFromPastedUrl(value);
          return { result: true };
        } catch (error) {
          if (error instanceof InvalidCallbackUrlError) {
            return { error: vscode.l10n.t('This URL cannot complete the sign-in: {0}.', error.reason) };
          }
          throw error;
        }
      },
    );
  }

  cancel(): void {
    this.abort.abort();
  }
}

/**
 * Runs one attempt for `scopes` and returns the tokens. `onStart` receives the attempt once the listener
 * runs, so the caller can cancel it or reach its actions.
 *
 * @throws {vscode.CancellationError} when the user cancels; the typed errors of `src/auth` otherwise.
 */
export async function runSsoFlow(
  dependencies: SsoFlowDependencies,
  settings: OAuthSettings,
  scopes: readonly string[],
  onStart: (attempt: PendingSsoAttempt | undefined) => void,
): Promise<TokenSet> {
  const abort = new AbortController();
  const pkce = createPkcePair();
  const state = createState();
  const listener = await LoopbackListener.start({
    expectedState: state,
    authorizationHost: originOf(settings.authorizationUrl),
    signal: abort.signal,
    log: dependencies.log,
    ...(dependencies.callbackTimeoutMs !== undefined ? { timeoutMs: dependencies.callbackTimeoutMs } : {}),
    ...(dependencies.pages !== undefined ? { pages: dependencies.pages } : {}),
    closeGraceMs: SUCCESS_PAGE_GRACE_MS,
  });
  const controls: vscode.Disposable[] = [];
  let codeReceived = false;
  try {
    await forwardPort(listener.redirectUri, dependencies.log);
    const authorizeUrl = buildAuthorizeUrl({
      authorizationUrl: settings.authorizationUrl,
      clientId: settings.clientId,
      audience: settings.audience,
      scopes,
      redirectUri: listener.redirectUri,
      state,
      codeChallenge: pkce.challenge,
    });
    const attempt = new PendingSsoAttempt(authorizeUrl, listener, dependencies.prompts, abort);
    onStart(attempt);
    controls.push(showAttemptStatusItem());
    dependencies.log.info(`[auth] SSO sign-in started at ${originOf(settings.authorizationUrl)} for scopes ${scopes.join(' ')}`);

    const code = await waitForCode(dependencies, attempt, listener, abort);
    codeReceived = true;
    return await exchangeAuthorizationCode(
      {
        tokenUrl: settings.tokenUrl,
        clientId: settings.clientId,
        clock: dependencies.clock,
        log: dependencies.log,
        dispatcher: dependencies.dispatcher,
      },
      { code, redirectUri: listener.redirectUri, codeVerifier: pkce.verifier, requestedScopes: scopes },
      abort.signal,
    );
  } catch (error) {
    if (error instanceof AuthorizationCancelledError || (error instanceof RequestAbortedError && abort.signal.aborted)) {
      throw new vscode.CancellationError();
    }
    throw error;
  } finally {
    onStart(undefined);
    vscode.Disposable.from(...controls).dispose();
    // After a callback, the browser still has to follow the redirect to the final page. The listener closes
    // itself once it has served that page, or after SUCCESS_PAGE_GRACE_MS. Disposing it here raced the
    // browser, which then showed "connection refused" in place of the page on a loaded machine.
    if (!codeReceived) {
      await listener.dispose();
    }
  }
}

/**
 * In a remote extension host, asks VS Code to forward the listener's port. The redirect URI sent to the
 * authorization server stays `http://127.0.0.1:<port>/callback`: code-server 4.100 returns a `/proxy/<port>/`
 * URI without the path and query, which could not receive the callback.
 */
async function forwardPort(redirectUri: string, log: AuthLog): Promise<void> {
  if (vscode.env.remoteName === undefined) {
    return;
  }
  try {
    const external = await vscode.env.asExternalUri(vscode.Uri.parse(redirectUri));
    log.info(`[auth] loopback port forwarded as ${external.scheme}://${external.authority}`);
  } catch (error) {
    log.warn(`[auth] port forwarding failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function waitForCode(
  dependencies: SsoFlowDependencies,
  attempt: PendingSsoAttempt,
  listener: LoopbackListener,
  abort: AbortController,
): Promise<string> {
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Signing in to DataStack in your browser…'),
      cancellable: true,
    },
    async (progress, token) => {
      // The status bar item's menu has "Copy Link" and "Paste Redirect URL".
      progress.report({
        message: vscode.l10n.t('If the browser did not open or cannot reach VS Code, click "DataStack sign-in pending" in the status bar.'),
      });
      const subscription = token.onCancellationRequested(() => abort.abort());
      try {
        const opened = await dependencies.openBrowser(attempt.authorizeUrl).catch((error: unknown) => {
          dependencies.log.warn(`[auth] opening the browser failed: ${error instanceof Error ? error.message : String(error)}`);
          return false;
        });
        if (!opened) {
          dependencies.log.warn('[auth] the browser did not open; the sign-in link can be copied instead');
        }
        return await listener.code;
      } finally {
        subscription.dispose();
      }
    },
  );
}

/** Shows the status bar item of an attempt, whose menu copies the link or asks for the redirect URL; disposing hides it. */
function showAttemptStatusItem(): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('datastack.ssoAttempt', vscode.StatusBarAlignment.Left, 100);
  item.name = vscode.l10n.t('DataStack Sign-In');
  item.text = `$(sign-in) ${vscode.l10n.t('DataStack sign-in pending')}`;
  item.tooltip = vscode.l10n.t('Copy the sign-in link, paste the redirect URL or cancel');
  item.command = 'datastack.signInWithSso.actions';
  item.show();
  return item;
}
