import * as vscode from 'vscode';
import { serverLabel } from '../presentation';
import type { Services } from '../services';
import { Command, type CommandId } from '../registry';
import { executeCommand, registerCommand } from '../common/commands';

interface ActionItem extends vscode.QuickPickItem {
  command: CommandId;
}

/** What the status bar item opens: the account actions that make sense in the current state. */
export function registerAccountActions(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(registerCommand(Command.accountActions, async () => {
    const { account } = services;
    const signedIn = account.signedIn;
    const where = serverLabel(account.serverUrl);
    const items: ActionItem[] = signedIn
      ? [
        { label: '$(refresh) Refresh', description: 'Reload teams, webhooks and access tokens', command: Command.refresh },
        { label: '$(key) Create Access Token…', command: Command.createToken },
        { label: '$(sign-in) Sign In with Another Token or Server…', command: Command.signIn },
        { label: '$(sign-out) Sign Out', description: where, command: Command.signOut },
        { label: '$(output) Show Log', command: Command.showLog },
      ]
      : [
        { label: '$(sign-in) Sign In…', description: where, command: Command.signIn },
        { label: '$(output) Show Log', command: Command.showLog },
      ];
    const title = signedIn
      ? `Penpot: ${signedIn.profile.fullname} at ${serverLabel(signedIn.serverUrl)}`
      : `Penpot: signed out (${where})`;
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Choose an account action' });
    // The action is chosen from data (the pick), so it runs by its command id.
    if (picked) await executeCommand(picked.command);
  }));
}
