// Rows of the Receiver view, one class per kind like the Teams and Access Tokens views (views/nodes.ts). Each has a
// `contextValue` that the menus in package.json match (`viewItem == receiver:…`): keep the two in step.
import * as vscode from 'vscode';
import type { ReceivedEvent } from '../../receiver/types';
import { formatDateTime, formatTime } from '../../receiver/format';
import {
  formatName, pointsAtOtherHost, receivesFromText, stateSentence, webhookState, type ReceivingWebhook,
} from '../presentation';
import { Command } from '../registry';
import type { ReceiverStatusView } from '../viewer/protocol';
import { eventTitle } from './eventActions';
import { hostAndPort } from './settings';

/** Running or stopped, where it listens, and what it answers. Click: the viewer, or Start. */
export class ReceiverStatusNode extends vscode.TreeItem {
  constructor(status: ReceiverStatusView) {
    const running = status.running && status.localUrl !== undefined;
    super(running ? `Listening on ${hostAndPort(status.localUrl!)}` : 'Stopped', vscode.TreeItemCollapsibleState.None);
    this.id = 'receiver:status';
    // Start is offered (inline) only while stopped, Stop only while running.
    this.contextValue = running ? 'receiver:running' : 'receiver:stopped';
    this.iconPath = running
      ? new vscode.ThemeIcon('radio-tower', new vscode.ThemeColor('testing.iconPassed'))
      : new vscode.ThemeIcon('debug-disconnect');
    this.description = running ? `answers ${status.responseStatus}` : status.error;
    this.tooltip = running
      ? `The receiver accepts HEAD and POST on its /hooks/<secret> URL and answers ${status.responseStatus}.`
      : status.error ? `Could not start: ${status.error}` : 'Start it to receive Penpot webhook deliveries.';
    this.command = running
      ? { command: Command.openViewer, title: 'Open Webhook Viewer' }
      : { command: Command.startReceiver, title: 'Start Webhook Receiver' };
  }
}

/** The URL to give Penpot (public when a tunnel or `publicUrl` is set). Click: copy it. */
export class ReceiverUrlNode extends vscode.TreeItem {
  constructor(readonly webhookUrl: string, status: ReceiverStatusView) {
    const isPublic = status.publicUrl !== undefined || hostAndPort(webhookUrl) !== (status.localUrl && hostAndPort(status.localUrl));
    super(isPublic ? 'Public URL' : 'Local URL', vscode.TreeItemCollapsibleState.None);
    this.id = 'receiver:url';
    this.contextValue = 'receiver:url';
    this.description = hostAndPort(webhookUrl);
    this.iconPath = new vscode.ThemeIcon(isPublic ? 'globe' : 'link');
    const lines = [`Give Penpot: ${webhookUrl}`];
    if (status.externalUrl && status.externalUrl !== status.localUrl) lines.push(`Open from this computer's browser: ${status.externalUrl}`);
    if (!isPublic) lines.push('Penpot refuses loopback URLs unless the host is in PENPOT_SSRF_ALLOWED_HOSTS; start a public tunnel or set penpot.receiver.publicUrl.');
    this.tooltip = lines.join('\n');
    this.command = { command: Command.copyReceiverUrl, title: 'Copy Receiver URL' };
  }
}

/** Where received events are also sent. Click: set or clear the target. */
export class ForwardNode extends vscode.TreeItem {
  constructor(forwardUrl: string | undefined) {
    super('Forward', vscode.TreeItemCollapsibleState.None);
    this.id = 'receiver:forward';
    this.contextValue = forwardUrl ? 'receiver:forward:on' : 'receiver:forward:off';
    this.description = forwardUrl ?? 'off';
    this.iconPath = new vscode.ThemeIcon('arrow-right');
    this.tooltip = forwardUrl
      ? `Every received event is also sent, with its original bytes, to ${forwardUrl}`
      : 'Click to forward every received event to your integration under development';
    this.command = { command: Command.setForwardTarget, title: 'Set Forward Target' };
  }
}

