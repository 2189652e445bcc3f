import * as vscode from 'vscode';
import { registerCommand } from './common/commands';
import { setContext } from './common/contextKeys';
import type { ReceiverTreeProvider } from './receiver/receiverView';
import { Command, ContextKey } from './registry';
import type { Services } from './services';
import { openBareWebview } from './viewer/barePanel';

/**
 * Returned by `activate()`. Meant for the integration tests (tree contents cannot be read through VS Code's API),
 * not as a public API; no token is reachable through it.
 */
export interface PenpotIntegrationsApi {
  /** How long `activate()` took, in milliseconds (reported by the smoke suite). */
  readonly activationMs: number;
  /** Settles once the stored session has been read (activation does not wait for it). */
  readonly accountLoaded: Promise<void>;
  readonly teams: Services['teams'];
  readonly tokens: Services['tokens'];
  /** The Receiver view's rows (status, URL, forward, the webhooks that deliver to it, events). */
  readonly receiverView: ReceiverTreeProvider;
  /** Server and profile of the signed-in account, without the client or token. */
  signedIn(): { serverUrl: string; fullname: string; email?: string; tokenId?: string } | undefined;
  /** Every key and value in this extension's globalState, to check no token ends up there. */
  globalState(): Array<[string, unknown]>;
  /** The folder VS Code writes this extension's logs into (the "Penpot" channel's file is below it). */
  readonly logUri: vscode.Uri;
  /** This extension's global storage folder (inside the user data folder, next to settings.json). */
  readonly globalStorageUri: vscode.Uri;
}

export function createTestApi(
  services: Services,
  receiverView: ReceiverTreeProvider,
  activationMs: number,
  accountLoaded: Promise<void>,
): PenpotIntegrationsApi {
  const { context } = services;
  return {
    activationMs,
    accountLoaded,
    teams: services.teams,
    tokens: services.tokens,
    receiverView,
    signedIn() {
      const account = services.account.signedIn;
      if (!account) return undefined;
      const { serverUrl, profile, tokenId } = account;
      return { serverUrl, fullname: profile.fullname, ...(profile.email ? { email: profile.email } : {}), ...(tokenId ? { tokenId } : {}) };
    },
    globalState: () => context.globalState.keys().map((key) => [key, context.globalState.get(key)]),
    logUri: context.logUri,
    globalStorageUri: context.globalStorageUri,
  };
}

/**
 * Commands for the tests and the bench only (bench/viewer.ts runs them from the palette, as a user runs the
 * viewer's): registered, and shown in the palette, when the extension runs from its folder (tests, bench,
 * development), never when installed from a .vsix.
 */
export function registerBenchCommands(services: Services): void {
  const { context } = services;
  if (context.extensionMode === vscode.ExtensionMode.Production) return;
  context.subscriptions.push(registerCommand(Command.openBareWebview, () => openBareWebview(services)));
  void setContext(ContextKey.benchCommands, true);
}
