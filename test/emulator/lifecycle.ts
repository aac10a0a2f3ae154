/**
 * Timed state transitions: warehouse start and stop, cluster start and terminate, job runs.
 *
 * Each resource has at most one pending transition, keyed like `cluster:<id>`. A new transition, a
 * cancel or a direct state change replaces the pending one, so an old timer never overwrites a newer state.
 * Timers are unref'd and cleared on reset and close.
 */
import type { Cluster, EmulatorState, Run, Warehouse } from './types';

export class LifecycleScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly delayMs: () => number,
    private readonly now: () => number,
  ) {}

  /** Runs `steps` one after the other, each after the current delay, replacing any pending steps of `key`. */
  schedule(key: string, steps: (() => void)[]): void {
    this.cancel(key);
    const runNext = (index: number): void => {
      const step = steps[index];
      if (step === undefined) {
        this.timers.delete(key);
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

function setClusterState(cluster: Cluster, state: Cluster['state'], message: string): void {
  cluster.state = state;
  cluster.state_message = message;
}

export const clusterKey = (id: string): string => `cluster:${id}`;
export const warehouseKey = (id: string): string => `warehouse:${id}`;
export const runKey = (id: number): string => `run:${id}`;
