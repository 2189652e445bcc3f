import * as vscode from 'vscode';
import { normalizeServerUrl, serverLabel } from '../presentation';
import { isOptions, type CommandResult, type Services } from '../services';
import { Command } from '../registry';
import { registerCommand } from '../common/commands';

export function registerSignOut(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(registerCommand(Command.signOut, async (options?: unknown): Promise<CommandResult> => {
    const { account } = services;
    let serverUrl = account.serverUrl;
    if (isOptions<{ serverUrl: string }>(options) && typeof options.serverUrl === 'string') {
      const checked = normalizeServerUrl(options.serverUrl);
      if ('error' in checked) return { ok: false, message: checked.error };
      serverUrl = checked.url;
    }
    if (serverUrl === account.serverUrl && !account.signedIn) {
      const message = `You are not signed in to Penpot at ${serverLabel(serverUrl)}.`;
      void vscode.window.showInformationMessage(message);
      return { ok: false, message };
    }
    await account.signOut(serverUrl);
    // The token itself stays valid in Penpot: signing out only forgets it here.
    void vscode.window.showInformationMessage(`Signed out of Penpot at ${serverLabel(serverUrl)}.`);
    return { ok: true };
  }));
}
