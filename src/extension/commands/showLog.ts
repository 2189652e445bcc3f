import * as vscode from 'vscode';
import type { Services } from '../services';

export function registerShowLog(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(vscode.commands.registerCommand('penpot.showLog', () => services.log.show()));
}
