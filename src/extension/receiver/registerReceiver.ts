// The webhook receiver feature in VS Code: its service, commands, viewer, status bar item, view and documents.
import type * as vscode from 'vscode';
import { setContext } from '../common/contextKeys';
import type { Services } from '../services';
import { ViewerPanel } from '../viewer/viewerPanel';
import { registerReceiverCommands } from './commands';
import { registerEventDocuments } from './eventDocument';
import type { ReceiverDeps } from './eventActions';
import { ReceiverService } from './receiverService';
import { ReceiverTreeProvider } from './receiverView';
import { registerReceiverStatusBar } from './statusBar';
import { registerTwinEmit } from './twinEmit';

/** True while the receiver listens: switches Start/Stop in the palette and the Receiver view's title. */
export const CONTEXT_RECEIVER_RUNNING = 'penpot.receiver.running';

export function registerReceiver(context: vscode.ExtensionContext, services: Services): ReceiverService {
  const receiver = new ReceiverService(context, services.log);
  context.subscriptions.push(receiver);
  void setContext(CONTEXT_RECEIVER_RUNNING, false);
  context.subscriptions.push(receiver.onDidChangeStatus(() => void setContext(CONTEXT_RECEIVER_RUNNING, receiver.running)));
  const deps: ReceiverDeps = { context, services, receiver };
  registerReceiverCommands(deps);
  registerEventDocuments(context, receiver);
  registerReceiverStatusBar(context, receiver);
  const tree = new ReceiverTreeProvider(receiver, services);
  context.subscriptions.push(tree, ViewerPanel.registerSerializer(deps));
  tree.createView();
  registerTwinEmit(context, services);
  return receiver;
}
