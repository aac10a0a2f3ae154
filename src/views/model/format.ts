/** Formatting of durations and run summaries for tree item descriptions; no localization needed for digits and units. */

/**
 * Formats a duration in milliseconds as `45s`, `2m 05s` or `1h 03m`. Negative or non-finite inputs give
 * an empty string, because a run whose clock went backwards has no meaningful duration.
 */
export function formatDuration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds) || milliseconds < 0) {
    return '';
  }
  const totalSeconds = Math.floor(milliseconds / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) {
    return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  }
  if (minutes > 0) {
    return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
  }
  return `${seconds}s`;
}

/**
 * Returns a run's duration: end minus start for a finished run, now minus start for an active one, and
 * undefined when the run has not started.
 */
export function runDurationMs(run: { readonly start_time?: number; readonly end_time?: number }, now: number): number | undefined {
  if (run.start_time === undefined) {
    return undefined;
  }
  return (run.end_time ?? now) - run.start_time;
}

/** Returns the last segment of a notebook path, e.g. `ingest_orders` for `/Shared/etl/ingest_orders`. */
export function baseName(path: string): string {
  const trimmed = path.endsWith('/') && path.length > 1 ? path.slice(0, -1) : path;
  const index = trimmed.lastIndexOf('/');
  return index < 0 ? trimmed : trimmed.slice(index + 1) || '/';
}

/** Returns the parent folder of a notebook path: `/Shared` for `/Shared/etl`, `/` for `/Shared`. */
export function parentPath(path: string): string {
  const index = path.lastIndexOf('/');
  return index <= 0 ? '/' : path.slice(0, index);
}

/** Joins a folder path and a name with exactly one slash. */
export function joinPath(folder: string, name: string): string {
  return folder.endsWith('/') ? `${folder}${name}` : `${folder}/${name}`;
}
