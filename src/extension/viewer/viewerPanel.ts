// The payload viewer panel: one per window, restored after a reload by a WebviewPanelSerializer.
// The host side of protocol.ts: answers `ready` with the newest rows at once and the older ones in chunks, streams
// store changes folded per time slice (changeBatch.ts), keeps the search index (searchIndex.ts), and serves the
// webview's requests (detail, search, actions).
import * as vscode from 'vscode';
import { panelWebviewOptions } from '../common/panelWebview';
import type { Services } from '../services';
import {
  clearEvents, copyEventCurl, copyEventJson, exportFromViewer, openEventJson, replayStoredEvent,
} from '../receiver/eventActions';
import type { ReceiverEventsChange } from '../receiver/receiverService';
import { Disposable } from '../common/lifecycle';
import { ChangeBatcher } from './changeBatch';
import { SearchIndex } from './searchIndex';
import { eventDetail } from './eventText';
import { createNonce, viewerHtml } from './html';
import {
  firstRowsFor, isViewerMessage, toEventRow, TOOLBAR_COMMANDS, VIEWER_VIEW_TYPE,
  type HostMessage, type RequestMethod, type ToolbarCommand, type ViewerMessage, type ViewerRequests,
} from './protocol';
import { executeCommand } from '../common/commands';
import { answerWebviewRequest } from '../common/webviewRequests';

/** How long store changes are collected before they are posted: a couple of frames, one message per burst. */
const BATCH_MS = 32;
/** Rows per `initRows` message after it. */
const CHUNK_ROWS = 5_000;
/** Time the webview gets to paint the first rows before the older ones follow, and between their chunks. */
const FIRST_PAINT_MS = 150;
const CHUNK_GAP_MS = 16;

export class ViewerPanel extends Disposable {
  private static current: ViewerPanel | undefined;

  /** Opens the viewer, or brings the open one to the front; `revealId` selects that event. */
  static show(deps: Services, revealId?: string): ViewerPanel {
    let viewer = ViewerPanel.current;
    if (viewer) {
      viewer.panel.reveal(undefined, false);
    } else {
      const panel = vscode.window.createWebviewPanel(VIEWER_VIEW_TYPE, 'Penpot Webhooks', vscode.ViewColumn.Active, viewerWebviewOptions(deps.context));
      viewer = new ViewerPanel(panel, deps);
    }
    if (revealId !== undefined) viewer.reveal(revealId);
    return viewer;
  }

