import * as vscode from 'vscode';

/** Composition root: creates the log channel and registers everything else; makes no network request. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('DataStack', { log: true });
  context.subscriptions.push(log);
  context.subscriptions.push(vscode.commands.registerCommand('datastack.showLog', () => log.show(true)));
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
