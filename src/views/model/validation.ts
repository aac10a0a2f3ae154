/**
 * Checks of the values users type when creating a cluster or a notebook. Each check returns undefined for a
 * valid value or a typed problem; the vscode layer turns the problem into a localized message. The limits
 * are the API's: longer names or other ranges are rejected with 400 `INVALID_PARAMETER_VALUE`.
 */

export type InputProblem =
  | { readonly code: 'required' }
  | { readonly code: 'tooLong'; readonly max: number }
  | { readonly code: 'notWholeNumber' }
  | { readonly code: 'outOfRange'; readonly min: number; readonly max: number }
  /** Auto-termination is 0 (never) or from 10 to 10,000 minutes. */
  | { readonly code: 'autoTerminationRange' }
  | { readonly code: 'invalidNodeType' }
  | { readonly code: 'folderNotAbsolute' }
  | { readonly code: 'folderHasEmptyOrDotSegment' }
  | { readonly code: 'nameHasSlash' }
  | { readonly code: 'nameIsDot' }
  /** A character from U+0000 to U+001F or U+007F, e.g. a tab or line break, which the API rejects in paths. */
  | { readonly code: 'hasControlCharacter' };

/** Limits of the create-cluster request. */
export const CLUSTER_LIMITS = {
  maxNameLength: 100,
  maxNodeTypeLength: 100,
  maxWorkers: 1000,
  minAutoTerminationMinutes: 10,
  maxAutoTerminationMinutes: 10_000,
} as const;

/** Control characters, which the API rejects anywhere in a workspace path with HTTP 400. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** The longest notebook name accepted; an assumption, since the API documents no limit. */
export const MAX_NOTEBOOK_NAME_LENGTH = 255;

export function checkClusterName(value: string): InputProblem | undefined {
  const name = value.trim();
  if (name === '') {
    return { code: 'required' };
  }
  if (name.length > CLUSTER_LIMITS.maxNameLength) {
    return { code: 'tooLong', max: CLUSTER_LIMITS.maxNameLength };
  }
  return undefined;
}

/** A node type the Create Cluster picker offers, with the kind of workload it suits. */
export interface KnownNodeType {
  readonly id: string;
  readonly kind: 'general' | 'compute' | 'memory' | 'storage' | 'gpu';
}

/** The node types the Create Cluster picker lists, the default first; other valid names can still be typed. */
export const KNOWN_NODE_TYPES: readonly KnownNodeType[] = [
  { id: 'm5.large', kind: 'general' },
  { id: 'm5.xlarge', kind: 'general' },
  { id: 'm5.2xlarge', kind: 'general' },
  { id: 'c5.2xlarge', kind: 'compute' },
  { id: 'c5.4xlarge', kind: 'compute' },
  { id: 'r4.xlarge', kind: 'memory' },
  { id: 'r5.2xlarge', kind: 'memory' },
  { id: 'i3.xlarge', kind: 'storage' },
  { id: 'g5.2xlarge', kind: 'gpu' },
];

/**
 * The shape of a cloud instance type name, such as `m5.xlarge`, `Standard_DS3_v2` or `n2-standard-4`:
 * letters, digits, dots, dashes and underscores, with at least one digit and one separator, so that a
 * plain word such as `banana` is rejected before the API sees it.
 */
const NODE_TYPE_PATTERN = /^(?=[^.\-_]*[.\-_])(?=\D*\d)[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function checkNodeType(value: string): InputProblem | undefined {
  const nodeType = value.trim();
  if (nodeType === '') {
    return { code: 'required' };
  }
  if (nodeType.length > CLUSTER_LIMITS.maxNodeTypeLength) {
    return { code: 'tooLong', max: CLUSTER_LIMITS.maxNodeTypeLength };
  }
  if (!NODE_TYPE_PATTERN.test(nodeType)) {
    return { code: 'invalidNodeType' };
  }
  return undefined;
}

/** Parses a whole number typed by a user; rejects signs other than a leading minus, decimals and exponents. */
export function parseWholeNumber(value: string): number | undefined {
  const trimmed = value.trim();
  return /^-?\d{1,9}$/.test(trimmed) ? Number(trimmed) : undefined;
}

export function checkWorkerCount(value: string): InputProblem | undefined {
  if (value.trim() === '') {
    return { code: 'required' };
  }
  const workers = parseWholeNumber(value);
  if (workers === undefined) {
    return { code: 'notWholeNumber' };
  }
  if (workers < 0 || workers > CLUSTER_LIMITS.maxWorkers) {
    return { code: 'outOfRange', min: 0, max: CLUSTER_LIMITS.maxWorkers };
  }
  return undefined;
}

export function checkAutoTerminationMinutes(value: string): InputProblem | undefined {
  if (value.trim() === '') {
    return { code: 'required' };
  }
  const minutes = parseWholeNumber(value);
  if (minutes === undefined) {
    return { code: 'notWholeNumber' };
  }
  const inRange =
    minutes === 0 ||
    (minutes >= CLUSTER_LIMITS.minAutoTerminationMinutes && minutes <= CLUSTER_LIMITS.maxAutoTerminationMinutes);
  return inRange ? undefined : { code: 'autoTerminationRange' };
}

/** A folder is an absolute path like `/Shared/etl`, without empty, `.` or `..` segments; `/` is the root. */
export function checkNotebookFolder(value: string): InputProblem | undefined {
  const folder = value.trim();
  if (folder === '') {
    return { code: 'required' };
  }
  if (!folder.startsWith('/')) {
    return { code: 'folderNotAbsolute' };
  }
  if (CONTROL_CHARACTER.test(folder)) {
    return { code: 'hasControlCharacter' };
  }
  if (folder === '/') {
    return undefined;
  }
  const segments = folder.replace(/\/$/, '').split('/').slice(1);
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return { code: 'folderHasEmptyOrDotSegment' };
  }
  return undefined;
}

export function checkNotebookName(value: string): InputProblem | undefined {
  const name = value.trim();
  if (name === '') {
    return { code: 'required' };
  }
  if (name.includes('/')) {
    return { code: 'nameHasSlash' };
  }
  if (CONTROL_CHARACTER.test(name)) {
    return { code: 'hasControlCharacter' };
  }
  if (name === '.' || name === '..') {
    return { code: 'nameIsDot' };
  }
  if (name.length > MAX_NOTEBOOK_NAME_LENGTH) {
    return { code: 'tooLong', max: MAX_NOTEBOOK_NAME_LENGTH };
  }
  return undefined;
}

/** Normalizes a valid folder: trimmed, without a trailing slash except for the root. */
export function normalizeFolder(value: string): string {
  const folder = value.trim();
  return folder.length > 1 ? folder.replace(/\/$/, '') : folder;
}
