/** The Create Cluster command: four validated input steps, then one create request. */
import * as vscode from 'vscode';
import type { CreateClusterRequest } from '../api/models';
import {
  type InputProblem,
  checkAutoTerminationMinutes,
  checkClusterName,
  checkNodeType,
  checkWorkerCount,
  parseWholeNumber,
} from '../views/model/validation';
import { VIEW_IDS } from '../views/ids';
import type { CommandContext } from './context';
import { inputProblemMessage } from './inputMessages';
import { runAction } from './runAction';

/** Defaults of the input steps: a small general-purpose cluster that stops after an idle hour. */
export const CREATE_CLUSTER_DEFAULTS = { nodeType: 'm5.large', workers: '2', autoTerminationMinutes: '60' } as const;

interface Step {
  readonly prompt: string;
  readonly field: string;
  readonly value: string;
  readonly check: (value: string) => InputProblem | undefined;
}

/**
 * Asks one step. Returns the trimmed value, or undefined when dismissed or invalid. The value is checked
 * again after the box closes, because scripted prompts in tests do not run `validateInput`.
 */
async function askStep(context: CommandContext, step: Step, index: number): Promise<string | undefined> {
  const validate = (value: string): string | undefined => inputProblemMessage(step.check(value), step.field);
  const value = await context.prompts.inputBox({
    title: vscode.l10n.t('Create Cluster ({0}/4)', index + 1),
    prompt: step.prompt,
    value: step.value,
    ignoreFocusOut: true,
    validateInput: validate,
  });
  if (value === undefined) {
    return undefined;
  }
  const problem = validate(value);
  if (problem !== undefined) {
    void vscode.window.showErrorMessage(problem);
    return undefined;
  }
  return value.trim();
}

/** Asks for the new cluster's settings; undefined when the user cancels any step. */
export async function askClusterRequest(context: CommandContext): Promise<CreateClusterRequest | undefined> {
  const steps: Step[] = [
    { prompt: vscode.l10n.t('Cluster name'), field: vscode.l10n.t('cluster name'), value: '', check: checkClusterName },
    {
      prompt: vscode.l10n.t('Node type, e.g. m5.large or m5.xlarge'),
      field: vscode.l10n.t('node type'),
      value: CREATE_CLUSTER_DEFAULTS.nodeType,
      check: checkNodeType,
    },
    {
      prompt: vscode.l10n.t('Number of workers, from 0 to 1000'),
      field: vscode.l10n.t('number of workers'),
      value: CREATE_CLUSTER_DEFAULTS.workers,
      check: checkWorkerCount,
    },
    {
      prompt: vscode.l10n.t('Minutes of inactivity before the cluster terminates: 0 for never, or 10 to 10000'),
      field: vscode.l10n.t('auto-termination minutes'),
      value: CREATE_CLUSTER_DEFAULTS.autoTerminationMinutes,
      check: checkAutoTerminationMinutes,
    },
  ];
  const values: string[] = [];
  for (const [index, step] of steps.entries()) {
    const value = await askStep(context, step, index);
    if (value === undefined) {
      return undefined;
    }
    values.push(value);
  }
  const [name, nodeType, workers, minutes] = values as [string, string, string, string];
  return {
    cluster_name: name,
    node_type: nodeType,
    num_workers: parseWholeNumber(workers) ?? 0,
    autotermination_minutes: parseWholeNumber(minutes) ?? 0,
  };
}

export async function createCluster(context: CommandContext): Promise<void> {
  if (context.session.getClient() === undefined) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Sign in to DataStack first.'));
    return;
  }
  const request = await askClusterRequest(context);
  if (request === undefined) {
    return;
  }
  const cluster = await runAction(context, {
    viewId: VIEW_IDS.clusters,
    operation: 'createCluster',
    resourceLabel: request.cluster_name,
    progressTitle: vscode.l10n.t('Creating cluster {0}…', request.cluster_name),
    run: async (client, signal) => {
      const created = await client.createCluster(request, { signal });
      return client.getCluster(created.cluster_id, { signal });
    },
    successMessage: () => vscode.l10n.t('Creating cluster {0}', request.cluster_name),
  });
  if (cluster !== undefined) {
    context.trees.clusters.addRootItem(cluster);
  }
}
