// How Penpot objects read in the views and prompts. Pure functions (no `vscode` import) so they are unit-tested
// under plain Node; the tree items and commands only assemble what these return.
import {
  MAX_WEBHOOK_ERRORS, MAX_WEBHOOKS_PER_TEAM, roleOf,
  type AccessToken, type Team, type TokenExpiry, type Webhook, type WebhookMtype,
} from '../penpot/types';
import { isLoopbackHost } from '../penpot/transport';
import { DEFAULT_PENPOT_URL, normalizeBaseUrl, type RpcLogLine } from '../penpot/client';
import { hostAndPath, parseHttpUrl } from '../common/httpUrl';
import { formatDate } from '../receiver/format';
import { secretOfReceiverUrl } from '../receiver/identity';
import { plural } from '../common/words';
import { errorMessage } from '../common/errors';

/** Penpot's own client check on "Payload URL" (`::sm/uri {:max 4069}`, §6.1; 4069 is Penpot's number, not a typo here). */
export const MAX_WEBHOOK_URI_LENGTH = 4069;

/** Penpot's limit on an access token's name (§3.10). */
export const MAX_TOKEN_NAME_LENGTH = 250;

/** Tokens expiring within this many days get warning styling. */
export const TOKEN_EXPIRY_WARNING_DAYS = 7;

const DAY_MS = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------------------------
// Markdown

/**
 * Text as literal Markdown: every ASCII punctuation character CommonMark lets a backslash escape. For Penpot-provided
 * strings (team names, error codes, URIs…) put into a MarkdownString, so a teammate's team name cannot add links or
 * images to everyone's tooltip; line breaks become spaces so the text cannot start a block.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------------------------
// Server URL

export type ServerUrlCheck = { url: string } | { error: string };

/** Checks what a person types for a Penpot server; the URL returned is the base URL the client is built with. */
export function normalizeServerUrl(input: string): ServerUrlCheck {
  if (!input.trim()) return { error: `Enter the address of a Penpot server, e.g. ${DEFAULT_PENPOT_URL}` };
  try {
    return { url: normalizeBaseUrl(input) };
  } catch (error) {
    return { error: errorMessage(error) };
  }
}

/** Plain http to anything but this machine would carry the token in clear text. */
export function sendsTokenInClear(serverUrl: string): boolean {
  const parsed = new URL(serverUrl);
  return parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname);
}

/** "design.penpot.app", or host + path for a Penpot served under a path. */
export function serverLabel(serverUrl: string): string {
  return hostAndPath(serverUrl);
}

/**
 * One log line per RPC call, "get-teams 200 41ms [design.penpot.app]", built only from the command, status, kind
 * of error and time: never from headers or bodies, so the token has no way in.
 */
export function formatRpcLine(line: RpcLogLine, serverUrl: string): string {
  const status = line.status === undefined ? 'no answer' : String(line.status);
  const error = line.error ? ` ${line.error}` : '';
  const legacy = line.path === 'legacy' ? ' (legacy path)' : '';
  return `${line.command} ${status}${error} ${line.ms}ms [${serverLabel(serverUrl)}]${legacy}`;
}

