// The webhook receiver feature in VS Code: its service, commands, viewer, status bar item, view and documents.
import { setContext } from '../common/contextKeys';
import type { Services } from '../services';
import { ViewerPanel } from '../viewer/viewerPanel';
import { registerReceiverCommands } from './commands';
import { registerEventDocuments } from './eventDocument';
import { ReceiverTreeProvider } from './receiverView';
import { registerReceiverStatusBar } from './statusBar';
import { registerTwinEmit } from './twinEmit';
import { ContextKey } from '../registry';

/** Registers everything of the feature; returns the Receiver view's provider (the test API reads its rows). */
export function registerReceiver(services: Services): ReceiverTreeProvider {
  const { context, receiver } = services;
  void setContext(ContextKey.receiverRunning, false);
  context.subscriptions.push(receiver.onDidChangeStatus(() => void setContext(ContextKey.receiverRunning, receiver.running)));
  registerReceiverCommands(services);
  registerEventDocuments(context, receiver);
  registerReceiverStatusBar(context, receiver);
  const tree = new ReceiverTreeProvider(receiver, services);
  context.subscriptions.push(tree, ViewerPanel.registerSerializer(services));
  tree.createView();
  registerTwinEmit(context, services);
  return tree;
}
