/**
 * Keeps one context key per scope, `datastack.missingScope.<scope>`, true while the active profile is
 * known to lack that scope, so that menus can show the locked variant of an action in its place.
 */
import * as vscode from 'vscode';
import { SCOPES, type Scope } from '../api/operations';
import type { Profile, ScopeRegistry } from '../core/contracts';
import { missingScopeContextKey } from './lockedCommands';

export interface ContextKeySession {
  readonly activeProfile: Profile | undefined;
  readonly onDidChangeActiveProfile: vscode.Event<Profile | undefined>;
}

export class MissingScopeContextKeys implements vscode.Disposable {
  /** The value last set for each key; keys never set are false in VS Code. */
  private readonly values = new Map<Scope, boolean>();
  private readonly subscriptions: vscode.Disposable[];
  private updating: Promise<void> = Promise.resolve();

  constructor(
    private readonly session: ContextKeySession,
    private readonly scopes: ScopeRegistry,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      session.onDidChangeActiveProfile(() => void this.update()),
      scopes.onDidChange((profileId) => {
        if (profileId === session.activeProfile?.id) {
          void this.update();
        }
      }),
    ];
  }

  /** Sets every key that changed for the active profile; resolves when VS Code has them. */
  update(): Promise<void> {
    this.updating = this.updating.then(() => this.apply());
    return this.updating;
  }

  /** Returns whether the key of `scope` was last set to true. */
  isMissing(scope: Scope): boolean {
    return this.values.get(scope) ?? false;
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private async apply(): Promise<void> {
    const profile = this.session.activeProfile;
    const changes: Promise<unknown>[] = [];
    for (const scope of SCOPES) {
      const missing = profile !== undefined && this.scopes.status(profile.id, scope) === 'missing';
      if ((this.values.get(scope) ?? false) !== missing) {
        this.values.set(scope, missing);
        changes.push(Promise.resolve(vscode.commands.executeCommand('setContext', missingScopeContextKey(scope), missing)));
      }
    }
    try {
      await Promise.all(changes);
    } catch (error) {
      this.log.warn(`[scopes] could not set the missing-scope context keys: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
