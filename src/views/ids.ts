/** View ids, context keys and hidden command ids of the sidebar, defined once. */

export const VIEW_IDS = {
  clusters: 'datastack.clusters',
  jobs: 'datastack.jobs',
  notebooks: 'datastack.notebooks',
  warehouses: 'datastack.warehouses',
} as const;

export type ViewId = (typeof VIEW_IDS)[keyof typeof VIEW_IDS];

/** Context key that is true while a profile is active; the welcome content shows while it is false. */
export const SIGNED_IN_CONTEXT_KEY = 'datastack.signedIn';

/** Hidden commands that tree items run on click. */
export const ITEM_COMMANDS = {
  loadMore: 'datastack.loadMore',
  resolveFailure: 'datastack.view.resolveFailure',
  openNotebook: 'datastack.notebook.open',
} as const;
