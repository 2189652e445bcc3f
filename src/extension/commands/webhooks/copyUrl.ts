import * as vscode from 'vscode';
import { failure, isOptions, type CommandResult, type Services } from '../../services';
import { WebhookNode } from '../../views/nodes';
import type { WebhookRef } from './shared';
import { Command } from '../../registry';
import { registerCommand } from '../../common/commands';

const COMPONENT = 'webhook.copyUrl';

/** Copies the full payload URL. Reading is allowed to every team member, so no permission check (§3.4). */
export function registerCopyWebhookUrl(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(registerCommand(Command.copyWebhookUrl, async (arg?: unknown): Promise<CommandResult<{ uri: string }>> => {
    let uri: string | undefined;
    if (arg instanceof WebhookNode) uri = arg.webhook.uri;
    else if (isOptions<WebhookRef>(arg) && typeof arg.webhookId === 'string') uri = services.teams.findWebhook(arg.webhookId)?.webhook.uri;
    if (!uri) return failure(services, COMPONENT, 'Choose a webhook in the Teams view of the Penpot sidebar.');
    await vscode.env.clipboard.writeText(uri);
    void vscode.window.setStatusBarMessage('$(copy) Webhook URL copied', 3000);
    return { ok: true, uri };
  }));
}
