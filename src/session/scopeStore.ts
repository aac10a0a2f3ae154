/**
 * The `ScopeRegistry` of the extension: what each profile's token is known to hold, kept in global state
 * (not secret) so it survives restarts. The sign-in code records OAuth grants; the API layer records what
 * 2xx and 403 answers taught about PATs.
 */
import * as vscode from 'vscode';
import type { Scope } from '../api/operations';
import type { ScopeRegistry, ScopeStatus } from '../core/contracts';
import {
  type ScopeTable,
  heldScopes,
  parseScopeTable,
  statusIn,
  withGrant,
  withRecorded,
  withoutProfile,
} from './scopeTable';

/** The global state key of the table; the suffix is the version of its shape. */
export const SCOPE_STATE_KEY = 'datastack.scopes.v1';

export class ScopeStore implements ScopeRegistry, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<string>();
  /**
   * The table as this window last wrote it. NOTE: in code-server 4.100.3, `globalState.get` soon after
   * `update` was seen to return an older table, and records built on it dropped earlier ones, so the
   * table is kept here. Scopes that another window learns are therefore seen only after a reload.
   */
  private current: ScopeTable | undefined;
  /** Fires the id of the profile whose known scopes changed. */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly state: vscode.Memento,
    private readonly log: Pick<vscode.LogOutputChannel, 'warn'>,
  ) {}

  status(profileId: string, scope: Scope): ScopeStatus {
    return statusIn(this.table(), profileId, scope);
  }

  record(profileId: string, scope: Scope, status: Exclude<ScopeStatus, 'unknown'>): void {
    this.update(profileId, withRecorded(this.table(), profileId, scope, status));
  }

  /** Replaces a profile's scopes with an OAuth grant: granted ones held, all others missing. */
  recordGrant(profileId: string, granted: readonly string[]): void {
    this.update(profileId, withGrant(this.table(), profileId, granted));
  }

  /** Returns the scopes known to be held, e.g. to request them again with an incremental consent. */
  held(profileId: string): Scope[] {
    return heldScopes(this.table(), profileId);
  }

  /** Forgets a profile, after sign-out. */
  forget(profileId: string): void {
    this.update(profileId, withoutProfile(this.table(), profileId));
  }

  dispose(): void {
    this.emitter.dispose();
  }

  private table(): ScopeTable {
    this.current ??= parseScopeTable(this.state.get<unknown>(SCOPE_STATE_KEY));
    return this.current;
  }

  private update(profileId: string, next: ScopeTable): void {
    if (JSON.stringify(next) === JSON.stringify(this.table())) {
      return;
    }
    this.current = next;
    this.state.update(SCOPE_STATE_KEY, next).then(undefined, (error: unknown) => {
      this.log.warn(`[auth] could not save the known scopes: ${error instanceof Error ? error.message : String(error)}`);
    });
    this.emitter.fire(profileId);
  }
}
