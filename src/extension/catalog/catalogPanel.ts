// "Penpot: Browse Webhook Events": the event catalog as a webview panel, one per window, restored after a reload.
// The host side of protocol.ts: sends the catalog on `ready`, generates an event's schema, examples and types on
// request (and keeps them, so Copy copies what is shown), and runs the receiver's Simulate with every question answered.
import * as vscode from 'vscode';
import { panelWebviewOptions } from '../common/panelWebview';
import type { PayloadShape } from '../../penpot/catalog';
import { PAYLOAD_SHAPES, findPenpotEvent } from '../../penpot/catalog';
import { pascalName } from '../../penpot/typesGen';
import { createNonce } from '../viewer/html';
import type { Services } from '../services';
import { simulate } from '../receiver/simulate';
import { ViewerPanel } from '../viewer/viewerPanel';
import { answerWebviewRequest } from '../common/webviewRequests';
import { generateTypes } from './generateTypes';
import { catalogHtml } from './html';
import { DEFAULT_SHAPE, VERSION_OF_SHAPE, eventDetail, eventViews, shapeViews } from './catalogData';
import {
  CATALOG_VIEW_TYPE, COPY_WHATS, isCatalogMessage,
  type CatalogHostMessage, type CatalogMessage, type CatalogRequestMethod, type CatalogRequests, type CopyWhat, type EventDetail, type SimulateOutcome,
} from './protocol';

const COMPONENT = 'catalog';
const TITLE = 'Penpot Webhook Events';

export class CatalogPanel {
  private static current: CatalogPanel | undefined;

  /** Opens the catalog, or brings the open one to the front; `select` shows that event. */
  static show(context: vscode.ExtensionContext, services: Services, select?: string): CatalogPanel {
    let catalog = CatalogPanel.current;
    if (catalog) {
      catalog.panel.reveal(undefined, false);
      if (select !== undefined) catalog.select(select);
    } else {
      const panel = vscode.window.createWebviewPanel(CATALOG_VIEW_TYPE, TITLE, vscode.ViewColumn.Active, webviewOptions(context));
      catalog = new CatalogPanel(panel, context, services, select);
    }
    return catalog;
  }

