// The webview options every panel of the extension uses (viewer, event catalog, doctor report): scripts on, and
// only the folders its page loads from: the bundles and icon font, the shared stylesheet, the panel's own media.
import * as vscode from 'vscode';

export interface PanelWebviewOptions {
  /** The panel's own folder under media/ (its stylesheet). */
  mediaFolder: string;
  /** Ctrl+F over the page (the viewer and the catalog; the doctor report is short). */
  findWidget?: boolean;
}

export function panelWebviewOptions(
  context: vscode.ExtensionContext,
  { mediaFolder, findWidget = false }: PanelWebviewOptions,
): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    ...(findWidget ? { enableFindWidget: true } : {}),
    localResourceRoots: [
      vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(context.extensionUri, 'media', 'common'),
      vscode.Uri.joinPath(context.extensionUri, 'media', mediaFolder),
    ],
  };
}
