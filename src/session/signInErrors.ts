/**
 * Turns a failed sign-in into one notification with the actions that fix it. Cancellation shows nothing.
 * The detail goes to the log; messages never carry a token, code or server dump.
 */
import * as vscode from 'vscode';
import { DataStackError, InvalidHostError } from '../api/errors';
import {
  AuthorizationDeniedError,
  AuthorizationServerError,
  AuthorizationTimeoutError,
  InvalidGrantError,
  InvalidOAuthSettingError,
  InvalidScopeError,
  OAuthConfigurationError,
  TokenEndpointUnavailableError,
  TokenResponseError,
  describeAuthorizationError,
} from '../auth/errors';
import { describeNetworkFailureText } from '../errors/networkFailure';
import { SecretStorageError } from './errors';

/** What the buttons of a sign-in error run. */
export interface SignInErrorActions {
  readonly retry: () => Promise<unknown>;
  readonly useToken: () => Promise<unknown>;
}

/** Returns the one-sentence message for a failed SSO sign-in. */
export function describeSsoError(error: unknown): string {
  const networkFailure = describeNetworkFailureText(vscode.l10n, error, vscode.l10n.t('The DataStack sign-in'));
  if (networkFailure !== undefined) {
    return networkFailure.message;
  }
  if (error instanceof AuthorizationDeniedError) {
    return vscode.l10n.t('The DataStack sign-in was declined in the browser.');
  }
  if (error instanceof AuthorizationServerError) {
    return vscode.l10n.t('The DataStack sign-in failed: {0} ({1}).', describeAuthorizationError(error.details.code), error.details.code);
  }
  if (error instanceof AuthorizationTimeoutError) {
    return vscode.l10n.t('The DataStack sign-in timed out: the browser did not return to VS Code within {0} minutes.', Math.round(error.timeoutMs / 60_000));
  }
  if (error instanceof InvalidGrantError) {
    return vscode.l10n.t('The sign-in server at {0} rejected the authorization code. Sign in again.', error.host);
  }
  if (error instanceof OAuthConfigurationError) {
    return vscode.l10n.t('The sign-in server at {0} rejected this client ({1}). Check the datastack.oauth settings.', error.host, error.details.code);
  }
  if (error instanceof InvalidScopeError) {
    return vscode.l10n.t('The sign-in server at {0} does not allow a requested scope. Check datastack.oauth.scopes.', error.host);
  }
  if (error instanceof TokenEndpointUnavailableError) {
    return vscode.l10n.t('Could not reach the sign-in server at {0}. Check your network and retry.', error.host);
  }
  if (error instanceof TokenResponseError) {
    return vscode.l10n.t('The sign-in server at {0} answered HTTP {1} and the response was not the expected JSON: {2}.', error.host, error.status, error.problem);
  }
  if (error instanceof InvalidOAuthSettingError) {
    return vscode.l10n.t('The setting datastack.oauth.{0} is invalid: {1}.', error.setting, error.reason);
  }
  if (error instanceof InvalidHostError) {
    return vscode.l10n.t('The setting datastack.host is invalid: {0}.', error.reason);
  }
  if (error instanceof DataStackError) {
    return vscode.l10n.t('The DataStack sign-in failed at {0}.', error.host);
  }
  return vscode.l10n.t('The DataStack sign-in failed.');
}

/** Logs a failed sign-in and shows its notification; a cancellation is logged only. */
export async function reportSignInError(
  error: unknown,
  kind: 'pat' | 'oauth',
  actions: SignInErrorActions,
  log: vscode.LogOutputChannel,
): Promise<void> {
  if (error instanceof vscode.CancellationError) {
    log.info(`[auth] ${kind === 'oauth' ? 'SSO' : 'token'} sign-in cancelled`);
    return;
  }
  log.error(`[auth] ${kind === 'oauth' ? 'SSO' : 'token'} sign-in failed: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof SecretStorageError) {
    return; // The storage notice already told the user.
  }
  const retry = vscode.l10n.t('Retry');
  const useToken = vscode.l10n.t('Use Access Token');
  const message =
    kind === 'oauth'
      ? describeSsoError(error)
      : (describeNetworkFailureText(vscode.l10n, error, vscode.l10n.t('The DataStack sign-in'))?.message ??
        vscode.l10n.t('The DataStack sign-in failed.'));
  const buttons = kind === 'oauth' ? [retry, useToken] : [retry];
  const choice = await vscode.window.showErrorMessage(message, ...buttons);
  if (choice === retry) {
    await actions.retry();
  } else if (choice === useToken) {
    await actions.useToken();
  }
}
