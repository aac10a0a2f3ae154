/** Turns the model's icon specs into ThemeIcons. */
import * as vscode from 'vscode';
import type { IconSpec } from './model/icons';

export function themeIcon(spec: IconSpec): vscode.ThemeIcon {
  return spec.color === undefined
    ? new vscode.ThemeIcon(spec.codicon)
    : new vscode.ThemeIcon(spec.codicon, new vscode.ThemeColor(spec.color));
}
