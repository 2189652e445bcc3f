import * as vscode from 'vscode';
import type { ContextKeyName } from '../registry';

const lastValues = new Map<ContextKeyName, unknown>();

/** Sets a context key of the registry (registry.ts `ContextKey`), skipping the round trip when it did not change. */
export function setContext(key: ContextKeyName, value: unknown): Thenable<unknown> {
  if (lastValues.has(key) && lastValues.get(key) === value) return Promise.resolve();
  lastValues.set(key, value);
  return vscode.commands.executeCommand('setContext', key, value);
}
