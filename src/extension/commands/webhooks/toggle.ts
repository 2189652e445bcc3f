import * as vscode from 'vscode';
import { isOptions, type Services } from '../../services';
import { webhookDescription, webhookLabel } from '../../presentation';
import { saveWebhook, type WebhookResult } from './edit';
import { isTarget, resolveWebhook, webhookFailure, type WebhookRef } from './shared';
import type { WebhookNode } from '../../views/nodes';
import { formatOf } from './webhookForm';
import { Command } from '../../registry';
import { registerCommand } from '../../common/commands';

/** `penpot.webhook.toggle` options from code; without `isActive` the state flips. */
export interface ToggleWebhookOptions extends WebhookRef {
  isActive?: boolean;
}

type Wanted = 'flip' | 'enable' | 'disable' | 'reenable';

/**
 * Switches a webhook on or off with update-webhook. Re-enable is the same call on a webhook Penpot switched off
 * after 3 failed deliveries: the update also resets its error count (§3.7).
 */
async function setActive(services: Services, component: string, arg: unknown, wanted: Wanted): Promise<WebhookResult> {
  const target = await resolveWebhook(services, component, arg);
  if (!isTarget(target)) return target;
  const { webhook } = target;
  let isActive = wanted === 'flip' ? !webhook.isActive : wanted !== 'disable';
  if (wanted === 'flip' && isOptions<ToggleWebhookOptions>(arg) && typeof arg.isActive === 'boolean') isActive = arg.isActive;
  try {
    const updated = await saveWebhook(services, target, { uri: webhook.uri, format: formatOf(webhook.mtype), isActive });
    const what = wanted === 'reenable'
      ? 'Webhook re-enabled and its error count reset'
      : `Webhook ${updated.isActive ? 'enabled' : 'disabled'}`;
    void vscode.window.setStatusBarMessage(`$(check) ${what}: ${webhookLabel(updated.uri)} (${webhookDescription(updated)})`, 5000);
    return { ok: true, webhookId: updated.id };
  } catch (error) {
    const action = wanted === 'reenable' ? 're-enable the webhook' : `${isActive ? 'enable' : 'disable'} the webhook`;
    return webhookFailure(services, component, action, target.entry.team.id, error);
  }
}

export function registerToggleWebhook(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(
    registerCommand(Command.toggleWebhook, (arg?: unknown) => setActive(services, 'webhook.toggle', arg, 'flip')),
    // Menu entries with titles that say what happens; same action as toggle.
    registerCommand(Command.enableWebhook, (arg?: unknown) => setActive(services, 'webhook.enable', arg, 'enable')),
    registerCommand(Command.disableWebhook, (arg?: unknown) => setActive(services, 'webhook.disable', arg, 'disable')),
  );
}

/** Switches a webhook off (a Teams view row, or `{ webhookId }` from code), as its Disable menu entry does. */
export function disableWebhook(services: Services, ref: WebhookNode | WebhookRef): Promise<WebhookResult> {
  return setActive(services, 'webhook.disable', ref, 'disable');
}

export function registerReenableWebhook(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(
    registerCommand(Command.reenableWebhook, (arg?: unknown) => setActive(services, 'webhook.reenable', arg, 'reenable')),
  );
}
