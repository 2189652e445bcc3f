import * as vscode from 'vscode';

const SCHEME = 'penpot-item';

type Level = 'ok' | 'never' | 'soon' | 'expired';

/**
 * The `resourceUri` a tree item sets to get its label coloured. The level travels in the URI itself, so the
 * provider needs no state and never goes out of date.
 */
export function decorationUri(kind: string, id: string, level: Level): vscode.Uri {
  return vscode.Uri.from({ scheme: SCHEME, path: `/${kind}/${id}`, query: level });
}

const DECORATIONS: Partial<Record<Level, vscode.FileDecoration>> = {
  soon: new vscode.FileDecoration('!', 'Expires within 7 days', new vscode.ThemeColor('list.warningForeground')),
  expired: new vscode.FileDecoration('✕', 'Expired', new vscode.ThemeColor('list.errorForeground')),
};

export function registerDecorations(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.window.registerFileDecorationProvider({
    provideFileDecoration(uri) {
      if (uri.scheme !== SCHEME) return undefined;
      return DECORATIONS[uri.query as Level];
    },
  }));
}
