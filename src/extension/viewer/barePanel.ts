// The benchmark's baseline for opening the viewer (bench/viewer.ts): a webview panel with the viewer's options and
// CSP whose page only posts `ready` and shows the store's event count, so "open → count shown" for it is what
// VS Code itself takes (panel, iframe, message round trip). Registered only outside production (testApi.ts).
import * as vscode from 'vscode';
import type { Services } from '../services';
import { contentSecurityPolicy, createNonce } from './html';
import { viewerWebviewOptions } from './viewerPanel';

/** The bare panel's own view type: nothing restores it after a reload (no serializer). */
const BARE_VIEW_TYPE = 'penpot.bench.bareWebview';

/** Opens a new bare panel; the page draws the count into #bare-count and marks `bare-count-shown`, as the viewer does. */
export function openBareWebview(deps: Services): void {
  const panel = vscode.window.createWebviewPanel(BARE_VIEW_TYPE, 'Bare Webview', vscode.ViewColumn.Active, viewerWebviewOptions(deps.context));
  const subscription = panel.webview.onDidReceiveMessage((message: unknown) => {
    if ((message as { type?: unknown } | undefined)?.type === 'ready') void panel.webview.postMessage({ type: 'init', total: deps.receiver.store.size });
  });
  panel.onDidDispose(() => {
    subscription.dispose();
  });
  const scriptUri = panel.webview.asWebviewUri(vscode.Uri.joinPath(deps.context.extensionUri, 'dist', 'webview', 'bareWebview.js')).toString();
  panel.webview.html = bareHtml(panel.webview.cspSource, scriptUri, createNonce());
}

function bareHtml(cspSource: string, scriptUri: string, nonce: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(cspSource, nonce)}">
<title>Bare Webview</title>
</head>
<body>
<span id="bare-count"></span>
<script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}
