/** The rows of "DataStack: Show Scopes": every scope, its status for a profile and the actions it enables. */
import { ALL_APIS_SCOPE, OPERATION_IDS, SCOPES, type Scope, scopeOf } from '../api/operations';
import type { ScopeStatus } from '../core/contracts';
import { actionName } from '../errors/actionWording';
import type { Translator } from '../errors/translator';

export interface ScopeOverviewRow {
  readonly scope: Scope;
  readonly status: ScopeStatus;
  /** The localized names of the actions the scope enables, in operation table order; empty when none. */
  readonly actions: readonly string[];
}

/** Returns one row per scope of the operation table, in its order. */
export function scopeOverview(l10n: Translator, statusOf: (scope: Scope) => ScopeStatus): ScopeOverviewRow[] {
  return SCOPES.map((scope) => ({ scope, status: statusOf(scope), actions: actionsOf(l10n, scope) }));
}

function actionsOf(l10n: Translator, scope: Scope): string[] {
  if (scope === ALL_APIS_SCOPE) {
    return [l10n.t('Every action, because it holds every other scope')];
  }
  return OPERATION_IDS.filter((operation) => scopeOf(operation) === scope).map((operation) => actionName(l10n, operation));
}
