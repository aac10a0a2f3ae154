/**
 * Scope matching for the `datastack` authentication provider: which sessions serve a `getSession` request
 * and which scopes a `createSession` request adds. Order does not matter and `all-apis` covers every scope.
 */
import { type Scope, isScope, scopesCover } from '../api/operations';

/** The scope that asks for a refresh token; it is not an API scope, so requests may name it freely. */
const OFFLINE_ACCESS = 'offline_access';

/** Returns whether `held` covers every requested API scope. */
export function coversRequest(held: Iterable<string>, requested: readonly string[]): boolean {
  const heldList = [...held];
  return requested.filter((scope) => scope !== OFFLINE_ACCESS).every((scope) => isScope(scope) && scopesCover(heldList, scope));
}

/** Splits a request into known API scopes and unknown entries (which `createSession` rejects). */
export function parseScopeRequest(requested: readonly string[]): { scopes: Scope[]; unknown: string[] } {
  const scopes: Scope[] = [];
  const unknown: string[] = [];
  for (const scope of requested) {
    if (scope === OFFLINE_ACCESS) {
      continue;
    }
    if (isScope(scope)) {
      if (!scopes.includes(scope)) {
        scopes.push(scope);
      }
    } else {
      unknown.push(scope);
    }
  }
  return { scopes, unknown };
}
