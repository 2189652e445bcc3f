import * as vscode from 'vscode';
import type { Services } from '../../services';
import { WEBHOOKS_FILE_GLOB } from './shared';
import { Command } from '../../registry';

/** Plan, Apply and Export above the first line of every webhooks file. */
class WebhooksFileLenses implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: '$(diff) Plan', tooltip: 'Show the changes this file would make in Penpot', command: Command.planWebhooksFile, arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: '$(cloud-upload) Apply…', tooltip: 'Make Penpot match this file (asks first)', command: Command.applyWebhooksFile, arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: '$(cloud-download) Export from Penpot', tooltip: 'Replace this file with the current webhooks', command: Command.exportWebhooksFile, arguments: [document.uri] }),
    ];
  }
}

export function registerWebhooksFileCodeLens(context: vscode.ExtensionContext, _services: Services): void {
  context.subscriptions.push(vscode.languages.registerCodeLensProvider({ pattern: WEBHOOKS_FILE_GLOB }, new WebhooksFileLenses()));
}
