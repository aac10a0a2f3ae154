/**
 * The facts each tree item's tooltip lists, as rows of a field and a typed value. The vscode layer picks
 * the localized label of each field and formats times in the user's locale.
 */
import type { Cluster, Job, NotebookObject, Run, Warehouse } from '../../api/models';
import { formatDuration, runDurationMs } from './format';
import { languageLabel } from './notebookLanguage';

export type TooltipField =
  | 'id'
  | 'state'
  | 'stateMessage'
  | 'result'
  | 'size'
  | 'clusterCount'
  | 'autoStop'
  | 'nodeType'
  | 'workers'
  | 'autoTermination'
  | 'schedule'
  | 'creator'
  | 'created'
  | 'started'
  | 'ended'
  | 'duration'
  | 'path'
  | 'language'
  | 'modified';

export type TooltipValue =
  | { readonly kind: 'text'; readonly text: string }
  /** Epoch milliseconds, shown in the user's locale. */
  | { readonly kind: 'time'; readonly epochMs: number }
  /** Idle minutes before an automatic stop; 0 means never. */
  | { readonly kind: 'idleMinutes'; readonly minutes: number };

export interface TooltipRow {
  readonly field: TooltipField;
  readonly value: TooltipValue;
}

/** The rows of one tooltip; the vscode layer adds the item's label as its heading. */
export type TooltipData = readonly TooltipRow[];

const text = (field: TooltipField, value: string | number): TooltipRow => ({
  field,
  value: { kind: 'text', text: String(value) },
});
const time = (field: TooltipField, epochMs: number): TooltipRow => ({ field, value: { kind: 'time', epochMs } });
const idle = (field: TooltipField, minutes: number): TooltipRow => ({ field, value: { kind: 'idleMinutes', minutes } });

export function warehouseTooltip(warehouse: Warehouse): TooltipData {
  return [
    text('id', warehouse.id),
    text('state', warehouse.state),
    text('size', warehouse.cluster_size),
    text('clusterCount', warehouse.num_clusters),
    idle('autoStop', warehouse.auto_stop_mins),
    text('creator', warehouse.creator),
  ];
}

export function clusterTooltip(cluster: Cluster): TooltipData {
  const rows: TooltipRow[] = [text('id', cluster.cluster_id), text('state', cluster.state)];
  if (cluster.state_message !== undefined && cluster.state_message !== '') {
    rows.push(text('stateMessage', cluster.state_message));
  }
  rows.push(text('nodeType', cluster.node_type), text('workers', cluster.num_workers));
  if (cluster.autotermination_minutes !== undefined) {
    rows.push(idle('autoTermination', cluster.autotermination_minutes));
  }
  rows.push(text('creator', cluster.creator), time('created', cluster.created_at));
  return rows;
}

export function jobTooltip(job: Job): TooltipData {
  const rows: TooltipRow[] = [text('id', job.job_id)];
  if (job.schedule !== null) {
    const paused = job.schedule.pause_status === 'PAUSED' ? ' (PAUSED)' : '';
    rows.push(text('schedule', `${job.schedule.quartz_cron_expression} ${job.schedule.timezone_id}${paused}`));
  }
  rows.push(text('creator', job.creator), time('created', job.created_at));
  return rows;
}

export function runTooltip(run: Run, now: number): TooltipData {
  const rows: TooltipRow[] = [text('id', run.run_id), text('state', run.state)];
  if (run.result_state !== null) {
    rows.push(text('result', run.result_state));
  }
  if (run.start_time !== undefined) {
    rows.push(time('started', run.start_time));
  }
  if (run.end_time !== undefined) {
    rows.push(time('ended', run.end_time));
  }
  const duration = runDurationMs(run, now);
  if (duration !== undefined) {
    rows.push(text('duration', formatDuration(duration)));
  }
  return rows;
}

export function notebookObjectTooltip(object: NotebookObject): TooltipData {
  const rows: TooltipRow[] = [text('path', object.path), text('id', object.object_id)];
  if (object.object_type !== 'DIRECTORY') {
    rows.push(text('language', languageLabel(object.language)));
  }
  if (object.modified_at !== undefined) {
    rows.push(time('modified', object.modified_at));
  }
  return rows;
}
