// The payload viewer panel: one per window, restored after a reload by a WebviewPanelSerializer.
// The host side of protocol.ts: answers `ready` with every row, streams store changes in small batches, and
// serves the webview's requests (detail, search, actions).
import * as vscode from 'vscode';
import type { ReceiverDeps } from '../receiver/eventActions';
import {
  clearEvents, copyEventCurl, copyEventJson, exportFromViewer, openEventJson, replayStoredEvent,
} from '../receiver/eventActions';
import type { ReceiverEventsChange } from '../receiver/receiverService';
import { searchEvents } from './eventText';
import { createNonce, viewerHtml } from './html';
import {
  isViewerMessage, toEventRow, TOOLBAR_COMMANDS, VIEWER_VIEW_TYPE,
  type HostMessage, type RequestMethod, type ToolbarCommand, type ViewerMessage, type ViewerRequests,
} from './protocol';

/** How long store changes are collected before they are posted: one message per burst, not per event. */
const BATCH_MS = 50;

type StreamMessage = Extract<HostMessage, { type: 'added' | 'updated' | 'removed' | 'cleared' }>;

export class ViewerPanel {
  private static current: ViewerPanel | undefined;

  /** Opens the viewer, or brings the open one to the front; `revealId` selects that event. */
  static show(deps: ReceiverDeps, revealId?: string): ViewerPanel {
    let viewer = ViewerPanel.current;
    if (viewer) {
      viewer.panel.reveal(undefined, false);
    } else {
      const panel = vscode.window.createWebviewPanel(VIEWER_VIEW_TYPE, 'Penpot Webhooks', vscode.ViewColumn.Active, webviewOptions(deps.context));
      viewer = new ViewerPanel(panel, deps);
    }
    if (revealId !== undefined) viewer.reveal(revealId);
    return viewer;
  }

