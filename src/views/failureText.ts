/** The label and tooltip of a view's failure item, localized; the words follow the error kind. */
import * as vscode from 'vscode';
import type { ListFailure } from './model/failure';

export interface FailureText {
  readonly label: string;
  readonly description: string;
  readonly tooltip: string;
}

function hostName(host: string): string {
  try {
    return new URL(host).host;
  } catch {
    return host;
  }
}

/** Returns the failure item's text; `what` names the list, e.g. "SQL warehouses". */
export function failureText(failure: ListFailure, what: string): FailureText {
  switch (failure.kind) {
    case 'missingScope':
      return {
        label: vscode.l10n.t('Missing scope {0}', failure.scope),
        description: vscode.l10n.t('Click to fix'),
        tooltip: vscode.l10n.t('Listing {0} needs the {1} scope, which this sign-in does not have. Click to sign in with it.', what, failure.scope),
      };
    case 'signInExpired':
      return {
        label: vscode.l10n.t('Sign-in expired'),
        description: vscode.l10n.t('Click to sign in again'),
        tooltip: vscode.l10n.t('DataStack at {0} rejected the token while listing {1}.', hostName(failure.host), what),
      };
    case 'unreachable':
      return {
        label: vscode.l10n.t("Can't reach {0}", hostName(failure.host)),
        description: vscode.l10n.t('Retry'),
        tooltip: vscode.l10n.t('Listing {0} failed because {1} did not respond. Click to retry.', what, hostName(failure.host)),
      };
    case 'rateLimited':
      return {
        label: vscode.l10n.t('DataStack is limiting requests'),
        description: vscode.l10n.t('Retry'),
        tooltip: vscode.l10n.t('Retry after {0} seconds.', Math.ceil(failure.retryAfterMs / 1000)),
      };
    case 'serverError':
      return {
        label: vscode.l10n.t('DataStack failed with HTTP {0}', failure.status),
        description: vscode.l10n.t('Retry'),
        tooltip: vscode.l10n.t('Listing {0} on {1} failed with a server error. Click to retry.', what, hostName(failure.host)),
      };
    case 'invalidResponse':
      return {
        label: vscode.l10n.t('Invalid response from {0}', hostName(failure.host)),
        description: vscode.l10n.t('Retry'),
        tooltip: vscode.l10n.t('The list of {0} was not in the expected format. The log has the details.', what),
      };
    case 'redirected':
      return {
        label: vscode.l10n.t('{0} redirected the request', hostName(failure.host)),
        description: vscode.l10n.t('Click to fix'),
        tooltip:
          failure.targetOrigin === undefined
            ? vscode.l10n.t('Listing {0} failed because {1} redirected the request. The datastack.host setting may be wrong.', what, hostName(failure.host))
            : vscode.l10n.t(
                'Listing {0} failed because {1} redirected the request to {2}. The datastack.host setting may be wrong.',
                what,
                hostName(failure.host),
                failure.targetOrigin,
              ),
      };
    case 'cancelled':
    case 'unexpected':
      return {
        label: vscode.l10n.t('Could not load {0}', what),
        description: vscode.l10n.t('Retry'),
        tooltip: vscode.l10n.t('The log has the details. Click to retry.'),
      };
  }
}
