// Typed registerCommand/executeCommand over the registry (registry.ts): an id that is not registered, the wrong
// options or a misread result fail to compile. Inside the extension, prefer calling the feature's function: these
// are for registering, and for a command chosen from data (a pick of account actions, a doctor fix).
import * as vscode from 'vscode';
import type { CommandArgs, CommandId, CommandReturn, CommandSignatures } from '../registry';

export function registerCommand<K extends CommandId>(id: K, handler: CommandSignatures[K]): vscode.Disposable {
  return vscode.commands.registerCommand(id, handler);
}

export function executeCommand<K extends CommandId>(id: K, ...args: CommandArgs<K>): Thenable<CommandReturn<K> | undefined> {
  return vscode.commands.executeCommand<CommandReturn<K> | undefined>(id, ...args);
}