/** The team webhooks (anyone's) that deliver to this receiver, counted across every loaded team. */
export class ReceivingWebhooksNode extends vscode.TreeItem {
  constructor(readonly webhooks: readonly ReceivingWebhook[], receiverRunning: boolean) {
    super('Receives from', vscode.TreeItemCollapsibleState.Expanded);
    this.id = 'receiver:webhooks';
    this.contextValue = 'receiver:webhooks';
    this.description = receivesFromText(webhooks);
    this.iconPath = new vscode.ThemeIcon('plug');
    const lines = ['Team webhooks whose URL carries this receiver\'s /hooks/<secret> path, whoever created them.'];
    if (!receiverRunning && webhooks.some((w) => w.webhook.isActive)) {
      lines.push('The receiver is stopped: Penpot\'s deliveries cannot connect, and after 3 in a row it switches a webhook off.');
    }
    this.tooltip = lines.join('\n');
  }
}

/** One team webhook that delivers here; a warning when it still names a former host or port of the receiver. */
export class ReceivingWebhookNode extends vscode.TreeItem {
  readonly stale: boolean;

  constructor(readonly found: ReceivingWebhook, currentWebhookUrl: string | undefined) {
    const { team, webhook } = found;
    super(team.name, vscode.TreeItemCollapsibleState.None);
    this.id = `receiver:webhook:${webhook.id}`;
    this.stale = currentWebhookUrl !== undefined && pointsAtOtherHost(webhook.uri, currentWebhookUrl);
    this.contextValue = this.stale ? 'receiver:webhook:stale' : 'receiver:webhook';
    const target = hostAndPort(webhook.uri);
    this.description = `${target} · ${formatName(webhook.mtype)}${webhook.isActive ? '' : ' · Inactive'}`;
    this.iconPath = this.stale
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
      : new vscode.ThemeIcon(webhook.isActive ? 'organization' : 'circle-slash');
    const lines = [`Webhook of ${team.name} pointing at ${target}.`, `${stateSentence(webhookState(webhook))}.`];
    if (this.stale && currentWebhookUrl) {
      lines.push(`The receiver now listens at ${hostAndPort(currentWebhookUrl)}: register it again (or edit the webhook) so deliveries arrive.`);
    }
    this.tooltip = lines.join('\n');
  }
}

/** The stored events; its children are the newest few. Click: the viewer. */
export class EventsNode extends vscode.TreeItem {
  constructor(count: number) {
    super('Events', count > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    this.id = 'receiver:events';
    this.contextValue = 'receiver:events';
    this.description = `${count} stored`;
    this.iconPath = new vscode.ThemeIcon('list-unordered');
    this.command = { command: Command.openViewer, title: 'Open Webhook Viewer' };
  }
}

/** One stored event (Replay acts on it). Click: the viewer, on this event. */
export class EventNode extends vscode.TreeItem {
  constructor(readonly event: ReceivedEvent) {
    super(eventTitle(event), vscode.TreeItemCollapsibleState.None);
    this.id = `receiver:event:${event.id}`;
    this.contextValue = 'receiver:event';
    this.description = `${formatTime(event.receivedAt)} · ${event.format}${event.simulated ? ' · simulated' : ''}`;
    this.tooltip = `${eventTitle(event)}, received ${formatDateTime(event.receivedAt, vscode.env.language)}${event.decodeError ? `\n${event.decodeError}` : ''}`;
    this.iconPath = new vscode.ThemeIcon(event.decodeError ? 'warning' : 'mail');
    this.command = { command: Command.openViewer, title: 'Open in Webhook Viewer', arguments: [{ revealId: event.id }] };
  }
}

export type ReceiverTreeNode =
  | ReceiverStatusNode | ReceiverUrlNode | ForwardNode | ReceivingWebhooksNode | ReceivingWebhookNode | EventsNode | EventNode;
