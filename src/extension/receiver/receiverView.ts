// The "Receiver" view of the Penpot container: state and URL, forward target, the webhooks it is registered as,
// and the newest events (a click opens the viewer on one).
import * as vscode from 'vscode';
import type { ReceivedEvent } from '../../receiver/types';
import { Disposable } from '../common/lifecycle';
import type { Services } from '../services';
import { eventTitle } from './eventActions';
import { pointsElsewhere, type ReceiverService } from './receiverService';
import { hostAndPort } from './settings';
import { debounce } from '../../common/debounce';

export const RECEIVER_VIEW_ID = 'penpot.receiver';
/** Newest events listed in the view; the viewer has the rest. */
const RECENT_EVENTS = 10;
/** Event bursts refresh the view at most this often, so a stream of events does not redraw the tree for each one. */
const REFRESH_DEBOUNCE_MS = 500;

type Kind = 'status' | 'url' | 'forward' | 'registrations' | 'registration' | 'events' | 'event';

export class ReceiverNode extends vscode.TreeItem {
  constructor(readonly kind: Kind, label: string, collapsible = vscode.TreeItemCollapsibleState.None, readonly eventId?: string) {
    super(label, collapsible);
  }
}

export class ReceiverTreeProvider extends Disposable implements vscode.TreeDataProvider<ReceiverNode> {
  private readonly changed = this.register(new vscode.EventEmitter<ReceiverNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly scheduleRefresh = debounce(() => this.changed.fire(undefined), REFRESH_DEBOUNCE_MS);

  constructor(private readonly receiver: ReceiverService, private readonly services: Services) {
    super();
    this.register(receiver.onDidChangeStatus(() => this.changed.fire(undefined)));
    this.register(receiver.onDidChangeEvents(() => this.scheduleRefresh()));
    this.register(services.account.onDidChange(() => this.changed.fire(undefined)));
    this.register({ dispose: () => this.scheduleRefresh.cancel() });
  }

  createView(): vscode.TreeView<ReceiverNode> {
    return this.register(vscode.window.createTreeView(RECEIVER_VIEW_ID, { treeDataProvider: this }));
  }

  getTreeItem(node: ReceiverNode): vscode.TreeItem {
    return node;
  }

  getChildren(node?: ReceiverNode): ReceiverNode[] {
    if (!node) return this.rootNodes();
    if (node.kind === 'registrations') return this.registrationNodes();
    if (node.kind === 'events') return this.eventNodes();
    return [];
  }

  private rootNodes(): ReceiverNode[] {
    const service = this.receiver;
    const status = service.status();
    const nodes: ReceiverNode[] = [];

    const state = new ReceiverNode('status', status.running && status.localUrl ? `Listening on ${hostAndPort(status.localUrl)}` : 'Stopped');
    state.id = 'receiver:status';
    state.contextValue = status.running ? 'receiver:running' : 'receiver:stopped';
    state.iconPath = status.running
      ? new vscode.ThemeIcon('radio-tower', new vscode.ThemeColor('testing.iconPassed'))
      : new vscode.ThemeIcon('debug-disconnect');
    state.description = status.running ? `answers ${status.responseStatus}` : status.error;
    state.tooltip = status.running
      ? `The receiver accepts HEAD and POST on its /hooks/<secret> URL and answers ${status.responseStatus}.`
      : status.error ? `Could not start: ${status.error}` : 'Start it to receive Penpot webhook deliveries.';
    state.command = status.running
      ? { command: 'penpot.receiver.open', title: 'Open Webhook Viewer' }
      : { command: 'penpot.receiver.start', title: 'Start Webhook Receiver' };
    nodes.push(state);

    const webhookUrl = service.webhookUrl;
    if (webhookUrl) {
      const url = new ReceiverNode('url', status.publicUrl ? 'Public URL' : 'Local URL');
      url.id = 'receiver:url';
      url.description = hostAndPort(webhookUrl);
      url.iconPath = new vscode.ThemeIcon(status.publicUrl ? 'globe' : 'link');
      url.contextValue = 'receiver:url';
      const lines = [`Give Penpot: ${webhookUrl}`];
      if (status.externalUrl && status.externalUrl !== status.localUrl) lines.push(`Open from this computer's browser: ${status.externalUrl}`);
      if (!status.publicUrl) lines.push('Penpot refuses loopback URLs unless the host is in PENPOT_SSRF_ALLOWED_HOSTS; set penpot.receiver.publicUrl to a tunnel.');
      url.tooltip = lines.join('\n');
      url.command = { command: 'penpot.receiver.copyUrl', title: 'Copy Receiver URL' };
      nodes.push(url);
    }

    const forward = new ReceiverNode('forward', 'Forward');
    forward.id = 'receiver:forward';
    forward.description = status.forwardUrl ?? 'off';
    forward.iconPath = new vscode.ThemeIcon('arrow-right');
    forward.tooltip = status.forwardUrl
      ? `Every received event is also sent, with its original bytes, to ${status.forwardUrl}`
      : 'Click to forward every received event to your integration under development';
    forward.command = { command: 'penpot.receiver.forward', title: 'Set Forward Target' };
    nodes.push(forward);

    const registrations = this.currentRegistrations();
    if (registrations.length > 0) {
      const group = new ReceiverNode('registrations', 'Registered on', vscode.TreeItemCollapsibleState.Expanded);
      group.id = 'receiver:registrations';
      group.description = `${registrations.length} team${registrations.length === 1 ? '' : 's'}`;
      group.iconPath = new vscode.ThemeIcon('plug');
      nodes.push(group);
    }

    const count = service.store.size;
    const events = new ReceiverNode('events', 'Events', count > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    events.id = 'receiver:events';
    events.description = `${count} stored`;
    events.iconPath = new vscode.ThemeIcon('list-unordered');
    events.contextValue = 'receiver:events';
    events.command = { command: 'penpot.receiver.open', title: 'Open Webhook Viewer' };
    nodes.push(events);
    return nodes;
  }

  private currentRegistrations() {
    const serverUrl = this.services.account.signedIn?.serverUrl;
    return this.receiver.registrations.filter((r) => r.serverUrl === serverUrl);
  }

  private registrationNodes(): ReceiverNode[] {
    const webhookUrl = this.receiver.webhookUrl;
    const current = webhookUrl ? hostAndPort(webhookUrl) : undefined;
    return this.currentRegistrations().map((r) => {
      const node = new ReceiverNode('registration', r.teamName);
      node.id = `receiver:registration:${r.webhookId}`;
      node.description = `${r.target} · ${r.format === 'transit' ? 'Transit' : 'JSON'}`;
      const stale = webhookUrl !== undefined && pointsElsewhere(r, webhookUrl);
      node.iconPath = stale
        ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
        : new vscode.ThemeIcon('organization');
      node.tooltip = `Webhook ${r.webhookId} of ${r.teamName}, pointing at ${r.target}`
        + (stale ? `. The receiver now listens at ${current}: register it again (or edit the webhook) so deliveries arrive.` : '');
      return node;
    });
  }

  private eventNodes(): ReceiverNode[] {
    const events = this.receiver.store.list();
    return events.slice(-RECENT_EVENTS).reverse().map((event) => eventNode(event));
  }
}

function eventNode(event: ReceivedEvent): ReceiverNode {
  const node = new ReceiverNode('event', eventTitle(event), vscode.TreeItemCollapsibleState.None, event.id);
  node.id = `receiver:event:${event.id}`;
  node.description = `${new Date(event.receivedAt).toLocaleTimeString()} · ${event.format}${event.simulated ? ' · simulated' : ''}`;
  node.iconPath = new vscode.ThemeIcon(event.decodeError ? 'warning' : 'mail');
  node.contextValue = 'receiver:event';
  node.command = { command: 'penpot.receiver.open', title: 'Open in Webhook Viewer', arguments: [{ revealId: event.id }] };
  return node;
}
