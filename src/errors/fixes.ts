/** The fixes behind the buttons of a failure notification. */
import * as vscode from 'vscode';
import { isLoopbackHostname } from '../api/host';
import { isScope } from '../api/operations';
import type { ActionContext, Profile } from '../core/contracts';
import { reportSignInError } from '../session/signInErrors';
import type { FailureActionId, FailureDescription } from './describe';
import type { ReporterDependencies } from './reporter';

/** How long the status bar shows that a scope name was copied, in milliseconds. */
const STATUS_MESSAGE_MS = 5000;

export interface FixContext extends ReporterDependencies {
  readonly description: FailureDescription;
  readonly profile: Profile | undefined;
  readonly context: ActionContext;
}

export async function runFix(action: FailureActionId, fix: FixContext): Promise<void> {
  switch (action) {
    case 'grantScope':
      return grantScope(fix);
    case 'enterNewToken':
      return enterNewToken(fix);
    case 'copyScopeName':
      return copyScopeName(fix);
    case 'openTokensPage':
      return openTokensPage(fix);
    case 'showLog':
      fix.log.show(true);
      return;
    case 'signInAgain':
      return signInAgain(fix);
    case 'retry':
      await fix.context.retry?.();
      return;
    case 'openSetting':
      if (fix.description.setting !== undefined) {
        await vscode.commands.executeCommand('workbench.action.openSettings', fix.description.setting);
      }
      return;
  }
}

/**
 * Runs SSO again for the profile's scopes plus the missing one (incremental consent). When the scope is
 * then held, the failed action runs once more by itself. When the grant left it out, a warning names it.
 */
async function grantScope(fix: FixContext): Promise<void> {
  const { profile, description, session, scopes, log } = fix;
  const scope = description.scope;
  if (profile === undefined || scope === undefined || !isScope(scope)) {
    return;
  }
  log.info(`[errors] requesting ${scope} for profile ${profile.id} through SSO`);
  const grant = async (): Promise<Profile | undefined> => session.signInWithSso({ profileId: profile.id, additionalScopes: [scope] });
  let updated: Profile | undefined;
  try {
    updated = await grant();
  } catch (error) {
    await reportSignInError(error, 'oauth', { retry: grant, useToken: () => session.signInWithToken({ host: profile.host }) }, log);
    return;
  }
  if (updated === undefined) {
    return;
  }
  if (scopes.status(updated.id, scope) !== 'held') {
    log.warn(`[errors] the sign-in server did not grant ${scope} to profile ${updated.id}`);
    const message = vscode.l10n.t(
      'The sign-in "{0}" was not granted the {1} scope. Ask your DataStack administrator to allow it.',
      updated.label,
      scope,
    );
    void fix.seams.notifier.show('warning', message, []);
    return;
  }
  if (fix.context.retry !== undefined) {
    log.info(`[errors] ${scope} granted; running ${fix.context.operation} again`);
    await fix.context.retry();
  }
}

/** Asks for a new PAT for the same host; it replaces this profile's token, so what was known about its scopes is dropped. */
async function enterNewToken(fix: FixContext): Promise<void> {
  const { profile, session, scopes, log } = fix;
  if (profile === undefined) {
    await vscode.commands.executeCommand('datastack.signInWithToken');
    return;
  }
  const signIn = async (): Promise<Profile | undefined> => session.signInWithToken({ host: profile.host, replaceProfileId: profile.id });
  try {
    const updated = await signIn();
    if (updated !== undefined) {
      scopes.forget(updated.id);
      log.info(`[errors] the token of profile ${updated.id} was replaced; its known scopes were reset`);
    }
  } catch (error) {
    await reportSignInError(error, 'pat', { retry: signIn, useToken: signIn }, log);
  }
}

async function copyScopeName(fix: FixContext): Promise<void> {
  const scope = fix.description.scope;
  if (scope === undefined) {
    return;
  }
  await vscode.env.clipboard.writeText(scope);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the scope name {0}', scope), STATUS_MESSAGE_MS);
}

async function openTokensPage(fix: FixContext): Promise<void> {
  const value = fix.consoleUrl();
  const url = value === undefined ? undefined : parseConsoleUrl(value);
  if (url === undefined) {
    fix.log.warn(`[errors] the setting datastack.consoleUrl is not an https URL: ${value ?? '(empty)'}`);
    void fix.seams.notifier.show('error', vscode.l10n.t('The setting datastack.consoleUrl must be an https:// URL.'), []);
    return;
  }
  await fix.seams.openExternal(vscode.Uri.parse(url.toString()));
}

/** Signs in again with the same kind and host; it replaces the profile's credentials. */
async function signInAgain(fix: FixContext): Promise<void> {
  const { profile, session, scopes, log } = fix;
  if (profile === undefined) {
    await vscode.commands.executeCommand('datastack.signIn');
    return;
  }
  const signIn = async (): Promise<Profile | undefined> =>
    profile.kind === 'oauth'
      ? session.signInWithSso({ host: profile.host, profileId: profile.id })
      : session.signInWithToken({ host: profile.host, replaceProfileId: profile.id });
  try {
    const updated = await signIn();
    if (updated !== undefined && profile.kind === 'pat') {
      scopes.forget(updated.id);
    }
  } catch (error) {
    await reportSignInError(error, profile.kind, { retry: signIn, useToken: () => session.signInWithToken({ host: profile.host }) }, log);
  }
}

/** Returns the URL when it is `https:`, or `http:` on a loopback host; otherwise undefined. */
export function parseConsoleUrl(value: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHostname(url.hostname))) {
    return url;
  }
  return undefined;
}
