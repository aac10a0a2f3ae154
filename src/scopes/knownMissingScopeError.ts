/** The error of an action skipped before its request because its scope is known to be missing. */
import { MissingScopeError } from '../api/errors';
import type { OperationId, Scope } from '../api/operations';

/**
 * Raised instead of sending a request whose 403 is certain: the profile's earlier responses or its OAuth
 * grant showed that the token lacks `requiredScope`. The UI treats it exactly like a server 403.
 */
export class KnownMissingScopeError extends MissingScopeError {
  constructor(host: string, operation: OperationId, requiredScope: Scope) {
    super(host, operation, requiredScope, undefined);
    this.message = `The operation ${operation} on ${host} needs the ${requiredScope} scope, which the sign-in is known not to hold; no request was sent.`;
  }
}