  static registerSerializer(deps: Services): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(VIEWER_VIEW_TYPE, {
      deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
        // The saved options are not trusted after a reload: set them again, as VS Code's restore pattern does.
        panel.webview.options = viewerWebviewOptions(deps.context);
        if (ViewerPanel.current) {
          panel.dispose(); // a second restored copy: one viewer per window
          return Promise.resolve();
        }
        new ViewerPanel(panel, deps);
        return Promise.resolve();
      },
    });
  }

  private ready = false;
  /** Counts page loads, so that an old page's chunked init stops when the webview loads again. */
  private initGeneration = 0;
  private readonly batcher = new ChangeBatcher(
    (flush) => {
      const timer = setTimeout(flush, BATCH_MS);
      return () => clearTimeout(timer);
    },
    (changes) => this.post({ type: 'changes', ...changes }),
  );
  private readonly searchIndex: SearchIndex;
  /** The index is filled from the store once the first rows are out, so that filling it never delays opening. */
  private indexSeeded = false;
  /** An event to select once the webview has its rows. */
  private pendingReveal: string | undefined;

  private constructor(private readonly panel: vscode.WebviewPanel, private readonly deps: Services) {
    super();
    ViewerPanel.current = this;
    this.searchIndex = new SearchIndex((id) => deps.receiver.store.get(id));
    panel.iconPath = vscode.Uri.joinPath(deps.context.extensionUri, 'media', 'penpot.svg');
    panel.webview.html = this.html();
    this.register(panel); // disposing the viewer closes its panel
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register(panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)));
    // Without retainContextWhenHidden the page is discarded while hidden; it says `ready` again when shown.
    this.register(panel.onDidChangeViewState(() => { if (!panel.visible) this.setReady(false); }));
    this.register(deps.receiver.onDidChangeEvents((change) => this.onEventsChanged(change)));
    this.register(deps.receiver.onDidChangeStatus(() => this.post({ type: 'status', status: deps.receiver.status() })));
    this.register({
      dispose: () => {
        if (ViewerPanel.current === this) ViewerPanel.current = undefined;
        this.batcher.reset();
        this.searchIndex.dispose();
      },
    });
  }

  reveal(id: string): void {
    if (!this.ready) {
      this.pendingReveal = id;
      return;
    }
    // The event may still sit in the batch: send it first, so the webview knows the row it is asked to show.
    this.batcher.flush();
    this.post({ type: 'reveal', id });
  }

  private html(): string {
    const webview = this.panel.webview;
    const root = this.deps.context.extensionUri;
    const asset = (...segments: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(root, ...segments)).toString();
    return viewerHtml({
      cspSource: webview.cspSource,
      scriptUri: asset('dist', 'webview', 'viewer.js'),
      commonStyleUri: asset('media', 'common', 'panel.css'),
      styleUri: asset('media', 'viewer', 'viewer.css'),
      codiconsUri: asset('dist', 'webview', 'codicons', 'codicon.css'),
    }, createNonce());
  }

  private onMessage(message: unknown): void {
    if (!isViewerMessage(message)) {
      this.deps.log.warn('viewer', 'ignored a malformed message from the webview');
      return;
    }
    if (message.type === 'ready') {
      void this.sendRows(firstRowsFor(message.firstRows));
      return;
    }
    void this.answer(message);
  }

  private answer(message: Extract<ViewerMessage, { type: 'request' }>): Promise<void> {
    return answerWebviewRequest(
      message,
      (request) => this.handle(request.method, request.params),
      (reply) => void this.panel.webview.postMessage(reply),
      { log: this.deps.log, component: 'viewer' },
    );
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
      return value;
    };
    switch (method) {
      case 'getDetail': {
        const event = deps.receiver.store.get(id());
        // A large body is decoded in the workers: reading `decoded` here would block the receiver's answers.
        return event === undefined ? null : await eventDetail(event);
      }
      case 'search':
        this.seedIndex();
        return await this.searchIndex.search(typeof params.text === 'string' ? params.text : '', ids('ids'));
      case 'copyJson':
        await copyEventJson(deps, id());
        return undefined;
      case 'copyCurl':
        await copyEventCurl(deps, id());
        return undefined;
      case 'openJson':
        await openEventJson(deps, id());
        return undefined;
      case 'replay': {
        const result = await replayStoredEvent(deps, { id: id() });
        return (result.ok ? result.result : null);
      }
      case 'export': {
        const result = await exportFromViewer(deps, ids('selectedIds') ?? [], ids('visibleIds') ?? []);
        return (result.ok ? result.count : null);
      }
      case 'clear': {
        const result = await clearEvents(deps);
        return result.ok;
      }
      case 'runCommand': {
        const command = params.command as ToolbarCommand;
        if (!TOOLBAR_COMMANDS.includes(command)) throw new Error(`runCommand: ${String(command)} is not a viewer command`);
        await executeCommand(command);
        return undefined;
      }
    }
    throw new Error(`Unknown request ${String(method)}`);
  }

  /**
   * Answers `ready`: the newest `firstRows` at once (what the first screen shows, and the total for the count), then
   * the older ones in chunks, one per event-loop turn so the receiver keeps answering. Changes meanwhile wait in the
   * batcher and follow the last chunk.
   */
  private async sendRows(firstRows: number): Promise<void> {
    const generation = ++this.initGeneration;
    this.setReady(true);
    this.batcher.reset();
    this.batcher.hold(true);
    const events = this.deps.receiver.store.list();
    // Each row's check may be made now, from the history file (about 0.1 ms a row): only the first screen's wait.
    let end = Math.max(0, events.length - firstRows);
    this.post({
      type: 'init', rows: events.slice(end).map(toEventRow), total: events.length, done: end === 0, status: this.deps.receiver.status(),
    });
    // The older rows wait a little: queued right behind `init`, megabytes of them kept the webview from painting
    // its first screen for seconds at 100,000 rows.
    if (end > 0) await new Promise((resolve) => setTimeout(resolve, FIRST_PAINT_MS));
    while (end > 0) {
      await new Promise((resolve) => setTimeout(resolve, CHUNK_GAP_MS));
      if (generation !== this.initGeneration || !this.ready) return;
      const start = Math.max(0, end - CHUNK_ROWS);
      this.post({ type: 'initRows', rows: events.slice(start, end).map(toEventRow), done: start === 0 });
      end = start;
    }
    this.batcher.hold(false);
    this.seedIndex();
    if (this.pendingReveal !== undefined) {
      this.batcher.flush();
      this.post({ type: 'reveal', id: this.pendingReveal });
      this.pendingReveal = undefined;
    }
  }

  private seedIndex(): void {
    if (this.indexSeeded) return;
    this.indexSeeded = true;
    this.searchIndex.seed(this.deps.receiver.store.list().map((e) => e.id));
  }

  private setReady(ready: boolean): void {
    this.ready = ready;
    if (!ready) {
      this.initGeneration++;
      this.batcher.reset(); // the next `ready` sends a fresh snapshot
      this.batcher.hold(true);
    }
  }

  private onEventsChanged(change: ReceiverEventsChange): void {
    this.searchIndex.onStoreChange(change);
    if (change.kind === 'reset') {
      this.indexSeeded = false;
      // A fresh page load re-runs the handshake against the reopened store.
      this.setReady(false);
      this.panel.webview.html = this.html();
      return;
    }
    if (this.ready) this.batcher.push(change);
  }

  private post(message: HostMessage): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

}

/** Also the bench's bare panel's (barePanel.ts), so that its open is the viewer's without the viewer. */
export function viewerWebviewOptions(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return panelWebviewOptions(context, { mediaFolder: 'viewer', findWidget: true });
}