export function validateAccessTokenInput(value: string): string | undefined {
  const text = value.trim();
  if (!text) return 'Paste the access token you created in Penpot (Your account → Settings → Integrations)';
  if (/\s/.test(text)) return 'An access token has no spaces or line breaks';
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Teams

export function roleLabel(team: Team): string {
  return roleOf(team.permissions);
}

export function webhookQuotaText(count: number): string {
  return `${count}/${MAX_WEBHOOKS_PER_TEAM}`;
}

export function isWebhookQuotaReached(count: number): boolean {
  return count >= MAX_WEBHOOKS_PER_TEAM;
}

export function quotaReachedMessage(teamName: string): string {
  return `${teamName} already has ${MAX_WEBHOOKS_PER_TEAM} webhooks, the most Penpot allows per team. Delete one to create another.`;
}

// ---------------------------------------------------------------------------------------------------------------
// Webhooks

export type WebhookState = 'healthy' | 'failing' | 'auto-disabled' | 'inactive';

/**
 * Penpot switches a webhook off after 3 failed deliveries in a row (§4.1 step 5); a webhook switched off by a person
 * keeps error_count below that, and an update resets it (§3.7). As Penpot 2.15–2.17 runs (derived from its source,
 * conformance finding 1), only deliveries that do not reach the endpoint count, never an answered one.
 */
export function webhookState(webhook: Webhook): WebhookState {
  if (!webhook.isActive) return webhook.errorCount >= MAX_WEBHOOK_ERRORS ? 'auto-disabled' : 'inactive';
  return webhook.errorCode ? 'failing' : 'healthy';
}

export function formatName(mtype: WebhookMtype): 'JSON' | 'Transit' {
  return mtype === 'application/transit+json' ? 'Transit' : 'JSON';
}

/** Host and path of the URI, the part that tells webhooks apart; the raw text when it is not a URL. */
export function webhookLabel(uri: string): string {
  const parsed = parseHttpUrl(uri);
  return parsed.ok ? hostAndPath(parsed.url) : uri;
}

export function webhookDescription(webhook: Webhook): string {
  return `${formatName(webhook.mtype)} · ${webhook.isActive ? 'Active' : 'Inactive'}`;
}

/** The last delivery's outcome in the words of Penpot's webhook list (§6.1), with the raw code when it adds detail. */
export function lastDeliveryWords(errorCode: string | null): string {
  if (!errorCode) return 'Last delivery was successful.';
  let reason: string;
  if (errorCode === 'ssl-validation-error') reason = 'Error on SSL validation.';
  else if (errorCode.startsWith('unexpected-status:')) reason = `Unexpected status ${errorCode.slice('unexpected-status:'.length)}`;
  else reason = `Unexpected error on validating (${errorCode})`;
  return `Last delivery was not successful. ${reason}`;
}

export function stateSentence(state: WebhookState): string {
  switch (state) {
    case 'healthy': return 'Active';
    case 'failing': return 'Active, but the last delivery failed';
    case 'auto-disabled': return `Switched off by Penpot after ${MAX_WEBHOOK_ERRORS} deliveries in a row that could not reach the endpoint. Re-enable it once the endpoint is reachable.`;
    case 'inactive': return 'Inactive: Penpot sends it no events';
  }
}

/**
 * What counts toward the auto-disable, as Penpot runs (read from Penpot 2.15–2.17 source, derived): an answered
 * request never counts, whatever its status; connection errors, TLS errors, connect timeouts and SSRF blocks do.
 */
export const DELIVERY_FAILURE_RULE =
  `Penpot 2.15–2.17 counts only deliveries that cannot reach the endpoint (connection error, TLS error, connect timeout, blocked address); any answer resets the count. ${MAX_WEBHOOK_ERRORS} in a row switch the webhook off.`;

/** Markdown (without the URI code block, which the caller adds) for a webhook's tooltip. */
export function webhookTooltipLines(webhook: Webhook, editable: boolean, team: Team): string[] {
  const lines = [
    `**Format:** ${formatName(webhook.mtype)} (${escapeMarkdown(webhook.mtype)})`,
    `**State:** ${escapeMarkdown(stateSentence(webhookState(webhook)))}`,
    `**Last delivery:** ${escapeMarkdown(lastDeliveryWords(webhook.errorCode))}`,
    `**Errors in a row:** ${webhook.errorCount} of ${MAX_WEBHOOK_ERRORS}`,
    `*${escapeMarkdown(DELIVERY_FAILURE_RULE)}*`,
  ];
  if (!editable) {
    lines.push(`*You only can delete or modify webhooks created by you* (your role in ${escapeMarkdown(team.name)}: ${escapeMarkdown(roleLabel(team))}).`);
  }
  return lines;
}

/** Check as you type, mirroring Penpot's own client check (§6.1) so most mistakes never reach the server. */
export function validateWebhookUri(value: string): string | undefined {
  const text = value.trim();
  if (!text) return 'Enter the URL Penpot should POST events to';
  if (!/^https?:\/\//i.test(text)) return 'The URL must start with http:// or https://';
  if (text.length > MAX_WEBHOOK_URI_LENGTH) {
    return `The URL is ${text.length} characters long; Penpot accepts at most ${MAX_WEBHOOK_URI_LENGTH}`;
  }
  const parsed = parseHttpUrl(text);
  if (parsed.ok) return undefined;
  return parsed.problem === 'no-host' ? 'The URL needs a host name' : 'URL does not pass validation.';
}

// ---------------------------------------------------------------------------------------------------------------
// The receiver's webhooks

export interface ReceivingWebhook {
  team: Team;
  webhook: Webhook;
}

/**
 * Every loaded team webhook that delivers to this receiver, whoever created it: its URI ends in the receiver's
 * `/hooks/<secret>` path. The host may be another one (a tunnel, a former port); `pointsAtOtherHost` tells.
 */
export function webhooksOfReceiver(
  entries: readonly { team: Team; webhooks?: readonly Webhook[] }[], receiverSecret: string,
): ReceivingWebhook[] {
  return entries.flatMap(({ team, webhooks }) =>
    (webhooks ?? []).filter((webhook) => secretOfReceiverUrl(webhook.uri) === receiverSecret).map((webhook) => ({ team, webhook })));
}

/** "1 webhook in 1 team", "3 webhooks in 2 teams". */
export function receivesFromText(found: readonly ReceivingWebhook[]): string {
  const teams = new Set(found.map((f) => f.team.id)).size;
  return `${plural(found.length, 'webhook')} in ${plural(teams, 'team')}`;
}

/** True when the webhook carries the receiver's secret but another host and port than it listens on now. */
export function pointsAtOtherHost(webhookUri: string, receiverWebhookUrl: string): boolean {
  try {
    return new URL(webhookUri).host !== new URL(receiverWebhookUrl).host;
  } catch {
    return true;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Access tokens

export type ExpiryLevel = 'ok' | 'soon' | 'expired' | 'never';

export interface ExpiryInfo {
  text: string;
  level: ExpiryLevel;
}


/** "Expires on …" / "Expired on …" / "No expiration", as on Penpot's Integrations page (§6.2). */
export function tokenExpiry(expiresAt: string | null, now: Date, locale?: string): ExpiryInfo {
  if (!expiresAt) return { text: 'No expiration', level: 'never' };
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at)) return { text: `Expires ${expiresAt}`, level: 'ok' };
  if (at <= now.getTime()) return { text: `Expired on ${formatDate(expiresAt, locale)}`, level: 'expired' };
  const soon = at - now.getTime() <= TOKEN_EXPIRY_WARNING_DAYS * DAY_MS;
  return { text: `Expires on ${formatDate(expiresAt, locale)}`, level: soon ? 'soon' : 'ok' };
}

export function tokenKindNote(token: AccessToken): string | undefined {
  if (token.type === 'mcp') return 'MCP key';
  return token.type ? `${token.type} token` : undefined;
}

export function validateTokenName(value: string): string | undefined {
  const text = value.trim();
  if (!text) return 'Give the token a name, so you know later what uses it';
  if (text.length > MAX_TOKEN_NAME_LENGTH) {
    return `The name is ${text.length} characters long; Penpot accepts at most ${MAX_TOKEN_NAME_LENGTH}`;
  }
  return undefined;
}

export interface ExpiryChoice {
  expiry: TokenExpiry;
  label: string;
}

/** The expiration choices of Penpot's "Create new access token" dialog (§5). */
export const EXPIRY_CHOICES: readonly ExpiryChoice[] = [
  { expiry: 'never', label: 'Never' },
  { expiry: '30', label: '30 days' },
  { expiry: '60', label: '60 days' },
  { expiry: '90', label: '90 days' },
  { expiry: '180', label: '180 days' },
];
