// Status bar item while the receiver runs: where it listens and how many events are stored; a click opens the viewer.
import * as vscode from 'vscode';
import type { ReceiverService } from './receiverService';
import { hostAndPort } from './settings';
import { plural } from '../../common/words';
import { debounce } from '../../common/debounce';
import { Command } from '../registry';

export function registerReceiverStatusBar(context: vscode.ExtensionContext, receiver: ReceiverService): void {
  const item = vscode.window.createStatusBarItem('penpot.receiver', vscode.StatusBarAlignment.Right, 99);
  item.name = 'Penpot Webhook Receiver';
  item.command = Command.openViewer;
  const update = (): void => {
    const status = receiver.status();
    if (!status.running || !status.localUrl) {
      item.hide();
      return;
    }
    const where = hostAndPort(status.localUrl);
    item.text = `$(radio-tower) ${where} · ${status.eventCount}`;
    item.tooltip = `Penpot webhook receiver listening on ${where}${status.forwardUrl ? `, forwarding to ${status.forwardUrl}` : ''}. `
      + `${plural(status.eventCount, 'event')} stored. Click to open the viewer.`;
    item.accessibilityInformation = { label: `Penpot webhook receiver on ${where}, ${plural(status.eventCount, 'event')}` };
    item.show();
  };
  /** Events arriving in a burst update the count once. */
  const schedule = debounce(update, 200);
  update();
  context.subscriptions.push(
    item,
    receiver.onDidChangeStatus(update),
    receiver.onDidChangeEvents(schedule),
    { dispose: () => schedule.cancel() },
  );
}
