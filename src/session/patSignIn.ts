/**
 * The personal access token dialog: the API host, then the token in a masked box whose accept checks it
 * with one `GET /v1/users/me`. A 401 keeps the box open, a 403 accepts the token with the identity unknown,
 * and a network failure closes the box and offers Retry with the same token.
 */
import type { Dispatcher } from 'undici';
import * as vscode from 'vscode';
// Not the '../api' index: it also exports the proxy dispatcher, which loads undici at activation.
import { DataStackClient } from '../api/client';
import {
  AuthenticationError,
  DataStackError,
  InvalidHostError,
  MissingScopeError,
  NetworkError,
  TimeoutError,
} from '../api/errors';
import { normalizeHost } from '../api/host';
import { type Scope, scopeOf } from '../api/operations';
import { normalizeToken } from '../api/validation';
import type { ClientLogger } from '../api/logger';
import type { InputCheckOutcome, UserPrompts } from '../core/prompts';
import { describeNetworkFailureText } from '../errors/networkFailure';

/** A checked token and what the check taught about it. */
export interface CheckedToken {
  readonly host: string;
  readonly token: string;
  /** The user's e-mail or user name; undefined when the token may not read it. */
  readonly identity: string | undefined;
  readonly held: readonly Scope[];
  readonly missing: readonly Scope[];
}

export interface PatSignInDependencies {
  readonly prompts: Required<Pick<UserPrompts, 'inputBox' | 'validatedInputBox'>>;
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly log: ClientLogger;
  /** The dispatcher of the token check, so it follows the proxy settings like every other request. */
  readonly dispatcher: Dispatcher;
}

/**
 * Normalizes a pasted token (see `normalizeToken`) and returns it, or the message that says why it was
 * rejected. The message never contains the token.
 */
export function readPastedToken(value: string): { readonly token: string } | { readonly error: string } {
  const normalized = normalizeToken(value);
  if ('token' in normalized) {
    return normalized;
  }
  const problem = normalized.problem;
  switch (problem.code) {
    case 'empty':
      return { error: vscode.l10n.t('Enter a token.') };
    case 'containsWhitespace':
      return { error: vscode.l10n.t('The token contains a space or line break. Paste one token only.') };
    case 'invalidCharacter':
      return {
        error: vscode.l10n.t('The token contains "{0}", which access tokens never contain. Paste the token only.', problem.character),
      };
    case 'tooLong':
      return { error: vscode.l10n.t('The token is too long: access tokens have at most {0} characters.', problem.max) };
  }
}

/** Asks for the host (prefilled with `defaultHost`); resolves undefined when dismissed. */
export async function askHost(prompts: PatSignInDependencies['prompts'], defaultHost: string): Promise<string | undefined> {
  const value = await prompts.inputBox({
    title: vscode.l10n.t('Sign In with Access Token'),
    prompt: vscode.l10n.t('The DataStack API host'),
    value: defaultHost,
    ignoreFocusOut: true,
    validateInput: (input) => hostProblem(input),
  });
  return value === undefined ? undefined : normalizeHost(value);
}

function hostProblem(input: string): string | undefined {
  try {
    normalizeHost(input);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidHostError) {
      return vscode.l10n.t('Invalid host: {0}.', error.reason);
    }
    throw error;
  }
}

/**
 * Asks for a token for `host` and checks it. Resolves undefined when the user dismisses the box or the
 * Retry message.
 */
export async function askToken(dependencies: PatSignInDependencies, host: string): Promise<CheckedToken | undefined> {
  let pending: string | undefined;
  for (;;) {
    try {
      if (pending === undefined) {
        return await dependencies.prompts.validatedInputBox<CheckedToken>(tokenBoxOptions(host), (value) =>
          checkWithProgress(dependencies, host, value),
        );
      }
      const token = pending;
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the token with {0}…', host) },
        () => checkToken(dependencies, host, token),
      );
      if ('result' in outcome) {
        return outcome.result;
      }
      pending = undefined;
      void vscode.window.showErrorMessage(outcome.error);
    } catch (error) {
      if (!(error instanceof UnreachableHostError)) {
        throw error;
      }
      pending = error.token;
      const retry = vscode.l10n.t('Retry');
      const networkFailure = describeNetworkFailureText(vscode.l10n, error.cause, vscode.l10n.t('Checking the token with {0}', host));
      const message =
        networkFailure?.message ??
        (error.cause instanceof NetworkError || error.cause instanceof TimeoutError
          ? vscode.l10n.t('Could not reach DataStack at {0} to check the token. Check the host and your network, then retry.', host)
          : vscode.l10n.t('DataStack at {0} could not check the token right now. Retry in a moment.', host));
      const choice = await vscode.window.showErrorMessage(message, retry);
      if (choice !== retry) {
        return undefined;
      }
    }
  }
}

function tokenBoxOptions(host: string): vscode.InputBoxOptions {
  return {
    title: vscode.l10n.t('Sign In with Access Token'),
    prompt: vscode.l10n.t('A personal access token for {0}', host),
    placeHolder: vscode.l10n.t('Paste the token'),
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => {
      const pasted = readPastedToken(value);
      return 'error' in pasted ? pasted.error : undefined;
    },
  };
}

/** Thrown out of the input box when the host could not be reached; carries the token for Retry. */
class UnreachableHostError extends Error {
  constructor(
    readonly token: string,
    options: { cause: unknown },
  ) {
    super('The host could not be reached to check the token.', options);
  }
}

function checkWithProgress(dependencies: PatSignInDependencies, host: string, value: string): Promise<InputCheckOutcome<CheckedToken>> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Checking the token with {0}…', host) }, () =>
      checkToken(dependencies, host, value),
    ),
  );
}

/** Sends one `GET /v1/users/me` with the token and maps the answer to an input box outcome. */
async function checkToken(dependencies: PatSignInDependencies, host: string, value: string): Promise<InputCheckOutcome<CheckedToken>> {
  const pasted = readPastedToken(value);
  if ('error' in pasted) {
    return pasted;
  }
  const token = pasted.token;
  const client = new DataStackClient({
    host,
    getToken: async () => token,
    userAgent: dependencies.userAgent,
    timeoutMs: dependencies.timeoutMs,
    log: dependencies.log,
    dispatcher: dependencies.dispatcher,
  });
  const identityScope = scopeOf('getCurrentUser');
  try {
    const user = await client.getCurrentUser();
    const identity = user.email ?? user.user_name;
    return { result: { host: client.host, token, identity, held: [identityScope], missing: [] } };
  } catch (error) {
    if (error instanceof AuthenticationError) {
      return { error: vscode.l10n.t('DataStack rejected this token: it is invalid or expired.') };
    }
    if (error instanceof MissingScopeError) {
      return { result: { host: client.host, token, identity: undefined, held: [], missing: [identityScope] } };
    }
    if (error instanceof DataStackError) {
      dependencies.log.warn(`[auth] token check failed: ${error.message}`);
      throw new UnreachableHostError(token, { cause: error });
    }
    throw error;
  }
}
