import type * as vscode from 'vscode';
import type { Services } from '../services';
import { Command } from '../registry';
import { registerCommand } from '../common/commands';

export function registerShowLog(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(registerCommand(Command.showLog, () => services.log.show()));
}
