// The event catalog feature: "Browse Webhook Events" (a webview panel) and "Generate Webhook Types".
import type * as vscode from 'vscode';
import { findPenpotEvent } from '../../penpot/catalog';
import { registerCommand } from '../common/commands';
import { Command } from '../registry';
import type { Services } from '../services';
import { CatalogPanel } from './catalogPanel';
import { registerGenerateTypes } from './generateTypes';

/** Browse Webhook Events takes an event name (or `{ event }`) to show. */
function eventArgument(arg: unknown): string | undefined {
  const name = typeof arg === 'string' ? arg : typeof arg === 'object' && arg !== null ? (arg as { event?: unknown }).event : undefined;
  return typeof name === 'string' && findPenpotEvent(name) ? name : undefined;
}

export function registerCatalog(context: vscode.ExtensionContext, services: Services): void {
  registerGenerateTypes(context, services);
  context.subscriptions.push(
    CatalogPanel.registerSerializer(context, services),
    registerCommand(Command.browseEvents, (arg?: unknown) => {
      CatalogPanel.show(context, services, eventArgument(arg));
      return { ok: true };
    }),
  );
}
