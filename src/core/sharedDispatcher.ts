/**
 * The one undici dispatcher of the extension's API and token requests, built from VS Code's proxy
 * settings, the proxy variables and `datastack.caCertificates`. It is built on first use, because building
 * it loads undici, which activation must not load. After that it follows every change of those settings.
 */
import type { Dispatcher } from 'undici';
import * as vscode from 'vscode';
import { CertificateFileError, InvalidProxySettingError } from '../api/errors';
import type { NetworkDispatcher, NetworkOptions } from '../api/network/index';
import { onDidChangeNetworkOptions, readNetworkOptions } from './networkSettings';

/** What the dispatcher needs from VS Code; tests replace `notify`. */
export interface SharedDispatcherDependencies {
  readonly log: vscode.LogOutputChannel;
  /** Shows a settings problem; default an error notification with an "Open Settings" button. */
  readonly notify?: (message: string, setting: string | undefined) => void;
}

/** Options without proxies and extra CAs: direct connections that trust Node's bundled roots only. */
const DEFAULT_OPTIONS: NetworkOptions = { proxyStrictSSL: true, env: {} };

export class SharedDispatcher implements vscode.Disposable {
  private dispatcher: NetworkDispatcher | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly dependencies: SharedDispatcherDependencies) {
    this.subscription = onDidChangeNetworkOptions((options) => this.apply(options));
  }

  /**
   * Returns the dispatcher, building it on the first call. An invalid proxy or CA setting is reported and
   * left out (no proxy, or no extra CAs) until it is fixed.
   */
  get(): Dispatcher {
    if (this.dispatcher === undefined) {
      // Loaded here, not at the top: the module loads undici.
      const { NetworkDispatcher } = require('../api/network/index') as typeof import('../api/network/index');
      this.applyValid(readNetworkOptions(), (options) => {
        this.dispatcher = NetworkDispatcher.create(options);
      });
    }
    return this.dispatcher as NetworkDispatcher;
  }

  dispose(): void {
    this.subscription.dispose();
    const dispatcher = this.dispatcher;
    this.dispatcher = undefined;
    void dispatcher?.close().catch((error: unknown) => {
      this.dependencies.log.warn(`[network] closing the dispatcher failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /** Applies changed settings to the dispatcher built already. */
  private apply(options: NetworkOptions): void {
    const dispatcher = this.dispatcher;
    if (dispatcher === undefined) {
      return; // The first `get()` reads the settings then.
    }
    this.applyValid(options, (valid) => dispatcher.update(valid));
    this.dependencies.log.info('[network] proxy and certificate settings applied');
  }

  /**
   * Runs `use` with `options`; each time it throws for an invalid setting, reports it and runs it again
   * without that part. Both parts dropped leave {@link DEFAULT_OPTIONS}, which cannot be invalid.
   */
  private applyValid(options: NetworkOptions, use: (options: NetworkOptions) => void): void {
    let current = options;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        use(current);
        return;
      } catch (error) {
        this.report(error);
        current = withoutInvalidPart(current, error);
      }
    }
    use(DEFAULT_OPTIONS);
  }

  /** Tells the user about an invalid setting; rethrows any other error. */
  private report(error: unknown): void {
    let message: string;
    let setting: string | undefined;
    if (error instanceof InvalidProxySettingError) {
      message = vscode.l10n.t('The proxy in {0} is invalid: {1}. DataStack does not use it until it is fixed.', error.source, error.reason);
      setting = error.source.startsWith('http.') ? error.source : undefined;
    } else if (error instanceof CertificateFileError) {
      message = vscode.l10n.t(
        'The CA certificate file {0} from {1} {2}. DataStack does not use the extra certificates until it is fixed.',
        error.path,
        error.source,
        error.reason,
      );
      setting = error.source.startsWith('datastack.') ? error.source : undefined;
    } else {
      throw error;
    }
    this.dependencies.log.error(`[network] ${error.message}`);
    (this.dependencies.notify ?? showSettingProblem)(message, setting);
  }
}

/** Returns `options` without the proxies (for a proxy error) or without the extra CA files (otherwise). */
function withoutInvalidPart(options: NetworkOptions, error: unknown): NetworkOptions {
  if (error instanceof InvalidProxySettingError) {
    return { ...options, proxySupport: 'off' };
  }
  return { ...options, caCertificatePaths: [], env: { ...options.env, NODE_EXTRA_CA_CERTS: undefined } };
}

function showSettingProblem(message: string, setting: string | undefined): void {
  if (setting === undefined) {
    void vscode.window.showErrorMessage(message);
    return;
  }
  const openSettings = vscode.l10n.t('Open Settings');
  void vscode.window.showErrorMessage(message, openSettings).then((choice) => {
    if (choice === openSettings) {
      void vscode.commands.executeCommand('workbench.action.openSettings', setting);
    }
  });
}
