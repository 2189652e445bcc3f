import * as vscode from 'vscode';
import { confirmModal } from '../../common/confirm';
import { webhookLabel } from '../../presentation';
import { CANCELLED, isOptions, type CommandResult, type Services } from '../../services';
import { isTarget, resolveWebhook, webhookFailure, withBusy, type WebhookRef } from './shared';
import { Command } from '../../registry';
import { registerCommand } from '../../common/commands';

/** `{ confirm: true }` skips the confirmation; only code can pass it. */
export interface DeleteWebhookOptions extends WebhookRef {
  confirm?: boolean;
}

const COMPONENT = 'webhook.delete';

export function registerDeleteWebhook(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(registerCommand(Command.deleteWebhook, (arg?: unknown) => deleteWebhook(services, arg)));
}

/** Deletes a webhook (a Teams view row, or `{ webhookId }` from code), after the confirmation unless `confirm`. */
export async function deleteWebhook(services: Services, arg: unknown): Promise<CommandResult> {
  const target = await resolveWebhook(services, COMPONENT, arg);
  if (!isTarget(target)) return target;
  const { account, entry, webhook } = target;
  const confirmed = isOptions<DeleteWebhookOptions>(arg) && arg.confirm === true;
  if (!confirmed) {
    const accepted = await confirmModal(
      `Delete the webhook ${webhookLabel(webhook.uri)} of ${entry.team.name}?`,
      `Penpot stops sending events to ${webhook.uri}. This cannot be undone.`,
      'Delete Webhook',
    );
    if (!accepted) return CANCELLED;
  }
  try {
    await withBusy(`Deleting ${webhookLabel(webhook.uri)}…`, () => account.api.deleteWebhook(webhook.id));
  } catch (error) {
    return webhookFailure(services, COMPONENT, 'delete the webhook', entry.team.id, error);
  }
  services.log.info(COMPONENT, `deleted webhook ${webhook.id} of ${entry.team.name}`);
  await services.teams.refreshTeam(entry.team.id);
  void vscode.window.setStatusBarMessage(`$(trash) Webhook ${webhookLabel(webhook.uri)} deleted`, 5000);
  return { ok: true };
}
