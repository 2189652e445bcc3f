import * as vscode from 'vscode';
import { MTYPE_BY_FORMAT, type Webhook, type WebhookFormat } from '../../../penpot/types';
import { runSteps } from '../../common/quickInput';
import { webhookDescription, webhookLabel } from '../../presentation';
import { CANCELLED, failure, isOptions, type CommandResult, type Services } from '../../services';
import { isTarget, resolveWebhook, webhookFailure, withBusy, type WebhookRef, type WebhookTarget } from './shared';
import { checkDraft, formatOf, isUrlRejection, webhookDetailSteps, type WebhookDraft } from './webhookForm';
import { Command } from '../../registry';
import { registerCommand } from '../../common/commands';

/** `penpot.webhook.edit` options from code: any of uri / format / isActive given means no prompts. */
export interface EditWebhookOptions extends WebhookRef {
  uri?: string;
  format?: WebhookFormat;
  isActive?: boolean;
}

export type WebhookResult = CommandResult<{ webhookId: string }>;

const COMPONENT = 'webhook.edit';

/**
 * Sends the full set of fields: update-webhook has no partial form (§3.7). It also clears the error count, and
 * Penpot only re-checks the URL when it changed (§3.6).
 */
export async function saveWebhook(services: Services, target: WebhookTarget, draft: WebhookDraft): Promise<Webhook> {
  const { account, webhook } = target;
  const title = draft.uri === webhook.uri
    ? `Saving ${webhookLabel(draft.uri)}…`
    : `Saving the webhook; Penpot first checks that ${webhookLabel(draft.uri)} answers…`;
  const updated = await withBusy(title, () => account.api.updateWebhook({
    id: webhook.id, uri: draft.uri, mtype: MTYPE_BY_FORMAT[draft.format], isActive: draft.isActive,
  }));
  services.log.info(COMPONENT, `updated webhook ${webhook.id}: ${webhookDescription(updated)}`);
  await services.teams.refreshTeam(target.entry.team.id);
  return updated;
}

function draftOf(webhook: Webhook): WebhookDraft {
  return { uri: webhook.uri, format: formatOf(webhook.mtype), isActive: webhook.isActive };
}

async function editInteractively(services: Services, target: WebhookTarget): Promise<WebhookResult> {
  const draft = draftOf(target.webhook);
  const title = `Edit Webhook ${webhookLabel(target.webhook.uri)}`;
  let urlError: string | undefined;
  for (;;) {
    if (!(await runSteps(webhookDetailSteps(title, 1, 3, draft, urlError)))) return CANCELLED;
    try {
      const updated = await saveWebhook(services, target, draft);
      void vscode.window.showInformationMessage(`Webhook saved: ${webhookLabel(updated.uri)} (${webhookDescription(updated)}).`);
      return { ok: true, webhookId: updated.id };
    } catch (error) {
      if (!isUrlRejection(error)) return webhookFailure(services, COMPONENT, 'save the webhook', target.entry.team.id, error);
      urlError = error.message;
      services.log.warn(COMPONENT, urlError);
    }
  }
}

export function registerEditWebhook(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(registerCommand(Command.editWebhook, async (arg?: unknown): Promise<WebhookResult> => {
    const target = await resolveWebhook(services, COMPONENT, arg);
    if (!isTarget(target)) return target;
    if (isOptions<EditWebhookOptions>(arg) && (arg.uri !== undefined || arg.format !== undefined || arg.isActive !== undefined)) {
      const draft = { ...draftOf(target.webhook), ...definedFields(arg) };
      const problem = checkDraft(draft);
      if (problem) return failure(services, COMPONENT, problem);
      try {
        const updated = await saveWebhook(services, target, draft);
        return { ok: true, webhookId: updated.id };
      } catch (error) {
        return webhookFailure(services, COMPONENT, 'save the webhook', target.entry.team.id, error);
      }
    }
    return editInteractively(services, target);
  }));
}

function definedFields(options: Partial<EditWebhookOptions>): Partial<WebhookDraft> {
  const fields: Partial<WebhookDraft> = {};
  if (options.uri !== undefined) fields.uri = String(options.uri).trim();
  if (options.format !== undefined) fields.format = options.format;
  if (options.isActive !== undefined) fields.isActive = options.isActive;
  return fields;
}
