// The "Receiver" view of the Penpot container: state and URL, forward target, the team webhooks that deliver to it,
// and the newest events (a click opens the viewer on one). The rows are the classes of receiverNodes.ts.
import * as vscode from 'vscode';
import { debounce } from '../../common/debounce';
import { Disposable } from '../common/lifecycle';
import { webhooksOfReceiver, type ReceivingWebhook } from '../presentation';
import { ViewId } from '../registry';
import type { Services } from '../services';
import {
  EventNode, EventsNode, ForwardNode, ReceiverStatusNode, ReceiverUrlNode, ReceivingWebhookNode, ReceivingWebhooksNode,
  type ReceiverTreeNode,
} from './receiverNodes';
import type { ReceiverService } from './receiverService';

/** Newest events listed in the view; the viewer has the rest. */
const RECENT_EVENTS = 10;
/** Event bursts refresh the view at most this often, so a stream of events does not redraw the tree for each one. */
const REFRESH_DEBOUNCE_MS = 500;

export class ReceiverTreeProvider extends Disposable implements vscode.TreeDataProvider<ReceiverTreeNode> {
  private readonly changed = this.register(new vscode.EventEmitter<ReceiverTreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly scheduleRefresh = debounce(() => this.changed.fire(undefined), REFRESH_DEBOUNCE_MS);

  constructor(private readonly receiver: ReceiverService, private readonly services: Services) {
    super();
    this.register(receiver.onDidChangeStatus(() => this.changed.fire(undefined)));
    this.register(receiver.onDidChangeEvents(() => this.scheduleRefresh()));
    this.register(services.account.onDidChange(() => this.changed.fire(undefined)));
    // The "Receives from" count is read from the Teams view's loaded webhooks.
    this.register(services.teams.onDidChangeTreeData(() => this.scheduleRefresh()));
    this.register({ dispose: () => this.scheduleRefresh.cancel() });
  }

  createView(): vscode.TreeView<ReceiverTreeNode> {
    return this.register(vscode.window.createTreeView(ViewId.receiver, { treeDataProvider: this }));
  }

  getTreeItem(node: ReceiverTreeNode): vscode.TreeItem {
    return node;
  }

  async getChildren(node?: ReceiverTreeNode): Promise<ReceiverTreeNode[]> {
    if (!node) return this.rootNodes();
    if (node instanceof ReceivingWebhooksNode) {
      const current = this.receiver.webhookUrl;
      return node.webhooks.map((found) => new ReceivingWebhookNode(found, current));
    }
    if (node instanceof EventsNode) return this.receiver.store.list().slice(-RECENT_EVENTS).reverse().map((event) => new EventNode(event));
    return [];
  }

  private async rootNodes(): Promise<ReceiverTreeNode[]> {
    const status = this.receiver.status();
    const nodes: ReceiverTreeNode[] = [new ReceiverStatusNode(status)];
    const webhookUrl = this.receiver.webhookUrl;
    if (webhookUrl) nodes.push(new ReceiverUrlNode(webhookUrl, status));
    nodes.push(new ForwardNode(status.forwardUrl));
    const webhooks = await this.receivingWebhooks();
    if (webhooks.length > 0) nodes.push(new ReceivingWebhooksNode(webhooks, status.running));
    nodes.push(new EventsNode(this.receiver.store.size));
    return nodes;
  }

  /**
   * Every webhook of the signed-in account's teams that points at this receiver, created here or not. Loads the
   * teams when nothing has loaded them yet; a failed load shows no group (the Teams view says why).
   */
  private async receivingWebhooks(): Promise<ReceivingWebhook[]> {
    if (!this.services.account.signedIn) return [];
    const secret = await this.receiver.hooksSecret();
    if (!secret) return [];
    await this.services.teams.ensureLoaded();
    return webhooksOfReceiver(this.services.teams.entries, secret);
  }
}