  static registerSerializer(deps: ReceiverDeps): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(VIEWER_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        // The saved options are not trusted after a reload: set them again, as VS Code's restore pattern does.
        panel.webview.options = webviewOptions(deps.context);
        if (ViewerPanel.current) {
          panel.dispose(); // a second restored copy: one viewer per window
          return;
        }
        new ViewerPanel(panel, deps);
      },
    });
  }

  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private pending: StreamMessage[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** An event to select once the webview has its rows. */
  private pendingReveal: string | undefined;

  private constructor(private readonly panel: vscode.WebviewPanel, private readonly deps: ReceiverDeps) {
    ViewerPanel.current = this;
    panel.iconPath = vscode.Uri.joinPath(deps.context.extensionUri, 'resources', 'penpot.svg');
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)),
      // Without retainContextWhenHidden the page is discarded while hidden; it says `ready` again when shown.
      panel.onDidChangeViewState(() => { if (!panel.visible) this.ready = false; }),
      deps.receiver.onDidChangeEvents((change) => this.onEventsChanged(change)),
      deps.receiver.onDidChangeStatus(() => this.post({ type: 'status', status: deps.receiver.status() })),
    );
  }

  reveal(id: string): void {
    if (!this.ready) {
      this.pendingReveal = id;
      return;
    }
    // The event may still sit in the batch: send it first, so the webview knows the row it is asked to show.
    this.flush();
    this.post({ type: 'reveal', id });
  }

  private html(): string {
    const webview = this.panel.webview;
    const root = this.deps.context.extensionUri;
    const asset = (...segments: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(root, ...segments)).toString();
    return viewerHtml({
      cspSource: webview.cspSource,
      scriptUri: asset('dist', 'webview', 'viewer.js'),
      styleUri: asset('media', 'viewer', 'viewer.css'),
      codiconsUri: asset('dist', 'webview', 'codicons', 'codicon.css'),
    }, createNonce());
  }

  private onMessage(message: unknown): void {
    if (!isViewerMessage(message)) {
      this.deps.services.log.warn('viewer', 'ignored a malformed message from the webview');
      return;
    }
    if (message.type === 'ready') {
      this.ready = true;
      this.pending = [];
      const store = this.deps.receiver.store;
      void this.panel.webview.postMessage({
        type: 'init', rows: store.list().map(toEventRow), status: this.deps.receiver.status(),
      } satisfies HostMessage);
      if (this.pendingReveal !== undefined) {
        this.post({ type: 'reveal', id: this.pendingReveal });
        this.pendingReveal = undefined;
      }
      return;
    }
    void this.answer(message);
  }

  private async answer(message: Extract<ViewerMessage, { type: 'request' }>): Promise<void> {
    let reply: HostMessage;
    try {
      reply = { type: 'reply', requestId: message.requestId, ok: true, result: await this.handle(message.method, message.params) };
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.deps.services.log.error('viewer', `${message.method} failed: ${text}`);
      reply = { type: 'reply', requestId: message.requestId, ok: false, error: this.deps.services.log.scrub(text) };
    }
    void this.panel.webview.postMessage(reply);
  }

  private async handle<M extends RequestMethod>(method: M, rawParams: ViewerRequests[M]['params']): Promise<ViewerRequests[M]['result']> {
    const deps = this.deps;
    const params = rawParams as Record<string, unknown>;
    const id = (): string => {
      if (typeof params.id !== 'string') throw new Error(`${method}: missing event id`);
      return params.id;
    };
    const ids = (key: string): string[] | undefined => {
      const value = params[key];
      if (value === undefined) return undefined;
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new Error(`${method}: ${key} must be a list of ids`);
      return value as string[];
    };
    type R = ViewerRequests[M]['result'];
    switch (method) {
      case 'getDetail':
        return (deps.receiver.store.get(id()) ?? null) as R;
      case 'search': {
        const store = deps.receiver.store;
        const within = ids('ids');
        const events = within ? within.map((i) => store.get(i)).filter((e) => e !== undefined) : store.list();
        return searchEvents(events, typeof params.text === 'string' ? params.text : '') as R;
      }
      case 'copyJson':
        await copyEventJson(deps, id());
        return undefined as R;
      case 'copyCurl':
        await copyEventCurl(deps, id());
        return undefined as R;
      case 'openJson':
        await openEventJson(deps, id());
        return undefined as R;
      case 'replay': {
        const result = await replayStoredEvent(deps, { id: id() });
        return (result.ok ? result.result : null) as R;
      }
      case 'export': {
        const result = await exportFromViewer(deps, ids('selectedIds') ?? [], ids('visibleIds') ?? []);
        return (result.ok ? result.count : null) as R;
      }
      case 'clear': {
        const result = await clearEvents(deps);
        return result.ok as R;
      }
      case 'runCommand': {
        const command = params.command as ToolbarCommand;
        if (!TOOLBAR_COMMANDS.includes(command)) throw new Error(`runCommand: ${String(command)} is not a viewer command`);
        await vscode.commands.executeCommand(command);
        return undefined as R;
      }
    }
    throw new Error(`Unknown request ${String(method)}`);
  }

  private onEventsChanged(change: ReceiverEventsChange): void {
    switch (change.kind) {
      case 'reset':
        this.pending = [];
        // A fresh page load re-runs the handshake against the reopened store.
        this.ready = false;
        this.panel.webview.html = this.html();
        return;
      case 'added':
        if (change.evictedIds.length > 0) this.queue({ type: 'removed', ids: change.evictedIds });
        this.queue({ type: 'added', rows: [toEventRow(change.event)] });
        return;
      case 'updated':
        this.queue({ type: 'updated', rows: [toEventRow(change.event)] });
        return;
      case 'removed':
        this.queue({ type: 'removed', ids: change.ids });
        return;
      case 'cleared':
        this.pending = [{ type: 'cleared' }];
        this.scheduleFlush();
    }
  }

  /** Collects a change, merging it into the previous one of the same kind. */
  private queue(message: StreamMessage): void {
    if (!this.ready) return; // the next `init` carries the whole list
    const last = this.pending[this.pending.length - 1];
    if (last?.type === 'added' && message.type === 'added') last.rows.push(...message.rows);
    else if (last?.type === 'updated' && message.type === 'updated') last.rows.push(...message.rows);
    else if (last?.type === 'removed' && message.type === 'removed') last.ids.push(...message.ids);
    else this.pending.push(message);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    this.flushTimer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const messages = this.pending;
    this.pending = [];
    if (this.ready) for (const message of messages) void this.panel.webview.postMessage(message);
  }

  private post(message: HostMessage): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  private dispose(): void {
    if (ViewerPanel.current === this) ViewerPanel.current = undefined;
    clearTimeout(this.flushTimer);
    this.disposables.splice(0).forEach((d) => d.dispose());
  }
}

function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableFindWidget: true,
    localResourceRoots: [
      vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(context.extensionUri, 'media', 'viewer'),
      vscode.Uri.joinPath(context.extensionUri, 'resources'),
    ],
  };
}
