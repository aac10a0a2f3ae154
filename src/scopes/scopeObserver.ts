/**
 * The client hooks that learn a profile's scopes from the server's responses and skip actions whose
 * scope is known to be missing. This file does not import `vscode`.
 */
import type { OperationObserver } from '../api/client';
import { MissingScopeError } from '../api/errors';
import { OPERATIONS, isScope } from '../api/operations';
import type { ScopeRegistry } from '../core/contracts';
import { KnownMissingScopeError } from './knownMissingScopeError';

/** The profile fields the hooks need. */
export interface ObservedProfile {
  readonly id: string;
  readonly host: string;
}

/**
 * Returns the hooks of one profile's client:
 * - a 2xx response records the operation's scope as held, and a 403 records the scope it names as missing;
 * - an action (a POST) whose scope is known missing fails with {@link KnownMissingScopeError} before
 *   anything is sent. Reads (GETs) are always sent: they are cheap, and their responses are how a PAT
 *   whose scopes changed on the server is noticed.
 */
export function createScopeObserver(registry: Pick<ScopeRegistry, 'status' | 'record'>, profile: ObservedProfile): OperationObserver {
  return {
    beforeCall(operation) {
      const spec = OPERATIONS[operation];
      if (spec.method === 'POST' && registry.status(profile.id, spec.scope) === 'missing') {
        throw new KnownMissingScopeError(profile.host, operation, spec.scope);
      }
    },
    onOperationResult(operation, outcome) {
      if (outcome.ok) {
        registry.record(profile.id, OPERATIONS[operation].scope, 'held');
        return;
      }
      const error = outcome.error;
      if (error instanceof MissingScopeError && isScope(error.requiredScope)) {
        registry.record(profile.id, error.requiredScope, 'missing');
      }
    },
  };
}
