import * as vscode from 'vscode';

// Context keys the package.json `when` clauses read. Views, welcome views and menus depend on them staying true to
// the state (a stale key is the "stuck at Sign in" bug of other extensions), so every state change sets them.
export const CONTEXT_SIGNED_IN = 'penpot.signedIn';
/** Set once the stored session has been read, so the signed-out welcome does not flash while activation reads it. */
export const CONTEXT_SIGNED_OUT = 'penpot.signedOut';

const lastValues = new Map<string, unknown>();

export function setContext(key: string, value: unknown): Thenable<unknown> {
  if (lastValues.has(key) && lastValues.get(key) === value) return Promise.resolve();
  lastValues.set(key, value);
  return vscode.commands.executeCommand('setContext', key, value);
}
