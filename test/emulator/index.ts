/**
 * The DataStack emulator: a local `node:http` server with the DataStack API, an OAuth authorization
 * server and test controls, sharing one in-memory state. Tests start it with `startEmulator()`.
 */
import type { Socket } from 'node:net';

import { defaultConfig, type EmulatorConfig } from './config';
import type { EmulatorCore } from './core';
import { createControlsRouter } from './controls';
import { FaultQueue, type FaultSpec } from './faults';
import { IssuedSecrets, type IssuedSecretsSnapshot } from './issued-secrets';
import { LifecycleScheduler } from './lifecycle';
import { closeListeners, listenOnHosts, originOf } from './listen';
import { createOAuthRouter } from './oauth';
import { OAuthStore } from './oauth-store';
import { RequestLog, type RequestLogEntry } from './request-log';
import { createRequestListener } from './server';
import { createEmptyState, DEFAULT_SEED_PATH, loadSeed, populateState, snapshotState } from './state';
import {
  addClusters,
  addToken,
  expireTokens,
  setResourceState,
  type AddClustersOptions,
  type NewTokenOptions,
  type ResourceStateChange,
} from './test-controls';
import type { Cluster, EmulatorState } from './types';

export interface EmulatorOptions {
  /** Port of the first host; 0 (default) picks a free port. */
  port?: number;
  /** Loopback IP literals to listen on; default `['127.0.0.1']`. Others share the port when it is free. */
  hosts?: string[];
  /** Seed file; default `test/emulator/seed.json`. */
  seed?: string;
  /** Default 3000. */
  lifecycleDelayMs?: number;
  /** Default 3600. */
  accessTokenLifetimeSeconds?: number;
  /** Default `['datastack-vscode']`. */
  clientIds?: string[];
  /** Default 0. */
  latencyMs?: number;
  /** Default false. */
  autoApprove?: boolean;
  /** The `audience` the authorize endpoint requires; default `https://api.datastack.cloud`. */
  audience?: string;
  /** Clock in epoch milliseconds for token and code expiry and resource times; default `Date.now`. */
  now?: () => number;
}

export interface Emulator {
  /** Origin of the first host, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  /** One origin per host, in the order of `options.hosts`. */
  readonly urls: readonly string[];
  /** The live in-memory model. */
  readonly state: EmulatorState;
  /** The live request log; it never contains a token or code. */
  readonly requests: readonly RequestLogEntry[];
  /** The live runtime settings; change them with {@link Emulator.configure}. */
  readonly config: Readonly<EmulatorConfig>;
  /** Restores the seed state and the start settings, clears faults, OAuth records, timers and the log. */
  reset(): void;
  /** Closes every server and socket and clears the timers. */
  close(): Promise<void>;
  /** Changes runtime settings and returns them all. */
  configure(patch: Partial<EmulatorConfig>): EmulatorConfig;
  injectFault(fault: FaultSpec | FaultSpec[]): void;
  clearFaults(): void;
  clearRequests(): void;
  /** Expires one token, or every token when `token` is absent; returns how many. */
  expireTokens(token?: string): number;
  /** Adds an API token with exactly `scopes` and returns it. */
  addToken(options: NewTokenOptions): string;
  setResourceState(change: ResourceStateChange): void;
  addClusters(count: number, options?: AddClustersOptions): Cluster[];
  /** A JSON-friendly copy of the resources (no tokens). */
  snapshot(): Record<string, unknown>;
  /** Every token, code, verifier and `state` issued or received since start, across resets. */
  issuedSecrets(): IssuedSecretsSnapshot;
}

function initialConfig(options: EmulatorOptions): EmulatorConfig {
  const config = defaultConfig();
  return {
    ...config,
    lifecycleDelayMs: options.lifecycleDelayMs ?? config.lifecycleDelayMs,
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? config.accessTokenLifetimeSeconds,
    clientIds: options.clientIds ?? config.clientIds,
    latencyMs: options.latencyMs ?? config.latencyMs,
    autoApprove: options.autoApprove ?? config.autoApprove,
    audience: options.audience ?? config.audience,
  };
}

/** Adds the seeded personal access tokens to the issued secrets. */
function recordPersonalTokens(core: EmulatorCore): void {
  for (const record of core.state.tokens.values()) {
    if (record.kind === 'personal') {
      core.issued.add('personalAccessTokens', record.token);
    }
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const seed = loadSeed(options.seed ?? DEFAULT_SEED_PATH);
  const now = options.now ?? Date.now;
  const state = createEmptyState();
  const core: EmulatorCore = {
    state,
    config: initialConfig(options),
    scheduler: new LifecycleScheduler(() => core.config.lifecycleDelayMs, now),
    oauth: new OAuthStore(),
    faults: new FaultQueue(),
    log: new RequestLog(),
    issued: new IssuedSecrets(),
    now,
  };
  populateState(state, seed, now());
  core.scheduler.settleSeeded(state);
  recordPersonalTokens(core);

  const reset = (): void => {
    core.scheduler.cancelAll();
    core.faults.clear();
    core.oauth.clear();
    core.log.clear();
    core.config = initialConfig(options);
    populateState(state, seed, now());
    core.scheduler.settleSeeded(state);
    recordPersonalTokens(core);
  };

  const sockets = new Set<Socket>();
  const listener = createRequestListener(core, {
    oauth: createOAuthRouter(core),
    controls: createControlsRouter(core, reset),
  });
  const listeners = await listenOnHosts(listener, options.hosts ?? ['127.0.0.1'], options.port ?? 0, sockets);
  const urls = listeners.map(({ host, port }) => originOf(host, port));

  return {
    url: urls[0] as string,
    urls,
    state,
    get requests() {
      return core.log.entries;
    },
    get config() {
      return core.config;
    },
    reset,
    close: async () => {
      core.scheduler.cancelAll();
      await closeListeners(listeners, sockets);
    },
    configure: (patch) => {
      Object.assign(core.config, patch);
      if (patch.lifecycleDelayMs !== undefined) {
        core.scheduler.settleSeeded(core.state, { onlyPending: true });
      }
      return core.config;
    },
    injectFault: (fault) => {
      for (const spec of Array.isArray(fault) ? fault : [fault]) {
        core.faults.add(spec);
      }
    },
    clearFaults: () => core.faults.clear(),
    clearRequests: () => core.log.clear(),
    expireTokens: (token) => expireTokens(core, token),
    addToken: (tokenOptions) => addToken(core, tokenOptions),
    setResourceState: (change) => setResourceState(core, change),
    addClusters: (count, clusterOptions) => addClusters(core, count, clusterOptions),
    snapshot: () => snapshotState(state),
    issuedSecrets: () => core.issued.snapshot(),
  };
}

export type { EmulatorConfig } from './config';
export type { FaultAction, FaultSpec } from './faults';
export type { IssuedSecretsSnapshot } from './issued-secrets';
export type { RequestLogEntry } from './request-log';
export type { AddClustersOptions, NewTokenOptions, ResourceStateChange } from './test-controls';
export type * from './types';
export { DEFAULT_AUDIENCE, DEFAULT_CLIENT_ID } from './config';
