import type * as vscode from 'vscode';
import type { CommandResult, Services } from '../services';
import { Command } from '../registry';
import { registerCommand } from '../common/commands';

/** Reloads both views; their failures show inside the views, not as pop-ups. */
export function registerRefresh(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(registerCommand(Command.refresh, async (): Promise<CommandResult> => {
    services.log.info('refresh', 'reloading teams, webhooks and access tokens');
    await services.account.reload();
    await Promise.all([services.teams.refresh(), services.tokens.refresh()]);
    return { ok: true };
  }));
}
