import * as vscode from 'vscode';
import { MAX_WEBHOOKS_PER_TEAM, MTYPE_BY_FORMAT, type Webhook, type WebhookFormat } from '../../../penpot/types';
import type { SignedInAccount } from '../../account/account';
import { pickStep, runSteps, type StepOutcome } from '../../common/quickInput';
import {
  isWebhookQuotaReached, quotaReachedMessage, roleLabel, webhookDescription, webhookLabel, webhookQuotaText,
} from '../../presentation';
import {
  CANCELLED, failure, isOptions, NOT_SIGNED_IN, requireSignedIn, type CommandResult, type Services,
} from '../../services';
import { TeamNode, type TeamEntry } from '../../views/nodes';
import { webhookFailure, withBusy } from './shared';
import { checkDraft, isUrlRejection, webhookDetailSteps, type WebhookDraft } from './webhookForm';
import { Command } from '../../registry';
import { registerCommand } from '../../common/commands';

/** `penpot.webhook.create` options from code: all given means no prompts; `teamId` alone preselects the team. */
export interface CreateWebhookOptions {
  teamId: string;
  uri: string;
  format: WebhookFormat;
  isActive: boolean;
}

export type CreateWebhookResult = CommandResult<{ webhookId: string }>;

const COMPONENT = 'webhook.create';
const TITLE = 'Create Webhook';

export interface TeamItem extends vscode.QuickPickItem {
  entry: TeamEntry;
  /** The team has Penpot's most webhooks: picking it cannot create one. */
  full: boolean;
}

/** The team pick of every flow that creates a webhook (Create, Register Receiver): count, role, full teams marked. */
export function teamItems(entries: readonly TeamEntry[]): TeamItem[] {
  return entries.map((entry) => {
    const count = entry.webhooks?.length;
    const full = count !== undefined && isWebhookQuotaReached(count);
    return {
      entry,
      full,
      label: entry.team.name,
      description: `${count === undefined ? '?' : webhookQuotaText(count)} webhooks · ${roleLabel(entry.team)}`,
      ...(full ? { detail: `$(circle-slash) Full: Penpot allows ${MAX_WEBHOOKS_PER_TEAM} webhooks per team` } : {}),
    };
  });
}

function quotaProblem(entry: TeamEntry): string | undefined {
  return entry.webhooks && isWebhookQuotaReached(entry.webhooks.length) ? quotaReachedMessage(entry.team.name) : undefined;
}

async function submit(account: SignedInAccount, entry: TeamEntry, draft: WebhookDraft): Promise<Webhook> {
  return withBusy(`Creating the webhook; Penpot first checks that ${webhookLabel(draft.uri)} answers…`, () =>
    account.api.createWebhook({
      teamId: entry.team.id, uri: draft.uri, mtype: MTYPE_BY_FORMAT[draft.format], isActive: draft.isActive,
    }));
}

async function created(services: Services, entry: TeamEntry, webhook: Webhook): Promise<CreateWebhookResult> {
  services.log.info(COMPONENT, `created webhook ${webhook.id} in ${entry.team.name}`);
  await services.teams.refreshTeam(entry.team.id);
  void vscode.window.showInformationMessage(
    `Webhook created in ${entry.team.name}: ${webhookLabel(webhook.uri)} (${webhookDescription(webhook)}).`);
  return { ok: true, webhookId: webhook.id };
}

async function createFromOptions(services: Services, account: SignedInAccount, options: Partial<CreateWebhookOptions>): Promise<CreateWebhookResult> {
  const entry = services.teams.findTeam(String(options.teamId));
  if (!entry) return failure(services, COMPONENT, `No team with id ${String(options.teamId)} among your Penpot teams.`);
  const draft: WebhookDraft = { uri: String(options.uri ?? ''), format: options.format ?? 'json', isActive: options.isActive ?? true };
  const problem = checkDraft(draft) ?? quotaProblem(entry);
  if (problem) return failure(services, COMPONENT, problem);
  try {
    return await created(services, entry, await submit(account, entry, draft));
  } catch (error) {
    return webhookFailure(services, COMPONENT, 'create the webhook', entry.team.id, error);
  }
}

async function createInteractively(services: Services, account: SignedInAccount, preselected?: TeamEntry): Promise<CreateWebhookResult> {
  let entry = preselected;
  if (entry) {
    const problem = quotaProblem(entry);
    if (problem) return failure(services, COMPONENT, problem);
  }
  const draft: WebhookDraft = { uri: '', format: 'json', isActive: true };
  const withTeamStep = !entry;
  const totalSteps = withTeamStep ? 4 : 3;
  const teamStep = async (): Promise<StepOutcome> => {
    const items = teamItems(services.teams.entries);
    if (items.length === 0) {
      void failure(services, COMPONENT, 'No Penpot teams are loaded; refresh the Teams view.');
      return 'cancel';
    }
    return pickStep({
      title: TITLE, step: 1, totalSteps, placeholder: 'Team whose events the webhook receives', items,
      active: items.find((i) => i.entry === entry),
    }, (picked) => {
      const problem = quotaProblem(picked.entry);
      if (problem) {
        void vscode.window.showWarningMessage(problem);
        return 'back';
      }
      entry = picked.entry;
      return 'next';
    });
  };
  let urlError: string | undefined;
  let firstAttempt = true;
  for (;;) {
    const detailSteps = webhookDetailSteps(TITLE, withTeamStep ? 2 : 1, totalSteps, draft, urlError);
    const steps = firstAttempt && withTeamStep ? [teamStep, ...detailSteps] : detailSteps;
    firstAttempt = false;
    if (!(await runSteps(steps)) || !entry) return CANCELLED;
    try {
      return await created(services, entry, await submit(account, entry, draft));
    } catch (error) {
      // Penpot's verdict on the URL goes back under the URL field, in Penpot's words, to fix and retry.
      if (!isUrlRejection(error)) return webhookFailure(services, COMPONENT, 'create the webhook', entry.team.id, error);
      urlError = error.message;
      services.log.warn(COMPONENT, urlError);
    }
  }
}

export function registerCreateWebhook(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(registerCommand(Command.createWebhook, async (arg?: unknown): Promise<CreateWebhookResult> => {
    const account = requireSignedIn(services, COMPONENT);
    if (!account) return NOT_SIGNED_IN;
    await services.teams.ensureLoaded();
    if (arg instanceof TeamNode) return createInteractively(services, account, services.teams.findTeam(arg.entry.team.id));
    if (isOptions<CreateWebhookOptions>(arg)) {
      if (arg.uri !== undefined) return createFromOptions(services, account, arg);
      if (typeof arg.teamId === 'string') {
        const entry = services.teams.findTeam(arg.teamId);
        if (!entry) return failure(services, COMPONENT, `No team with id ${arg.teamId} among your Penpot teams.`);
        return createInteractively(services, account, entry);
      }
    }
    return createInteractively(services, account);
  }));
}
