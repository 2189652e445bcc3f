import * as vscode from 'vscode';

// Thin entry point: each feature registers itself from its own module.
export function activate(context: vscode.ExtensionContext): void {
  void context;
}

export function deactivate(): void {
  // Everything disposable is owned by context.subscriptions.
}
