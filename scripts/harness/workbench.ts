// URLs that make code-server's web workbench load the extension under development (and optionally run tests).
import type { CodeServer } from './codeServer';

export interface WorkbenchUrlOptions {
  folder: string;
  /** Absolute path of the extension to load as a development extension. */
  extensionDevelopmentPath?: string;
  /** Absolute path of a compiled test index whose exported `run()` the extension host calls. */
  extensionTestsPath?: string;
}

/**
 * Builds `http://127.0.0.1:<port>/?folder=<dir>&payload=<json>`. The payload contains the same options as
 * desktop VS Code's `--extensionDevelopmentPath` and `--extensionTestsPath`, as `vscode-remote://` URIs
 * of the server's file system.
 */
export function workbenchUrl(server: CodeServer, options: WorkbenchUrlOptions): string {
  const remote = (path: string) => `vscode-remote://${server.authority}${path}`;
  const payload: [string, string][] = [];
  if (options.extensionDevelopmentPath !== undefined) {
    payload.push(['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)]);
  }
  if (options.extensionTestsPath !== undefined) {
    payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  }
  const url = new URL(server.url);
  url.searchParams.set('folder', options.folder);
  if (payload.length > 0) {
    url.searchParams.set('payload', JSON.stringify(payload));
  }
  return url.toString();
}
