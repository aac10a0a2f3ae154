/** The "DataStack: Show Scopes" command: every scope as held, missing or unknown for the active profile, with the actions it enables. */
import * as vscode from 'vscode';
import type { Profile, ScopeRegistry, ScopeStatus } from '../core/contracts';
import type { UserPrompts } from '../core/prompts';
import { scopeOverview } from './scopeOverview';

/** How long the status bar shows that a scope name was copied, in milliseconds. */
const STATUS_MESSAGE_MS = 5000;

const STATUS_ICONS: Readonly<Record<ScopeStatus, string>> = {
  held: '$(pass)',
  missing: '$(lock)',
  unknown: '$(question)',
};

/** A quick pick item of one scope. */
export interface ScopeItem extends vscode.QuickPickItem {
  readonly scope: string;
  readonly status: ScopeStatus;
}

/** Returns the items of the Show Scopes quick pick for a profile. */
export function scopeItems(profile: Profile, scopes: ScopeRegistry): ScopeItem[] {
  return scopeOverview(vscode.l10n, (scope) => scopes.status(profile.id, scope)).map((row) => ({
    label: `${STATUS_ICONS[row.status]} ${row.scope}`,
    description: statusText(row.status),
    detail:
      row.actions.length === 0
        ? vscode.l10n.t('No action of this extension uses it.')
        : vscode.l10n.t('Enables: {0}', row.actions.join(', ')),
    scope: row.scope,
    status: row.status,
  }));
}

/** Shows the scopes of the active profile; picking one copies its name. */
export async function showScopes(
  session: { readonly activeProfile: Profile | undefined; ready(): Promise<void> },
  scopes: ScopeRegistry,
  prompts: UserPrompts,
): Promise<void> {
  await session.ready();
  const profile = session.activeProfile;
  if (profile === undefined) {
    const signIn = vscode.l10n.t('Sign In');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Sign in to DataStack to see the scopes of your sign-in.'), signIn);
    if (choice === signIn) {
      await vscode.commands.executeCommand('datastack.signIn');
    }
    return;
  }
  const picked = await prompts.quickPick(scopeItems(profile, scopes), {
    title: vscode.l10n.t('DataStack Scopes of {0}', profile.label),
    placeHolder: vscode.l10n.t('Pick a scope to copy its name'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (picked !== undefined) {
    await vscode.env.clipboard.writeText(picked.scope);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the scope name {0}', picked.scope), STATUS_MESSAGE_MS);
  }
}

function statusText(status: ScopeStatus): string {
  switch (status) {
    case 'held':
      return vscode.l10n.t('held: granted, or an action using it succeeded');
    case 'missing':
      return vscode.l10n.t('missing: the API refused an action that needs it');
    case 'unknown':
      return vscode.l10n.t('unknown: not used yet');
  }
}
