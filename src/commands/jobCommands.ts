/** Job and run commands: Run Now, Cancel Run, Open Run in Browser, Copy ID, Refresh. */
import * as vscode from 'vscode';
import { VIEW_IDS } from '../views/ids';
import { runNodeId } from '../views/jobTree';
import { OPTIMISTIC_STATES } from '../views/model/state';
import type { JobNode, RunNode } from '../views/nodes';
import type { CommandContext } from './context';
import { confirmDestructive, copyId, describe, runAction } from './runAction';
import { targetNode } from './target';

/** Starts a run and shows it under the job, expanded, without reloading the job list. */
export async function runJobNow(context: CommandContext, node: JobNode): Promise<void> {
  const name = node.data.name;
  await runAction(context, {
    viewId: VIEW_IDS.jobs,
    operation: 'runJobNow',
    resourceLabel: name,
    progressTitle: vscode.l10n.t('Starting a run of {0}…', name),
    run: (client, signal) => client.runJobNow(node.data.job_id, { signal }),
    successMessage: (run) => vscode.l10n.t('Started run {0} of {1}', run.run_id, name),
    onSuccess: (run) => showNewRun(context, node, run.run_id),
  });
}

async function showNewRun(context: CommandContext, node: JobNode, runId: string): Promise<void> {
  const tree = context.trees.jobs;
  // After a reload (e.g. a sign-in that granted the scope before a retry), the job shown is a new node.
  const live = tree.findNode(node.id);
  const job = live?.kind === 'job' ? live : node;
  tree.reloadChildren(job);
  // Loading the runs here, not when VS Code requests them, makes the run appear even while the job is collapsed.
  await tree.getChildren(job);
  const runNode = tree.findNode(runNodeId(runId));
  if (runNode !== undefined && context.views.jobs.visible) {
    try {
      await context.views.jobs.reveal(runNode, { select: false, focus: false, expand: false });
    } catch (error) {
      context.log.debug(`[commands] could not reveal run ${runId}: ${describe(error)}`);
    }
  }
}

export async function cancelRun(context: CommandContext, node: RunNode): Promise<void> {
  const jobName = node.parent?.kind === 'job' ? node.parent.data.name : node.data.job_id;
  const label = vscode.l10n.t('run {0} of {1}', node.data.run_id, jobName);
  const confirmed = await confirmDestructive(
    context,
    vscode.l10n.t('Cancel run {0} of "{1}"?', node.data.run_id, jobName),
    vscode.l10n.t('The run stops and its result becomes CANCELED.'),
    vscode.l10n.t('Cancel Run'),
  );
  if (!confirmed) {
    return;
  }
  await runAction(context, {
    viewId: VIEW_IDS.jobs,
    operation: 'cancelRun',
    resourceLabel: label,
    progressTitle: vscode.l10n.t('Cancelling {0}…', label),
    run: async (client, signal) => {
      await client.cancelRun(node.data.run_id, { signal });
      return true;
    },
    successMessage: () => vscode.l10n.t('Cancelled {0}', label),
    onSuccess: () => context.trees.jobs.update(node, { ...node.data, state: OPTIMISTIC_STATES.cancelRun }),
  });
}

/** Opens a run's page; only http and https links are opened, whatever the server sent. */
export async function openRunInBrowser(context: CommandContext, node: RunNode): Promise<void> {
  const link = node.data.run_page_url;
  if (link === undefined || link === '') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Run {0} has no page.', node.data.run_id));
    return;
  }
  const uri = vscode.Uri.parse(link, true);
  if (uri.scheme !== 'https' && uri.scheme !== 'http') {
    context.log.warn(`[commands] run ${node.data.run_id} has a page link with scheme ${uri.scheme}; not opened`);
    void vscode.window.showWarningMessage(vscode.l10n.t('The page link of run {0} is not a web address.', node.data.run_id));
    return;
  }
  await vscode.env.openExternal(uri);
}

export function registerJobCommands(context: CommandContext): vscode.Disposable[] {
  const view = context.views.jobs;
  return [
    vscode.commands.registerCommand('datastack.job.runNow', async (argument: unknown) => {
      const node = targetNode(argument, view, 'job');
      if (node !== undefined) {
        await runJobNow(context, node);
      }
    }),
    vscode.commands.registerCommand('datastack.run.cancel', async (argument: unknown) => {
      const node = targetNode(argument, view, 'run');
      if (node !== undefined) {
        await cancelRun(context, node);
      }
    }),
    vscode.commands.registerCommand('datastack.run.openInBrowser', async (argument: unknown) => {
      const node = targetNode(argument, view, 'run');
      if (node !== undefined) {
        await openRunInBrowser(context, node);
      }
    }),
    vscode.commands.registerCommand('datastack.job.copyId', async (argument: unknown) => {
      const node = targetNode(argument, view, 'job');
      if (node !== undefined) {
        await copyId(node.data.job_id, vscode.l10n.t('job'));
      }
    }),
    // reload(), not refresh(): the first page's request starts now, while VS Code requests the root.
    vscode.commands.registerCommand('datastack.jobs.refresh', () => context.trees.jobs.reload()),
  ];
}
