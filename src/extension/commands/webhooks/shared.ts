import * as vscode from 'vscode';
import { isPenpotError } from '../../../penpot/errors';
import { canModifyWebhook, type Webhook } from '../../../penpot/types';
import type { SignedInAccount } from '../../account/account';
import { roleLabel, webhookLabel } from '../../presentation';
import { failure, isOptions, NOT_SIGNED_IN, requireSignedIn, type Failure, type Services } from '../../services';
import { errorMessage } from '../../../common/errors';
import { WebhookNode, type TeamEntry } from '../../views/nodes';

export interface WebhookTarget {
  account: SignedInAccount;
  entry: TeamEntry;
  webhook: Webhook;
}

/** Options every webhook item command accepts from code instead of a tree item. */
export interface WebhookRef {
  webhookId: string;
}

/**
 * The webhook a command acts on: the tree item it was run on, or `{ webhookId }` from code. Fails (with the message
 * shown) when signed out, when the webhook is not in the loaded teams, or when the user may not modify it: Penpot
 * lets only the team's editors and the webhook's creator change it (§3.7), so it is checked before asking Penpot.
 */
export async function resolveWebhook(services: Services, component: string, arg: unknown): Promise<WebhookTarget | Failure> {
  const account = requireSignedIn(services, component);
  if (!account) return NOT_SIGNED_IN;
  let webhookId: string | undefined;
  if (arg instanceof WebhookNode) webhookId = arg.webhook.id;
  else if (isOptions<WebhookRef>(arg) && typeof arg.webhookId === 'string') webhookId = arg.webhookId;
  if (!webhookId) return failure(services, component, 'Choose a webhook in the Teams view of the Penpot sidebar.');
  await services.teams.ensureLoaded();
  const found = services.teams.findWebhook(webhookId);
  if (!found) {
    void services.teams.refresh();
    return failure(services, component, 'That webhook is not among your teams\' webhooks any more; the Teams view has been refreshed.');
  }
  if (!canModifyWebhook(found.entry.team, found.webhook, account.profile.id)) {
    const team = found.entry.team;
    return failure(services, component,
      `You only can delete or modify webhooks created by you: ${webhookLabel(found.webhook.uri)} belongs to someone ` +
      `else, and your role in ${team.name} is ${roleLabel(team)}.`);
  }
  return { account, entry: found.entry, webhook: found.webhook };
}

export function isTarget(value: WebhookTarget | Failure): value is WebhookTarget {
  return 'webhook' in value;
}

/**
 * Reports a failed webhook RPC. Penpot answers "not found" both for a deleted webhook and for one the user may no
 * longer change (§0.7), and either way the loaded team is stale, so it is reloaded.
 */
export function webhookFailure(services: Services, component: string, action: string, teamId: string, error: unknown): Failure {
  if (isPenpotError(error) && error.kind === 'not-found') void services.teams.refreshTeam(teamId);
  return failure(services, component, `Could not ${action}: ${errorMessage(error)}`);
}

/** Runs an RPC with a progress notification. */
export function withBusy<T>(title: string, task: () => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, task);
}
