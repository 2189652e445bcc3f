import * as vscode from 'vscode';
import { escapeMarkdown } from './views/nodes';
import { serverLabel } from './presentation';
import type { Services } from './services';
import { Command } from './registry';

/** Who is signed in where (or that nobody is); a click opens the account actions. */
export function registerStatusBar(context: vscode.ExtensionContext, services: Services): void {
  const item = vscode.window.createStatusBarItem('penpot.account', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Penpot Account';
  item.command = Command.accountActions;
  const update = () => {
    const signedIn = services.account.signedIn;
    const where = serverLabel(services.account.serverUrl);
    if (signedIn) {
      item.text = `$(account) Penpot: ${signedIn.profile.fullname}`;
      const email = signedIn.profile.email ? ` (${escapeMarkdown(signedIn.profile.email)})` : '';
      item.tooltip = new vscode.MarkdownString(
        `Signed in to Penpot at **${escapeMarkdown(where)}** as **${escapeMarkdown(signedIn.profile.fullname)}**${email}\n\nClick for account actions`);
    } else {
      item.text = '$(account) Penpot: Signed Out';
      item.tooltip = `Not signed in to Penpot at ${where}. Click to sign in.`;
    }
    item.accessibilityInformation = { label: item.text.replace('$(account) ', '') };
  };
  update();
  item.show();
  context.subscriptions.push(item, services.account.onDidChange(update));
}
