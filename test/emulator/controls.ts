/**
 * Test controls under `/_emulator/`: JSON in and out, no authentication, no faults, no latency.
 * Each route calls the same function as the matching method of the `Emulator` object.
 */
import { parseConfigPatch } from './config';
import type { EmulatorCore } from './core';
import { parseFaultSpec, type FaultSpec } from './faults';
import { jsonResponse, parseJsonObject, type EmulatorResponse } from './http';
import type { HttpCall, Router } from './server';
import { snapshotState } from './state';
import { addClusters, addToken, expireTokens, parseResourceStateChange, setResourceState } from './test-controls';
import { CLUSTER_STATES } from './types';

/** The largest `count` of `POST /_emulator/clusters/bulk`. */
const MAX_BULK_CLUSTERS = 100_000;

type ControlHandler = (core: EmulatorCore, body: Record<string, unknown>) => unknown;

function badRequest(message: string): EmulatorResponse {
  return jsonResponse(400, { error_code: 'INVALID_PARAMETER_VALUE', message });
}

function parseFaults(body: Record<string, unknown>): FaultSpec[] {
  const list = Array.isArray(body['faults']) ? (body['faults'] as unknown[]) : [body];
  return list.map(parseFaultSpec);
}

/** `tokenFault` in a config patch queues a fault for the next `POST /oauth2/token` requests. */
function configure(core: EmulatorCore, body: Record<string, unknown>): unknown {
  const { tokenFault, ...patch } = body;
  const fault = tokenFault === undefined ? undefined : parseFaultSpec({ ...(tokenFault as object), method: 'POST', path: '/oauth2/token' });
  const parsed = parseConfigPatch(patch);
  Object.assign(core.config, parsed);
  if (parsed.lifecycleDelayMs !== undefined) {
    // Seeded transitions still pending move to the new delay, so a test can hold them with a long one.
    core.scheduler.settleSeeded(core.state, { onlyPending: true });
  }
  if (fault !== undefined) {
    core.faults.add(fault);
  }
  return core.config;
}

function parseNewToken(body: Record<string, unknown>): Parameters<typeof addToken>[1] {
  const { scopes, user_id: userId, expires_in_seconds: expiresInSeconds, token } = body;
  if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string')) {
    throw new Error('Invalid scopes: expected an array of strings.');
  }
  if (userId !== undefined && typeof userId !== 'string') {
    throw new Error('Invalid user_id: expected a string.');
  }
  if (expiresInSeconds !== undefined && !Number.isInteger(expiresInSeconds)) {
    throw new Error('Invalid expires_in_seconds: expected an integer.');
  }
  if (token !== undefined && (typeof token !== 'string' || !/^[\x21-\x7e]{8,200}$/.test(token))) {
    throw new Error('Invalid token: expected 8 to 200 printable ASCII characters.');
  }
  return {
    scopes: scopes as string[],
    ...(userId === undefined ? {} : { userId: userId as string }),
    ...(expiresInSeconds === undefined ? {} : { expiresInSeconds: expiresInSeconds as number }),
    ...(token === undefined ? {} : { token: token as string }),
  };
}

function bulkClusters(core: EmulatorCore, body: Record<string, unknown>): unknown {
  const { count, name_prefix: namePrefix, state } = body;
  if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > MAX_BULK_CLUSTERS) {
    throw new Error(`Invalid count: expected an integer from 1 to ${MAX_BULK_CLUSTERS}.`);
  }
  if (namePrefix !== undefined && typeof namePrefix !== 'string') {
    throw new Error('Invalid name_prefix: expected a string.');
  }
  if (state !== undefined && !(CLUSTER_STATES as readonly unknown[]).includes(state)) {
    throw new Error(`Invalid state: use one of ${CLUSTER_STATES.join(', ')}.`);
  }
  const added = addClusters(core, count as number, {
    ...(namePrefix === undefined ? {} : { namePrefix: namePrefix as string }),
    ...(state === undefined ? {} : { state: state as (typeof CLUSTER_STATES)[number] }),
  });
  return { added: added.length, total: core.state.clusters.size };
}

function expire(core: EmulatorCore, body: Record<string, unknown>): unknown {
  const { token, all } = body;
  if (all === true && token === undefined) {
    return { expired: expireTokens(core) };
  }
  if (typeof token === 'string' && all === undefined) {
    return { expired: expireTokens(core, token) };
  }
  throw new Error('Pass either {"token": "..."} or {"all": true}.');
}

export function createControlsRouter(core: EmulatorCore, reset: () => void): Router {
  const routes: Record<string, ControlHandler> = {
    'POST /_emulator/reset': () => {
      reset();
      return { reset: true };
    },
    'GET /_emulator/faults': () => ({ faults: core.faults.list() }),
    'POST /_emulator/faults': (_, body) => {
      const faults = parseFaults(body);
      faults.forEach((fault) => core.faults.add(fault));
      return { queued: faults.length };
    },
    'DELETE /_emulator/faults': () => {
      core.faults.clear();
      return { faults: [] };
    },
    'GET /_emulator/config': () => core.config,
    'POST /_emulator/config': configure,
    'GET /_emulator/requests': () => ({ requests: core.log.entries }),
    'DELETE /_emulator/requests': () => {
      core.log.clear();
      return { requests: [] };
    },
    'GET /_emulator/state': () => snapshotState(core.state),
    'GET /_emulator/issued-secrets': () => core.issued.snapshot(),
    'POST /_emulator/tokens': (_, body) => ({ token: addToken(core, parseNewToken(body)) }),
    'POST /_emulator/tokens/expire': expire,
    'POST /_emulator/resources/state': (_, body) => {
      setResourceState(core, parseResourceStateChange(body));
      return { updated: true };
    },
    'POST /_emulator/clusters/bulk': bulkClusters,
  };

  return async (call: HttpCall) => {
    const handler = routes[`${call.method} ${call.pathname}`];
    if (handler === undefined) {
      return jsonResponse(404, { error_code: 'NOT_FOUND', message: `No emulator control at ${call.method} ${call.pathname}.` });
    }
    try {
      const body = call.method === 'POST' ? parseJsonObject(await call.readBody()) : {};
      return jsonResponse(200, handler(core, body));
    } catch (error) {
      return badRequest(error instanceof Error ? error.message : String(error));
    }
  };
}
