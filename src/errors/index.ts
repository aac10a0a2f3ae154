/** Wiring of the scope-aware error reporter for the composition root. */
import * as vscode from 'vscode';
import { defaultReporterSeams, type ReporterSeams } from './notifier';
import { type ReporterDependencies, ScopeAwareErrorReporter } from './reporter';

export type { Notifier, ReporterSeams } from './notifier';
export { ScopeAwareErrorReporter } from './reporter';

/** Creates the reporter with the default seams, which the test API may replace. */
export function createErrorReporter(
  context: vscode.ExtensionContext,
  deps: Omit<ReporterDependencies, 'seams' | 'consoleUrl'>,
): { readonly reporter: ScopeAwareErrorReporter; readonly seams: ReporterSeams } {
  const seams = defaultReporterSeams();
  const reporter = new ScopeAwareErrorReporter({ ...deps, seams, consoleUrl: readConsoleUrl });
  context.subscriptions.push(reporter);
  return { reporter, seams };
}

function readConsoleUrl(): string | undefined {
  const value = vscode.workspace.getConfiguration('datastack').get<string>('consoleUrl', '').trim();
  return value === '' ? undefined : value;
}
