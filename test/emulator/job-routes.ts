/** Handlers of the job and run operations. */
import { param, type ApiHandler, type ApiRequest } from './api-request';
import { invalidState, notFound } from './http';
import { pageBody, paginate } from './pagination';
import type { Job, Run, RunState } from './types';

/** Run states from which `cancel` is allowed. */
const CANCELABLE_RUN_STATES: readonly RunState[] = ['PENDING', 'RUNNING'];

/** Parses a numeric id; anything else cannot name an existing resource, so it is a 404. */
function numericId(raw: string, what: string): number {
  if (!/^\d{1,15}$/.test(raw)) {
    throw notFound(`${what} ${raw} does not exist.`);
  }
  return Number(raw);
}

function findJob(request: ApiRequest): Job {
  const raw = param(request, 'job_id');
  const job = request.core.state.jobs.get(numericId(raw, 'Job'));
  if (job === undefined) {
    throw notFound(`Job ${raw} does not exist.`);
  }
  return job;
}

function findRun(request: ApiRequest): Run {
  const raw = param(request, 'run_id');
  const run = request.core.state.runs.get(numericId(raw, 'Run'));
  if (run === undefined) {
    throw notFound(`Run ${raw} does not exist.`);
  }
  return run;
}

/** Lists a job's runs, newest first. */
const listRuns: ApiHandler = (request) => {
  const job = findJob(request);
  const runs = [...request.core.state.runs.values()]
    .filter((run) => run.job_id === job.job_id)
    .sort((left, right) => right.run_id - left.run_id);
  return pageBody('runs', paginate(runs, request.query, 'runs', String(job.job_id)));
};

const runJobNow: ApiHandler = (request) => {
  const job = findJob(request);
  const run = request.core.scheduler.startRun(request.core.state, job.job_id);
  return { run_id: run.run_id };
};

const cancelRun: ApiHandler = (request) => {
  const run = findRun(request);
  if (!CANCELABLE_RUN_STATES.includes(run.state)) {
    throw invalidState(`Run ${run.run_id} is ${run.state}; only a PENDING or RUNNING run can be canceled.`);
  }
  request.core.scheduler.cancelRun(run);
  return {};
};

export const JOB_HANDLERS = {
  listJobs: (request: ApiRequest) =>
    pageBody('jobs', paginate([...request.core.state.jobs.values()], request.query, 'jobs', '')),
  getJob: (request: ApiRequest) => findJob(request),
  listRuns,
  getRun: (request: ApiRequest) => findRun(request),
  runJobNow,
  cancelRun,
} satisfies Record<string, ApiHandler>;
