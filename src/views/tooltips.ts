/** Markdown tooltips from the rows of `model/tooltip.ts`, with localized field names and locale times. */
import * as vscode from 'vscode';
import type { TooltipData, TooltipField, TooltipValue } from './model/tooltip';

function fieldLabel(field: TooltipField): string {
  switch (field) {
    case 'id':
      return vscode.l10n.t('ID');
    case 'state':
      return vscode.l10n.t('State');
    case 'stateMessage':
      return vscode.l10n.t('State message');
    case 'result':
      return vscode.l10n.t('Result');
    case 'size':
      return vscode.l10n.t('Size');
    case 'clusterCount':
      return vscode.l10n.t('Clusters');
    case 'autoStop':
      return vscode.l10n.t('Auto stop');
    case 'nodeType':
      return vscode.l10n.t('Node type');
    case 'workers':
      return vscode.l10n.t('Workers');
    case 'autoTermination':
      return vscode.l10n.t('Auto-termination');
    case 'schedule':
      return vscode.l10n.t('Schedule');
    case 'creator':
      return vscode.l10n.t('Creator');
    case 'created':
      return vscode.l10n.t('Created');
    case 'started':
      return vscode.l10n.t('Started');
    case 'ended':
      return vscode.l10n.t('Ended');
    case 'duration':
      return vscode.l10n.t('Duration');
    case 'path':
      return vscode.l10n.t('Path');
    case 'language':
      return vscode.l10n.t('Language');
    case 'modified':
      return vscode.l10n.t('Modified');
  }
}

/** Formats epoch milliseconds as a date and time in VS Code's display language. */
export function formatTime(epochMs: number): string {
  try {
    return new Date(epochMs).toLocaleString(vscode.env.language);
  } catch {
    // NOTE: toLocaleString throws RangeError for a language tag that Intl does not accept.
    return new Date(epochMs).toLocaleString();
  }
}

function formatValue(value: TooltipValue): string {
  switch (value.kind) {
    case 'text':
      return value.text;
    case 'time':
      return formatTime(value.epochMs);
    case 'idleMinutes':
      return value.minutes === 0 ? vscode.l10n.t('never') : vscode.l10n.t('after {0} idle minutes', value.minutes);
  }
}

/** Builds a Markdown tooltip: the heading in bold, then one `Field: value` line per row, all text escaped. */
export function markdownTooltip(heading: string, rows: TooltipData): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString();
  markdown.appendMarkdown('**');
  markdown.appendText(heading);
  markdown.appendMarkdown('**\n\n');
  for (const row of rows) {
    markdown.appendText(`${fieldLabel(row.field)}: `);
    markdown.appendText(formatValue(row.value));
    markdown.appendMarkdown('  \n');
  }
  return markdown;
}
