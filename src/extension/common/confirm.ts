// The modal warning that guards an action that cannot be undone.
import * as vscode from 'vscode';

/** Shows `message` as a modal warning with `detail` and one button; true only when that button (`accept`) is chosen. */
export async function confirmModal(message: string, detail: string, accept: string): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, accept);
  return choice === accept;
}
