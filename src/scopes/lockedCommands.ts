/**
 * The actions that have a "locked" twin command: the same action, shown in menus in place of the
 * original while the active profile is known to lack its scope, with the scope in its title
 * (package.json). The twin runs the original command, which then fails at once without a request.
 */
import { type OperationId, type Scope, scopeOf } from '../api/operations';

/** Returns the context key that is true while the active profile is known to lack `scope`. */
export function missingScopeContextKey(scope: Scope): string {
  return `datastack.missingScope.${scope}`;
}

/** Every command whose action needs a `manage:*` scope, with the operation it runs. */
export const SCOPED_ACTION_COMMANDS = [
  { command: 'datastack.warehouse.start', operation: 'startWarehouse' },
  { command: 'datastack.warehouse.stop', operation: 'stopWarehouse' },
  { command: 'datastack.cluster.start', operation: 'startCluster' },
  { command: 'datastack.cluster.terminate', operation: 'terminateCluster' },
  { command: 'datastack.cluster.create', operation: 'createCluster' },
  { command: 'datastack.job.runNow', operation: 'runJobNow' },
  { command: 'datastack.run.cancel', operation: 'cancelRun' },
  { command: 'datastack.notebook.create', operation: 'createNotebook' },
] as const satisfies readonly { command: string; operation: OperationId }[];

/** Returns the id of the locked twin of a command, e.g. `datastack.warehouse.start.locked`. */
export function lockedCommandId(command: string): string {
  return `${command}.locked`;
}

/** Returns the scope a scoped action command needs. */
export function scopeOfCommand(entry: (typeof SCOPED_ACTION_COMMANDS)[number]): Scope {
  return scopeOf(entry.operation);
}
