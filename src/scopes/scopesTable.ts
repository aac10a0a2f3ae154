/**
 * Generates the README's table of every action and the scope it needs from the operation table, and
 * puts it between the `scopes-table` markers. Used by `scripts/scopes-table.ts` and its unit test.
 */
import { ALL_APIS_SCOPE, OPERATION_IDS, OPERATIONS, SCOPES, scopeOf } from '../api/operations';
import { actionName } from '../errors/actionWording';
import { ENGLISH } from '../errors/translator';

export const TABLE_START_MARKER = '<!-- scopes-table:start -->';
export const TABLE_END_MARKER = '<!-- scopes-table:end -->';

/** Returns the Markdown table: one row per operation, in operation table order. */
export function renderScopesTable(): string {
  const lines = ['| Action | API request | Scope |', '|---|---|---|'];
  for (const operation of OPERATION_IDS) {
    const spec = OPERATIONS[operation];
    lines.push(`| ${actionName(ENGLISH, operation)} | \`${spec.method} ${spec.path}\` | \`${scopeOf(operation)}\` |`);
  }
  const unused = SCOPES.filter((scope) => scope !== ALL_APIS_SCOPE && !OPERATION_IDS.some((operation) => scopeOf(operation) === scope));
  lines.push('');
  lines.push(`\`${ALL_APIS_SCOPE}\` (single sign-on only) holds every scope.`);
  if (unused.length > 0) {
    lines.push(`No action uses ${unused.map((scope) => `\`${scope}\``).join(', ')} yet.`);
  }
  return lines.join('\n');
}

/**
 * Returns `readme` with the text between the markers replaced by the table.
 *
 * @throws {Error} when the markers are missing, repeated or out of order.
 */
export function withScopesTable(readme: string): string {
  const start = readme.indexOf(TABLE_START_MARKER);
  const end = readme.indexOf(TABLE_END_MARKER);
  if (start < 0 || end < 0 || end < start) {
    throw new Error(`The README needs the markers ${TABLE_START_MARKER} and ${TABLE_END_MARKER}, in that order.`);
  }
  if (readme.indexOf(TABLE_START_MARKER, start + 1) >= 0 || readme.indexOf(TABLE_END_MARKER, end + 1) >= 0) {
    throw new Error('The README has the scopes-table markers more than once.');
  }
  const before = readme.slice(0, start + TABLE_START_MARKER.length);
  const after = readme.slice(end);
  return `${before}\n${renderScopesTable()}\n${after}`;
}
