import * as vscode from 'vscode';
import { serverLabel } from '../presentation';
import type { Services } from '../services';

interface ActionItem extends vscode.QuickPickItem {
  command: string;
}

/** What the status bar item opens: the account actions that make sense in the current state. */
export function registerAccountActions(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(vscode.commands.registerCommand('penpot.accountActions', async () => {
    const { account } = services;
    const signedIn = account.signedIn;
    const where = serverLabel(account.serverUrl);
    const items: ActionItem[] = signedIn
      ? [
        { label: '$(refresh) Refresh', description: 'Reload teams, webhooks and access tokens', command: 'penpot.refresh' },
        { label: '$(key) Create Access Token…', command: 'penpot.token.create' },
        { label: '$(sign-in) Sign In with Another Token or Server…', command: 'penpot.signIn' },
        { label: '$(sign-out) Sign Out', description: where, command: 'penpot.signOut' },
        { label: '$(output) Show Log', command: 'penpot.showLog' },
      ]
      : [
        { label: '$(sign-in) Sign In…', description: where, command: 'penpot.signIn' },
        { label: '$(output) Show Log', command: 'penpot.showLog' },
      ];
    const title = signedIn
      ? `Penpot: ${signedIn.profile.fullname} at ${serverLabel(signedIn.serverUrl)}`
      : `Penpot: signed out (${where})`;
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Choose an account action' });
    if (picked) await vscode.commands.executeCommand(picked.command);
  }));
}
