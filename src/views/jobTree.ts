/** The Jobs view: jobs, each expanding to its recent runs, newest first. */
import * as vscode from 'vscode';
import type { DataStackClient } from '../api/client';
import type { Job, Run } from '../api/models';
import { VIEW_IDS } from './ids';
import { themeIcon } from './iconOf';
import { jobContextValue, runContextValue } from './model/contextValue';
import { formatDuration, runDurationMs } from './model/format';
import { jobIcon, stateIcon } from './model/icons';
import { jobPages, runPages } from './model/pageFetchers';
import { isTransitional, runStateClass } from './model/state';
import { jobTooltip, runTooltip } from './model/tooltip';
import type { ContainerNode, JobNode, ResourceNode, RunNode } from './nodes';
import { type ListSpec, ResourceTree, type ResourceTreeDependencies } from './resourceTree';
import { formatTime, markdownTooltip } from './tooltips';

export const jobNodeId = (id: string): string => `job:${id}`;
export const runNodeId = (id: string): string => `run:${id}`;

/** Runs listed per page under a job; fewer than the list page size, because only recent runs matter here. */
export const RECENT_RUNS_PAGE_SIZE = 10;

export class JobTree extends ResourceTree {
  constructor(deps: ResourceTreeDependencies) {
    super(VIEW_IDS.jobs, deps);
  }

  protected rootList(client: DataStackClient): ListSpec<unknown> {
    const spec: ListSpec<Job> = {
      fetchPage: jobPages(client, this.pageSize),
      idOf: (job) => jobNodeId(job.job_id),
      createNode: (job, parent): JobNode => ({ kind: 'job', id: jobNodeId(job.job_id), parent, data: job }),
      emptyLabel: vscode.l10n.t('No jobs in this workspace'),
      noun: vscode.l10n.t('jobs'),
    };
    return spec as ListSpec<unknown>;
  }

  protected override childList(node: ContainerNode, client: DataStackClient): ListSpec<unknown> | undefined {
    if (node.kind !== 'job') {
      return undefined;
    }
    const spec: ListSpec<Run> = {
      fetchPage: runPages(client, node.data.job_id, Math.min(this.pageSize, RECENT_RUNS_PAGE_SIZE)),
      idOf: (run) => runNodeId(run.run_id),
      createNode: (run, parent): RunNode => ({ kind: 'run', id: runNodeId(run.run_id), parent, data: run }),
      emptyLabel: vscode.l10n.t('No runs yet'),
      noun: vscode.l10n.t('runs'),
    };
    return spec as ListSpec<unknown>;
  }

  protected override fetchLatest(node: ResourceNode, client: DataStackClient, signal: AbortSignal): Promise<Run> | undefined {
    return node.kind === 'run' ? client.getRun(node.data.run_id, { signal }) : undefined;
  }

  protected override isTransitional(node: ResourceNode): boolean {
    return node.kind === 'run' && isTransitional(runStateClass(node.data));
  }

  protected resourceItem(node: ResourceNode): vscode.TreeItem {
    if (node.kind === 'job') {
      return jobItem(node.data);
    }
    if (node.kind === 'run') {
      return runItem(node.data);
    }
    return new vscode.TreeItem(node.id);
  }
}

function jobItem(job: Job): vscode.TreeItem {
  const item = new vscode.TreeItem(job.name, vscode.TreeItemCollapsibleState.Collapsed);
  const paused = job.schedule?.pause_status === 'PAUSED';
  item.description = job.schedule === null ? vscode.l10n.t('on demand') : paused ? vscode.l10n.t('paused') : job.schedule.quartz_cron_expression;
  item.iconPath = themeIcon(jobIcon(job.schedule !== null, paused));
  item.tooltip = markdownTooltip(job.name, jobTooltip(job));
  item.contextValue = jobContextValue();
  return item;
}

/**
 * Builds a run item: `Run <id>` as the label, and a description that starts with the state or result, so
 * the state stays visible at the default sidebar width, followed by the duration and the start time.
 */
function runItem(run: Run): vscode.TreeItem {
  const item = new vscode.TreeItem(vscode.l10n.t('Run {0}', run.run_id), vscode.TreeItemCollapsibleState.None);
  const now = Date.now();
  const duration = runDurationMs(run, now);
  const parts = [run.result_state ?? run.state];
  if (duration !== undefined) {
    parts.push(formatDuration(duration));
  }
  if (run.start_time !== undefined) {
    parts.push(formatTime(run.start_time));
  }
  item.description = parts.join(' · ');
  item.iconPath = themeIcon(stateIcon(runStateClass(run)));
  item.tooltip = markdownTooltip(vscode.l10n.t('Run {0}', run.run_id), runTooltip(run, now));
  item.contextValue = runContextValue(run);
  return item;
}
