/** The Create Cluster command: four validated steps, the node type picked from a list, then one create request. */
import * as vscode from 'vscode';
import type { CreateClusterRequest } from '../api/models';
import {
  type InputProblem,
  KNOWN_NODE_TYPES,
  type KnownNodeType,
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

/** Defaults of the number steps: two workers, stopped after an idle hour. The node type pick starts at m5.large. */
export const CREATE_CLUSTER_DEFAULTS = { workers: '2', autoTerminationMinutes: '60' } as const;

/** Number of steps of the Create Cluster input, for the "(2/4)" in each title. */
const STEP_COUNT = 4;

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
  // The default value is valid, so it serves as the example in a "must be a whole number" message.
  const validate = (value: string): string | undefined => inputProblemMessage(step.check(value), step.field, step.value);
  const value = await context.prompts.inputBox({
    title: vscode.l10n.t('Create Cluster ({0}/{1})', index + 1, STEP_COUNT),
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

interface NodeTypeItem extends vscode.QuickPickItem {
  /** The node type, or undefined for the item that asks for another one. */
  readonly nodeType: string | undefined;
}

function nodeTypeKindText(kind: KnownNodeType['kind']): string {
  switch (kind) {
    case 'general':
      return vscode.l10n.t('general purpose');
    case 'compute':
      return vscode.l10n.t('compute optimized');
    case 'memory':
      return vscode.l10n.t('memory optimized');
    case 'storage':
      return vscode.l10n.t('storage optimized');
    case 'gpu':
      return vscode.l10n.t('GPU');
  }
}

/** Asks for the node type: a pick of the known types, or another name typed in a box checked by its shape. */
async function askNodeType(context: CommandContext, index: number): Promise<string | undefined> {
  const items: NodeTypeItem[] = KNOWN_NODE_TYPES.map((known) => ({
    label: known.id,
    description: nodeTypeKindText(known.kind),
    nodeType: known.id,
  }));
  items.push({ label: vscode.l10n.t('Other node type…'), detail: vscode.l10n.t('Type the name of another instance type.'), nodeType: undefined });
  const picked = await context.prompts.quickPick(items, {
    title: vscode.l10n.t('Create Cluster ({0}/{1})', index + 1, STEP_COUNT),
    placeHolder: vscode.l10n.t('Node type'),
    ignoreFocusOut: true,
  });
  if (picked === undefined || picked.nodeType !== undefined) {
    return picked?.nodeType;
  }
  const other: Step = {
    prompt: vscode.l10n.t('Node type, e.g. m5.xlarge, Standard_DS3_v2 or n2-standard-4'),
    field: vscode.l10n.t('node type'),
    value: '',
    check: checkNodeType,
  };
  return askStep(context, other, index);
}

/** Asks for the new cluster's settings; undefined when the user cancels any step. */
export async function askClusterRequest(context: CommandContext): Promise<CreateClusterRequest | undefined> {
  const nameStep: Step = { prompt: vscode.l10n.t('Cluster name'), field: vscode.l10n.t('cluster name'), value: '', check: checkClusterName };
  const numberSteps: Step[] = [
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
  const name = await askStep(context, nameStep, 0);
  const nodeType = name === undefined ? undefined : await askNodeType(context, 1);
  if (name === undefined || nodeType === undefined) {
    return undefined;
  }
  const numbers: string[] = [];
  for (const [offset, step] of numberSteps.entries()) {
    const value = await askStep(context, step, offset + 2);
    if (value === undefined) {
      return undefined;
    }
    numbers.push(value);
  }
  const [workers, minutes] = numbers as [string, string];
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
  await runAction(context, {
    viewId: VIEW_IDS.clusters,
    operation: 'createCluster',
    resourceLabel: request.cluster_name,
    progressTitle: vscode.l10n.t('Creating cluster {0}…', request.cluster_name),
    run: async (client, signal) => {
      const created = await client.createCluster(request, { signal });
      return client.getCluster(created.cluster_id, { signal });
    },
    successMessage: () => vscode.l10n.t('Creating cluster {0}', request.cluster_name),
    onSuccess: (cluster) => {
      context.trees.clusters.addRootItem(cluster);
    },
  });
}
