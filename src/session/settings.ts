/** The settings sign-in reads, from `datastack.*` in the user's configuration. */
import * as vscode from 'vscode';
import { DEFAULT_TIMEOUT_MS } from '../api/client';
import { DEFAULT_SSO_SCOPES, type Scope, isScope } from '../api/operations';
import type { OAuthSettings } from './ssoFlow';

export interface SessionSettings {
  /** `datastack.host`, not yet validated. */
  host(): string;
  requestTimeoutMs(): number;
  oauth(): OAuthSettings;
  /** `datastack.oauth.scopes` without unknown entries; the view scopes when none is left. */
  ssoScopes(): Scope[];
}

const DEFAULT_HOST = 'https://api.datastack.cloud';

export function readSessionSettings(log: Pick<vscode.LogOutputChannel, 'warn'>): SessionSettings {
  const section = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('datastack');
  return {
    host: () => section().get<string>('host') ?? DEFAULT_HOST,
    requestTimeoutMs: () => {
      const seconds = section().get<number>('requestTimeoutSeconds');
      return typeof seconds === 'number' && seconds > 0 ? seconds * 1000 : DEFAULT_TIMEOUT_MS;
    },
    oauth: () => ({
      authorizationUrl: section().get<string>('oauth.authorizationUrl') ?? 'https://accounts.datastack.cloud/oauth2/authorize',
      tokenUrl: section().get<string>('oauth.tokenUrl') ?? 'https://accounts.datastack.cloud/oauth2/token',
      clientId: section().get<string>('oauth.clientId') ?? 'datastack-vscode',
      audience: section().get<string>('oauth.audience') ?? DEFAULT_HOST,
    }),
    ssoScopes: () => {
      const configured = section().get<unknown>('oauth.scopes');
      const values = Array.isArray(configured) ? configured : [];
      const unknown = values.filter((value) => !isScope(value));
      if (unknown.length > 0) {
        log.warn(`[auth] datastack.oauth.scopes lists unknown scopes, ignored: ${unknown.map(String).join(', ')}`);
      }
      const scopes = values.filter(isScope);
      return scopes.length > 0 ? scopes : [...DEFAULT_SSO_SCOPES];
    },
  };
}