  static registerSerializer(context: vscode.ExtensionContext, services: Services): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(CATALOG_VIEW_TYPE, {
      deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
        // The saved options are not trusted after a reload: set them again.
        panel.webview.options = webviewOptions(context);
        if (CatalogPanel.current) panel.dispose();
        else new CatalogPanel(panel, context, services);
        return Promise.resolve();
      },
    });
  }

  private readonly disposables: vscode.Disposable[] = [];
  /** Generated once per event and shape, so the examples stay put and Copy copies what the panel shows. */
  private readonly details = new Map<string, EventDetail>();
  private ready = false;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly services: Services,
    private pendingSelect?: string,
  ) {
    CatalogPanel.current = this;
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'penpot.svg');
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)),
      // Without retainContextWhenHidden the page is discarded while hidden; it says `ready` again when shown.
      panel.onDidChangeViewState(() => { if (!panel.visible) this.ready = false; }),
    );
  }

  select(name: string): void {
    if (this.ready) this.post({ type: 'select', name });
    else this.pendingSelect = name;
  }

  private html(): string {
    const webview = this.panel.webview;
    const asset = (...segments: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, ...segments)).toString();
    return catalogHtml({
      cspSource: webview.cspSource,
      scriptUri: asset('dist', 'webview', 'catalog.js'),
      commonStyleUri: asset('media', 'common', 'panel.css'),
      styleUri: asset('media', 'catalog', 'catalog.css'),
      codiconsUri: asset('dist', 'webview', 'codicons', 'codicon.css'),
    }, createNonce());
  }

  private onMessage(message: unknown): void {
    if (!isCatalogMessage(message)) {
      this.services.log.warn(COMPONENT, 'ignored a malformed message from the webview');
      return;
    }
    if (message.type === 'ready') {
      this.ready = true;
      this.post({ type: 'init', events: eventViews(), shapes: shapeViews(), defaultShape: DEFAULT_SHAPE, ...(this.pendingSelect ? { select: this.pendingSelect } : {}) });
      this.pendingSelect = undefined;
      return;
    }
    void this.answer(message);
  }

  private answer(message: Extract<CatalogMessage, { type: 'request' }>): Promise<void> {
    return answerWebviewRequest(
      message,
      (request) => this.handle(request.method, request.params),
      (reply) => void this.panel.webview.postMessage(reply),
      { log: this.services.log, component: COMPONENT },
    );
  }

  private async handle<M extends CatalogRequestMethod>(method: M, rawParams: CatalogRequests[M]['params']): Promise<CatalogRequests[M]['result']> {
    const params = rawParams as Record<string, unknown>;
    const name = (): string => {
      if (typeof params.name !== 'string' || !findPenpotEvent(params.name)) throw new Error(`${method}: not a Penpot event: ${String(params.name)}`);
      return params.name;
    };
    const shape = (): PayloadShape => {
      if (!PAYLOAD_SHAPES.includes(params.shape as PayloadShape)) throw new Error(`${method}: not a payload shape: ${String(params.shape)}`);
      return params.shape as PayloadShape;
    };
    switch (method) {
      case 'getDetail':
        return this.detail(name(), shape());
      case 'copy': {
        const what = params.what as CopyWhat;
        if (!COPY_WHATS.includes(what)) throw new Error(`copy: cannot copy ${String(what)}`);
        return await this.copy(name(), shape(), what);
      }
      case 'simulate': {
        const format = params.format === 'transit' ? 'transit' : 'json';
        return await this.simulate(name(), shape(), format);
      }
      case 'openViewer': {
        const revealId = typeof params.eventId === 'string' ? params.eventId : undefined;
        ViewerPanel.show(this.services, revealId);
        return undefined;
      }
      case 'generateTypes':
        await generateTypes(this.services, { shape: shape() });
        return undefined;
    }
    throw new Error(`Unknown request ${String(method)}`);
  }

  private detail(name: string, shape: PayloadShape): EventDetail {
    const key = `${name} ${shape}`;
    let detail = this.details.get(key);
    if (!detail) {
      detail = eventDetail(name, shape);
      this.details.set(key, detail);
    }
    return detail;
  }

  private async copy(name: string, shape: PayloadShape, what: CopyWhat): Promise<string> {
    const detail = this.detail(name, shape);
    const [text, label] = {
      type: [detail.type, `interface ${pascalName(name)}Event`],
      schema: [detail.schema, `the JSON Schema of ${name}`],
      'json-example': [detail.jsonExample, `a JSON ${name} payload`],
      'transit-example': [detail.transitExample, `a Transit ${name} payload`],
    }[what];
    await vscode.env.clipboard.writeText(text);
    return `Copied ${label}.`;
  }

  /** The receiver's Simulate command with every question answered: to the local receiver, not opening the viewer. */
  private async simulate(name: string, shape: PayloadShape, format: 'json' | 'transit'): Promise<SimulateOutcome> {
    const result = await simulate(this.services, {
      name, format, penpotVersion: VERSION_OF_SHAPE[shape], target: 'receiver', reveal: false,
    });
    if (!result.ok) return { ok: false, message: result.message };
    const status = result.result.status;
    const message = status !== undefined
      ? `Sent ${name} (${format === 'json' ? 'JSON' : 'Transit'}, ${shape}) to the receiver, which answered ${status}.`
      : `Sending ${name} to the receiver failed: ${result.result.error ?? 'no answer'}.`;
    return { ok: status !== undefined, message, ...(result.eventId ? { eventId: result.eventId } : {}) };
  }

  private post(message: CatalogHostMessage): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  private dispose(): void {
    if (CatalogPanel.current === this) CatalogPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return panelWebviewOptions(context, { mediaFolder: 'catalog', findWidget: true });
}
