/**
 * The one error handler of every command and view. It logs the failure, records the scope a 403 names as
 * missing, and shows one notification per distinct failure. Repeats of a background failure are collapsed
 * into the notification shown shortly before; a failure of an action the user started is always shown.
 * Then it runs the fix behind the button the user picks.
 */
import * as vscode from 'vscode';
import { MissingScopeError } from '../api/errors';
import { isScope } from '../api/operations';
import type { ActionContext, ErrorReporter, Profile, ScopeRegistry, ScopeStatus, SessionService } from '../core/contracts';
import { type FailureActionId, type FailureDescription, actionLabel, describeFailure } from './describe';
import { type FixContext, runFix } from './fixes';
import type { ReporterSeams } from './notifier';
import { OpenNotifications } from './openNotifications';

/** The scope knowledge the reporter reads and updates; `forget` drops a profile's after a token change. */
export interface ScopeKnowledge extends ScopeRegistry {
  forget(profileId: string): void;
}

export interface ReporterDependencies {
  readonly session: Pick<SessionService<unknown>, 'activeProfile' | 'signInWithSso' | 'signInWithToken'>;
  readonly scopes: ScopeKnowledge;
  readonly log: vscode.LogOutputChannel;
  readonly seams: ReporterSeams;
  /** The `datastack.consoleUrl` setting, or undefined when it is empty. */
  readonly consoleUrl: () => string | undefined;
}

export class ScopeAwareErrorReporter implements ErrorReporter {
  private readonly open = new OpenNotifications();
  /** Actions (operation and resource) whose automatic retry after a 429 is running. */
  private readonly retryingAfterRateLimit = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly deps: ReporterDependencies) {}

  async report(error: unknown, context: ActionContext): Promise<void> {
    if (error instanceof vscode.CancellationError) {
      return;
    }
    const profile = this.deps.session.activeProfile;
    const scopeStatus = this.learnFrom(error, profile);
    const actionKey = `${context.operation}|${context.resourceLabel ?? ''}`;
    const description = describeFailure(vscode.l10n, {
      error,
      operation: context.operation,
      resourceLabel: context.resourceLabel,
      canRetry: context.retry !== undefined,
      isAutomaticRetry: this.retryingAfterRateLimit.has(actionKey),
      profile,
      scopeStatus,
      consoleUrlSet: this.deps.consoleUrl() !== undefined,
    });
    if (!description.notify) {
      this.deps.log.info(description.logLine);
      return;
    }
    this.deps.log.warn(description.logLine);
    if (description.retryAfterMs !== undefined && context.retry !== undefined) {
      this.retryAfterRateLimit(actionKey, description.retryAfterMs, context.retry);
    }
    // The failure of an action the user just started is always shown: its earlier notification may have
    // hidden into the notification center, where the user would not see that anything happened.
    const handle = this.open.tryOpen(description.dedupeKey, { force: context.userInitiated === true });
    if (handle === undefined) {
      this.deps.log.info(`[errors] not shown again while its notification is open: ${description.dedupeKey}`);
      return;
    }
    await this.notify(description, profile, context, handle);
  }

  /** Cancels pending automatic retries. */
  dispose(): void {
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
  }

  /** Returns whether a notification with this dedupe key is open; for tests. */
  isOpen(dedupeKey: string): boolean {
    return this.open.isOpen(dedupeKey);
  }

  /** Records a scope a 403 named as missing, and returns what was known about it before. */
  private learnFrom(error: unknown, profile: Profile | undefined): ScopeStatus | undefined {
    if (!(error instanceof MissingScopeError) || profile === undefined || !isScope(error.requiredScope)) {
      return undefined;
    }
    const before = this.deps.scopes.status(profile.id, error.requiredScope);
    if (error.host === profile.host) {
      this.deps.scopes.record(profile.id, error.requiredScope, 'missing');
    }
    return before;
  }

  private async notify(description: FailureDescription, profile: Profile | undefined, context: ActionContext, handle: number): Promise<void> {
    const buttons = description.actions.map((action) => ({ action, label: actionLabel(vscode.l10n, action, description.scope) }));
    let choice: string | undefined;
    try {
      choice = await this.deps.seams.notifier.show(
        description.severity,
        description.message,
        buttons.map((button) => button.label),
      );
    } finally {
      const repeats = this.open.close(description.dedupeKey, handle);
      if (repeats > 0) {
        this.deps.log.info(`[errors] ${repeats} repeat(s) of ${description.dedupeKey} were collapsed into one notification`);
      }
    }
    const picked: FailureActionId | undefined = buttons.find((button) => button.label === choice)?.action;
    if (picked === undefined) {
      return;
    }
    const fix: FixContext = { ...this.deps, description, profile, context };
    try {
      await runFix(picked, fix);
    } catch (error) {
      this.deps.log.error(`[errors] the "${picked}" action failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
  }

  private retryAfterRateLimit(actionKey: string, delayMs: number, retry: () => Promise<unknown>): void {
    this.deps.log.info(`[errors] retrying ${actionKey} once in ${delayMs} ms after HTTP 429`);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.retryingAfterRateLimit.add(actionKey);
      void retry()
        .catch((error: unknown) => this.deps.log.error(`[errors] the retry of ${actionKey} failed: ${String(error)}`))
        .finally(() => this.retryingAfterRateLimit.delete(actionKey));
    }, delayMs);
    this.timers.add(timer);
  }
}
