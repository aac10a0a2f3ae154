/**
 * The codicon and theme colour of each state class. The vscode layer turns a spec into a `ThemeIcon`;
 * keeping the table here lets unit tests check that every class has an icon.
 */
import type { StateClass } from './state';

export interface IconSpec {
  /** Codicon id; `~spin` makes it rotate, e.g. `sync~spin`. */
  readonly codicon: string;
  /** Theme colour id, e.g. `charts.green`; undefined keeps the default icon colour. */
  readonly color: string | undefined;
}

const STATE_ICONS: Readonly<Record<StateClass, IconSpec>> = {
  running: { codicon: 'vm-running', color: 'charts.green' },
  stopped: { codicon: 'vm-outline', color: 'disabledForeground' },
  transitional: { codicon: 'sync~spin', color: 'charts.yellow' },
  error: { codicon: 'error', color: 'charts.red' },
  deleted: { codicon: 'trash', color: 'disabledForeground' },
  succeeded: { codicon: 'pass', color: 'charts.green' },
  failed: { codicon: 'error', color: 'charts.red' },
  canceled: { codicon: 'circle-slash', color: 'charts.orange' },
  skipped: { codicon: 'debug-step-over', color: 'disabledForeground' },
  unknown: { codicon: 'question', color: undefined },
};

export function stateIcon(stateClass: StateClass): IconSpec {
  return STATE_ICONS[stateClass];
}

/** The icon of a job: a calendar when it has an active schedule, a plain play icon when it runs on demand. */
export function jobIcon(scheduled: boolean, paused: boolean): IconSpec {
  if (!scheduled) {
    return { codicon: 'play-circle', color: undefined };
  }
  return paused ? { codicon: 'debug-pause', color: 'disabledForeground' } : { codicon: 'calendar', color: undefined };
}
