// Tree items of the Teams and Access Tokens views. Each carries its Penpot object, and a `contextValue` that the
// menus in package.json match (`viewItem =~ /…/`): keep the two in step.
import * as vscode from 'vscode';
import { canModifyWebhook, type AccessToken, type Team, type Webhook } from '../../penpot/types';
import {
  isWebhookQuotaReached, quotaReachedMessage, roleLabel, tokenExpiry, tokenKindNote, webhookDescription, webhookLabel,
  escapeMarkdown, webhookQuotaText, webhookState, webhookTooltipLines, type ExpiryLevel, type WebhookState,
} from '../presentation';
import { decorationUri } from './decorations';
import { formatDateTime } from '../../receiver/format';

/** A team as loaded: its webhooks, or why they could not be loaded. */
export interface TeamEntry {
  team: Team;
  webhooks?: Webhook[];
  error?: string;
}

export class TeamNode extends vscode.TreeItem {
  constructor(readonly entry: TeamEntry) {
    const { team, webhooks } = entry;
    super(team.name, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `team:${team.id}`;
    const full = webhooks !== undefined && isWebhookQuotaReached(webhooks.length);
    const count = webhooks ? `${webhookQuotaText(webhooks.length)} webhooks · ` : '';
    this.description = `${count}${roleLabel(team)}`;
    this.iconPath = new vscode.ThemeIcon(team.isDefault ? 'home' : 'organization');
    // `full` greys out Create (command enablement in package.json) on teams at Penpot's quota.
    this.contextValue = full ? 'team:full' : 'team';
    const tooltip = new vscode.MarkdownString(`**${escapeMarkdown(team.name)}**\n\nYour role: ${roleLabel(team)}`);
    if (webhooks) tooltip.appendMarkdown(`\n\nWebhooks: ${webhookQuotaText(webhooks.length)}`);
    if (full) tooltip.appendMarkdown(`\n\n${escapeMarkdown(quotaReachedMessage(team.name))}`);
    this.tooltip = tooltip;
  }
}

const WEBHOOK_ICONS: Record<WebhookState, vscode.ThemeIcon> = {
  healthy: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failing: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  'auto-disabled': new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
  inactive: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')),
};

export class WebhookNode extends vscode.TreeItem {
  readonly state: WebhookState;
  readonly editable: boolean;

  constructor(readonly team: Team, readonly webhook: Webhook, profileId: string) {
    super(webhookLabel(webhook.uri), vscode.TreeItemCollapsibleState.None);
    this.id = `webhook:${webhook.id}`;
    this.state = webhookState(webhook);
    this.editable = canModifyWebhook(team, webhook, profileId);
    this.description = webhookDescription(webhook);
    this.iconPath = WEBHOOK_ICONS[this.state];
    this.contextValue = `webhook:${this.state}:${this.editable ? 'editable' : 'readonly'}`;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendCodeblock(webhook.uri, 'text');
    tooltip.appendMarkdown(webhookTooltipLines(webhook, this.editable, team).join('\n\n'));
    this.tooltip = tooltip;
    this.accessibilityInformation = { label: `${webhook.uri}, ${this.description}, ${this.state}` };
  }
}

const TOKEN_ICONS: Record<ExpiryLevel, vscode.ThemeIcon> = {
  ok: new vscode.ThemeIcon('key'),
  never: new vscode.ThemeIcon('key'),
  soon: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  expired: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
};

export class TokenNode extends vscode.TreeItem {
  readonly expiryLevel: ExpiryLevel;

  constructor(readonly token: AccessToken, readonly signedInWithIt: boolean, now: Date) {
    super(token.name, vscode.TreeItemCollapsibleState.None);
    this.id = `token:${token.id}`;
    const expiry = tokenExpiry(token.expiresAt, now, vscode.env.language);
    this.expiryLevel = expiry.level;
    const notes = [tokenKindNote(token), signedInWithIt ? 'signed in here' : undefined].filter(Boolean);
    this.description = [expiry.text, ...notes].join(' · ');
    this.iconPath = TOKEN_ICONS[expiry.level];
    // Colours the label through the decoration provider, for expired and soon-expiring tokens.
    this.resourceUri = decorationUri('token', token.id, expiry.level);
    this.contextValue = signedInWithIt ? 'token:session' : 'token';
    const tooltip = new vscode.MarkdownString(`**${escapeMarkdown(token.name)}**\n\n${expiry.text}`);
    if (token.createdAt) tooltip.appendMarkdown(`\n\nCreated ${formatDateTime(token.createdAt, vscode.env.language)}`);
    if (token.type === 'mcp') tooltip.appendMarkdown('\n\nThe key of Penpot\'s MCP server (Settings → Integrations → MCP).');
    if (signedInWithIt) tooltip.appendMarkdown('\n\nVS Code is signed in to Penpot with this token.');
    this.tooltip = tooltip;
  }
}

/** A line in a view that is not a Penpot object: a load failure (with Retry), or an empty-list note. */
export class MessageNode extends vscode.TreeItem {
  constructor(
    message: string,
    options: { id: string; kind: 'error' | 'empty'; detail?: string; command?: vscode.Command },
  ) {
    super(message, vscode.TreeItemCollapsibleState.None);
    this.id = options.id;
    this.iconPath = options.kind === 'error'
      ? new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'))
      : new vscode.ThemeIcon('info');
    // `message:error:penpot.refresh` shows an inline Retry; the suffix names the command the row runs.
    this.contextValue = `message:${options.kind}${options.command ? `:${options.command.command}` : ''}`;
    if (options.detail) this.tooltip = options.detail;
    if (options.command) this.command = options.command;
  }
}

/** Shared with the status bar; the escaping itself lives (tested) in presentation.ts. */
export { escapeMarkdown };
