/**
 * Timed state transitions: warehouse start and stop, cluster start and terminate, job runs.
 *
 * Each resource has at most one pending transition, keyed like `cluster:<id>`. A new transition, a
 * cancel or a direct state change replaces the pending one, so an old timer never overwrites a newer state.
 * Timers are unref'd and cleared on reset and close. Resources the seed leaves transitional settle on
 * the same timers, from start and from each reset.
 */
import type { Cluster, EmulatorState, Run, Warehouse } from './types';

export class LifecycleScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Keys whose pending steps settle a state the seed left transitional, rather than an action's. */
  private readonly seededKeys = new Set<string>();

  constructor(
    private readonly delayMs: () => number,
    private readonly now: () => number,
  ) {}

  /** Runs `steps` one after the other, each after the current delay, replacing any pending steps of `key`. */
  schedule(key: string, steps: (() => void)[]): void {
    this.cancel(key);
    this.scheduleSteps(key, steps);
  }

  private scheduleSteps(key: string, steps: (() => void)[]): void {
    const runNext = (index: number): void => {
      const step = steps[index];
      if (step === undefined) {
        this.timers.delete(key);
        this.seededKeys.delete(key);
        return;
      }
      const timer = setTimeout(() => {
        step();
        runNext(index + 1);
      }, this.delayMs());
      timer.unref();
      this.timers.set(key, timer);
    };
    runNext(0);
  }

  cancel(key: string): void {
    this.seededKeys.delete(key);
    const timer = this.timers.get(key);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.timers.delete(key);
    }
  }

  cancelAll(): void {
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    this.timers.clear();
    this.seededKeys.clear();
  }

  /**
   * Moves every resource the seed left in a transitional state to its settled state, on the same timers
   * as an action. Warehouses go from STARTING to RUNNING and from STOPPING to STOPPED. Clusters go from
   * PENDING, RESIZING and RESTARTING to RUNNING, and from TERMINATING to TERMINATED. Runs go from PENDING
   * through RUNNING to TERMINATED with SUCCESS, and from TERMINATING to TERMINATED with CANCELED. With
   * `onlyPending`, it reschedules only the seeded transitions still pending, e.g. with a new delay.
   */
  settleSeeded(state: EmulatorState, options: { readonly onlyPending?: boolean } = {}): void {
    const include = (key: string): boolean => options.onlyPending !== true || this.seededKeys.has(key);
    for (const warehouse of state.warehouses.values()) {
      const steps = warehouseSettleSteps(warehouse);
      this.scheduleSeeded(warehouseKey(warehouse.id), steps, include);
    }
    for (const cluster of state.clusters.values()) {
      this.scheduleSeeded(clusterKey(cluster.cluster_id), clusterSettleSteps(cluster), include);
    }
    for (const run of state.runs.values()) {
      this.scheduleSeeded(runKey(run.run_id), this.runSettleSteps(run), include);
    }
  }

  private scheduleSeeded(key: string, steps: (() => void)[], include: (key: string) => boolean): void {
    if (steps.length === 0 || !include(key)) {
      return;
    }
    this.schedule(key, steps);
    this.seededKeys.add(key);
  }

  private runSettleSteps(run: Run): (() => void)[] {
    const end = (result: 'SUCCESS' | 'CANCELED') => (): void => {
      run.state = 'TERMINATED';
      run.result_state = result;
      run.end_time = this.now();
    };
    switch (run.state) {
      case 'PENDING':
        return [() => (run.state = 'RUNNING'), end('SUCCESS')];
      case 'RUNNING':
        return [end('SUCCESS')];
      case 'TERMINATING':
        return [end('CANCELED')];
      default:
        return [];
    }
  }

  get pendingCount(): number {
    return this.timers.size;
  }

  startCluster(cluster: Cluster): void {
    setClusterState(cluster, 'PENDING', 'Starting the cluster');
    this.schedule(clusterKey(cluster.cluster_id), [() => setClusterState(cluster, 'RUNNING', '')]);
  }

  terminateCluster(cluster: Cluster): void {
    setClusterState(cluster, 'TERMINATING', 'Terminating on user request');
    this.schedule(clusterKey(cluster.cluster_id), [
      () => setClusterState(cluster, 'TERMINATED', 'Terminated on user request'),
    ]);
  }

  startWarehouse(warehouse: Warehouse): void {
    warehouse.state = 'STARTING';
    this.schedule(warehouseKey(warehouse.id), [() => (warehouse.state = 'RUNNING')]);
  }

  stopWarehouse(warehouse: Warehouse): void {
    warehouse.state = 'STOPPING';
    this.schedule(warehouseKey(warehouse.id), [() => (warehouse.state = 'STOPPED')]);
  }

  /** Adds a PENDING run of `jobId` that becomes RUNNING, then TERMINATED with SUCCESS. */
  startRun(state: EmulatorState, jobId: number): Run {
    const runId = state.nextIds.run++;
    const prefix = state.runPageUrlPrefixes.get(jobId);
    const run: Run = {
      run_id: runId,
      job_id: jobId,
      state: 'PENDING',
      result_state: null,
      start_time: this.now(),
      end_time: null,
      run_page_url: prefix === undefined ? null : `${prefix}${runId}`,
    };
    state.runs.set(runId, run);
    this.schedule(runKey(runId), [
      () => (run.state = 'RUNNING'),
      () => {
        run.state = 'TERMINATED';
        run.result_state = 'SUCCESS';
        run.end_time = this.now();
      },
    ]);
    return run;
  }

  /** Ends a PENDING or RUNNING run at once with CANCELED. */
  cancelRun(run: Run): void {
    this.cancel(runKey(run.run_id));
    run.state = 'TERMINATED';
    run.result_state = 'CANCELED';
    run.end_time = this.now();
  }
}

function warehouseSettleSteps(warehouse: Warehouse): (() => void)[] {
  switch (warehouse.state) {
    case 'STARTING':
      return [() => (warehouse.state = 'RUNNING')];
    case 'STOPPING':
      return [() => (warehouse.state = 'STOPPED')];
    default:
      return [];
  }
}

function clusterSettleSteps(cluster: Cluster): (() => void)[] {
  switch (cluster.state) {
    case 'PENDING':
    case 'RESIZING':
    case 'RESTARTING':
      return [() => setClusterState(cluster, 'RUNNING', '')];
    case 'TERMINATING':
      return [() => setClusterState(cluster, 'TERMINATED', cluster.state_message)];
    default:
      return [];
  }
}

function setClusterState(cluster: Cluster, state: Cluster['state'], message: string): void {
  cluster.state = state;
  cluster.state_message = message;
}

export const clusterKey = (id: string): string => `cluster:${id}`;
export const warehouseKey = (id: string): string => `warehouse:${id}`;
export const runKey = (id: number): string => `run:${id}`;
