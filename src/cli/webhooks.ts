// `webhooks list|create|update|delete`.
import type { PenpotClient } from '../penpot/client';
import { PenpotError } from '../penpot/errors';
import { MTYPE_BY_FORMAT, type Webhook, type WebhookFormat, type WebhookMtype } from '../penpot/types';
import { UsageError, flag, requiredOption, stringOption, type CliCommand, type CliContext } from './command';
import { formatTable, printList } from './table';
import { isHttpUrl } from '../common/httpUrl';
import { plural } from '../common/words';

const FORMATS = Object.keys(MTYPE_BY_FORMAT) as WebhookFormat[];

function formatOption(ctx: CliContext): WebhookMtype | undefined {
  const format = stringOption(ctx, 'format');
  if (format === undefined) return undefined;
  if (!(FORMATS as string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}.`);
  return MTYPE_BY_FORMAT[format as WebhookFormat];
}

/** The same check as Penpot's webhook form (§6.1): an http or https URL. */
function uriOption(ctx: CliContext, required: boolean): string | undefined {
  const uri = required ? requiredOption(ctx, 'uri') : stringOption(ctx, 'uri');
  if (uri === undefined) return undefined;
  const trimmed = uri.trim();
  if (!isHttpUrl(trimmed)) throw new UsageError(`--uri must be an http:// or https:// URL (got "${uri}").`);
  return trimmed;
}

function formatName(mtype: string): string {
  return FORMATS.find((format) => MTYPE_BY_FORMAT[format] === mtype) ?? mtype;
}

function lastDelivery(webhook: Webhook): string {
  if (webhook.errorCode === null) return 'ok';
  return `${webhook.errorCode} (${plural(webhook.errorCount, 'error')})`;
}

const WEBHOOK_COLUMNS = ['ID', 'URI', 'FORMAT', 'ACTIVE', 'LAST DELIVERY'];

function webhookRow(w: Webhook): string[] {
  return [w.id, w.uri, formatName(w.mtype), w.isActive ? 'yes' : 'no', lastDelivery(w)];
}

function printWebhook(ctx: CliContext, verb: string, webhook: Webhook): void {
  if (ctx.json) ctx.printJson(webhook);
  else {
    ctx.print(`${verb} webhook ${webhook.id}.`);
    ctx.print(formatTable(WEBHOOK_COLUMNS, [webhookRow(webhook)]));
  }
}

/**
 * The current state of a webhook, needed because Penpot's update takes all four fields (§3.7). get-webhooks is per
 * team, so without --team every team of the user is searched.
 */
export async function findWebhook(client: PenpotClient, id: string, teamId: string | undefined): Promise<Webhook> {
  const teamIds = teamId ? [teamId] : (await client.getTeams()).map((team) => team.id);
  for (const candidate of teamIds) {
    let webhooks: Webhook[];
    try {
      webhooks = await client.getWebhooks(candidate);
    } catch (error) {
      // A team whose webhooks we may not read does not hold it for us; keep looking.
      if (!teamId && error instanceof PenpotError && error.kind === 'not-found') continue;
      throw error;
    }
    const found = webhooks.find((webhook) => webhook.id === id);
    if (found) return found;
  }
  throw new PenpotError({
    kind: 'not-found',
    command: 'get-webhooks',
    message: `Webhook ${id} was not found in ${teamId ? `team ${teamId}` : 'any of your teams'}.`,
  });
}

export const webhooksListCommand: CliCommand = {
  name: 'webhooks list',
  synopsis: '--team ID',
  summary: "List a team's webhooks",
  options: { team: { type: 'string' } },
  async run(ctx) {
    const webhooks = await ctx.penpot().getWebhooks(requiredOption(ctx, 'team'));
    printList(ctx, webhooks, 'No webhooks created so far.', WEBHOOK_COLUMNS, webhookRow);
  },
};

export const webhooksCreateCommand: CliCommand = {
  name: 'webhooks create',
  synopsis: '--team ID --uri URL [--format json|transit] [--inactive]',
  summary: 'Create a webhook (Penpot calls the URL with HEAD first)',
  details: [
    'Penpot checks the URL with a HEAD request that must answer 200 or 204 within 3 seconds, and refuses',
    'localhost and private addresses unless its operator allows them (PENPOT_SSRF_ALLOWED_HOSTS).',
  ],
  options: { team: { type: 'string' }, uri: { type: 'string' }, format: { type: 'string' }, inactive: { type: 'boolean' } },
  async run(ctx) {
    const teamId = requiredOption(ctx, 'team');
    const uri = uriOption(ctx, true)!;
    const mtype = formatOption(ctx) ?? MTYPE_BY_FORMAT.json;
    const webhook = await ctx.penpot().createWebhook({ teamId, uri, mtype, isActive: !flag(ctx, 'inactive') });
    printWebhook(ctx, 'Created', webhook);
  },
};

export const webhooksUpdateCommand: CliCommand = {
  name: 'webhooks update',
  synopsis: 'ID [--uri URL] [--format json|transit] [--active|--inactive] [--team ID]',
  summary: 'Change a webhook; unspecified fields keep their values',
  details: [
    'Updating also clears the error count, and --active re-enables a webhook Penpot disabled after errors.',
    'Without --team, all your teams are searched for the webhook.',
  ],
  options: {
    uri: { type: 'string' }, format: { type: 'string' }, active: { type: 'boolean' }, inactive: { type: 'boolean' },
    team: { type: 'string' },
  },
  positionals: ['ID'],
  async run(ctx) {
    const [id] = ctx.positionals;
    if (flag(ctx, 'active') && flag(ctx, 'inactive')) throw new UsageError('Give --active or --inactive, not both.');
    const uri = uriOption(ctx, false);
    const mtype = formatOption(ctx);
    const isActive = flag(ctx, 'active') ? true : flag(ctx, 'inactive') ? false : undefined;
    if (uri === undefined && mtype === undefined && isActive === undefined) {
      throw new UsageError('Nothing to change: give --uri, --format, --active or --inactive.');
    }
    const client = ctx.penpot();
    const current = await findWebhook(client, id, stringOption(ctx, 'team'));
    const updated = await client.updateWebhook({
      id,
      uri: uri ?? current.uri,
      mtype: mtype ?? current.mtype,
      isActive: isActive ?? current.isActive,
    });
    printWebhook(ctx, 'Updated', { ...updated, teamId: updated.teamId ?? current.teamId });
  },
};

export const webhooksDeleteCommand: CliCommand = {
  name: 'webhooks delete',
  synopsis: 'ID',
  summary: 'Delete a webhook',
  positionals: ['ID'],
  async run(ctx) {
    const [id] = ctx.positionals;
    await ctx.penpot().deleteWebhook(id);
    if (ctx.json) ctx.printJson({ deleted: id });
    else ctx.print(`Deleted webhook ${id}.`);
  },
};
