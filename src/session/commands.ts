/** The sign-in commands, the session menu and the actions of a pending SSO attempt. */
import * as vscode from 'vscode';
import type { PromptsHolder } from '../core/prompts';
import type { DataStackSessionService } from './sessionService';
import type { DataStackSignInFlows } from './signInFlows';
import { reportSignInError } from './signInErrors';
import { SESSION_MENU_COMMAND } from './statusBar';

/** Opens the Copy Link / Paste Redirect URL / Cancel menu of the pending SSO attempt. */
export const SSO_ACTIONS_COMMAND = 'datastack.signInWithSso.actions';

export interface SessionCommandDependencies {
  readonly service: DataStackSessionService;
  readonly flows: DataStackSignInFlows;
  readonly prompts: PromptsHolder;
  readonly log: vscode.LogOutputChannel;
}

export function registerSessionCommands(dependencies: SessionCommandDependencies): vscode.Disposable {
  const { service, prompts, log } = dependencies;
  const withToken = async (): Promise<unknown> => {
    try {
      return await service.signInWithToken();
    } catch (error) {
      await reportSignInError(error, 'pat', { retry: withToken, useToken: withToken }, log);
      return undefined;
    }
  };
  const withSso = async (): Promise<unknown> => {
    try {
      return await service.signInWithSso();
    } catch (error) {
      await reportSignInError(error, 'oauth', { retry: withSso, useToken: withToken }, log);
      return undefined;
    }
  };
  const signIn = async (): Promise<unknown> => {
    const token = {
      label: vscode.l10n.t('Access token'),
      detail: vscode.l10n.t('Paste a personal access token from the DataStack console.'),
      run: withToken,
    };
    const sso = {
      label: vscode.l10n.t('Single sign-on (SSO)'),
      detail: vscode.l10n.t('Sign in in your browser; the extension renews the sign-in itself.'),
      run: withSso,
    };
    const choice = await prompts.quickPick([token, sso], { title: vscode.l10n.t('Sign In to DataStack'), placeHolder: vscode.l10n.t('How do you want to sign in?') });
    return choice?.run();
  };
  return vscode.Disposable.from(
    vscode.commands.registerCommand('datastack.signIn', signIn),
    vscode.commands.registerCommand('datastack.signInWithToken', withToken),
    vscode.commands.registerCommand('datastack.signInWithSso', withSso),
    vscode.commands.registerCommand('datastack.signOut', () => signOut(service)),
    vscode.commands.registerCommand('datastack.switchProfile', () => switchProfile(service, prompts, signIn)),
    vscode.commands.registerCommand(SESSION_MENU_COMMAND, () => sessionMenu(service, prompts)),
    vscode.commands.registerCommand(SSO_ACTIONS_COMMAND, () => ssoActions(dependencies)),
  );
}

async function signOut(service: DataStackSessionService): Promise<void> {
  await service.ready();
  const profile = service.activeProfile;
  if (profile === undefined) {
    void vscode.window.showInformationMessage(vscode.l10n.t('You are not signed in to DataStack.'));
    return;
  }
  await service.signOut(profile.id);
  void vscode.window.showInformationMessage(vscode.l10n.t('Signed out of DataStack: {0}.', profile.label));
}

async function switchProfile(service: DataStackSessionService, prompts: PromptsHolder, signIn: () => Promise<unknown>): Promise<void> {
  await service.ready();
  const active = service.activeProfile;
  const items = service.profiles.map((profile) => ({
    label: profile.label,
    description: new URL(profile.host).host,
    detail: profile.id === active?.id ? vscode.l10n.t('Active') : undefined,
    profileId: profile.id as string | undefined,
  }));
  items.push({ label: `$(add) ${vscode.l10n.t('Sign in with another account…')}`, description: '', detail: undefined, profileId: undefined });
  const choice = await prompts.quickPick(items, { title: vscode.l10n.t('Switch DataStack Profile') });
  if (choice === undefined) {
    return;
  }
  if (choice.profileId === undefined) {
    await signIn();
    return;
  }
  await service.switchProfile(choice.profileId);
}

async function sessionMenu(service: DataStackSessionService, prompts: PromptsHolder): Promise<void> {
  const items = [
    { label: `$(arrow-swap) ${vscode.l10n.t('Switch Profile')}`, command: 'datastack.switchProfile' },
    { label: `$(shield) ${vscode.l10n.t('Show Scopes')}`, command: 'datastack.showScopes' },
    { label: `$(sign-out) ${vscode.l10n.t('Sign Out')}`, command: 'datastack.signOut' },
  ];
  const choice = await prompts.quickPick(items, { title: service.activeProfile?.label ?? vscode.l10n.t('DataStack') });
  if (choice !== undefined) {
    await vscode.commands.executeCommand(choice.command);
  }
}

async function ssoActions(dependencies: SessionCommandDependencies): Promise<void> {
  const attempt = dependencies.flows.pendingSso;
  if (attempt === undefined) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No DataStack sign-in is in progress.'));
    return;
  }
  const items = [
    { label: vscode.l10n.t('Copy Link'), run: () => attempt.copyLink() },
    { label: vscode.l10n.t('Paste Redirect URL'), run: () => attempt.pasteRedirectUrl() },
    { label: vscode.l10n.t('Cancel Sign-In'), run: async () => attempt.cancel() },
  ];
  const choice = await dependencies.prompts.quickPick(items, { title: vscode.l10n.t('DataStack Sign-In') });
  await choice?.run();
}
