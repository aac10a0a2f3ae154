/**
 * Reads the network settings from VS Code for the vscode-free {@link NetworkDispatcher}: `http.proxy`,
 * `http.proxyStrictSSL`, `http.proxyAuthorization`, `http.noProxy`, `http.proxySupport` and
 * `datastack.caCertificates`, plus the proxy and CA variables of the extension host's environment.
 */
import * as vscode from 'vscode';
import type { NetworkOptions } from '../api/network/index';

/** The settings whose change rebuilds the dispatcher. */
export const NETWORK_SETTINGS: readonly string[] = [
  'http.proxy',
  'http.proxyStrictSSL',
  'http.proxyAuthorization',
  'http.noProxy',
  'http.proxySupport',
  'datastack.caCertificates',
];

/** The environment variables the dispatcher reads; nothing else of the environment is passed on. */
const NETWORK_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'NODE_EXTRA_CA_CERTS'];

/** Returns the current network options; `env` defaults to the extension host's environment. */
export function readNetworkOptions(env: NodeJS.ProcessEnv = process.env): NetworkOptions {
  const http = vscode.workspace.getConfiguration('http');
  const datastack = vscode.workspace.getConfiguration('datastack');
  const proxyUrl = http.get<string>('proxy', '');
  const proxyAuthorization = http.get<string | null>('proxyAuthorization', null);
  const proxySupport = http.get<string>('proxySupport', 'override');

  return {
    ...(proxyUrl.trim() !== '' ? { proxyUrl } : {}),
    proxyStrictSSL: http.get<boolean>('proxyStrictSSL', true),
    ...(typeof proxyAuthorization === 'string' && proxyAuthorization !== '' ? { proxyAuthorization } : {}),
    noProxy: stringArray(http.get<unknown>('noProxy', [])),
    ...(proxySupport === 'off' ? { proxySupport: 'off' as const } : {}),
    env: Object.fromEntries(NETWORK_VARIABLES.map((name) => [name, env[name]])),
    caCertificatePaths: stringArray(datastack.get<unknown>('caCertificates', [])),
  };
}

/** Fires with fresh options when one of {@link NETWORK_SETTINGS} changes. */
export const onDidChangeNetworkOptions: vscode.Event<NetworkOptions> = (listener, thisArgs, disposables) =>
  vscode.workspace.onDidChangeConfiguration(
    (event) => {
      if (NETWORK_SETTINGS.some((setting) => event.affectsConfiguration(setting))) {
        listener.call(thisArgs, readNetworkOptions());
      }
    },
    undefined,
    disposables,
  );

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
