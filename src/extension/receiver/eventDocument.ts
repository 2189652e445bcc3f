// "Open as JSON": a read-only virtual document per stored event, so the editor's folding, search
// and copy work on a payload. The URI carries the event id; the content is read from the store each time.
import * as vscode from 'vscode';
import type { ReceivedEvent } from '../../receiver/types';
import { bodyText, payloadJsonText } from '../viewer/eventText';
import type { ReceiverService } from './receiverService';
import { plural } from '../../common/words';

export const EVENT_DOCUMENT_SCHEME = 'penpot-webhook-event';

export function eventDocumentUri(event: ReceivedEvent): vscode.Uri {
  const name = (event.summary.eventName ?? 'request').replace(/[^A-Za-z0-9._-]/g, '_');
  const extension = event.decoded ? 'json' : 'txt';
  return vscode.Uri.from({ scheme: EVENT_DOCUMENT_SCHEME, path: `/${event.seq}-${name}.${extension}`, query: `id=${encodeURIComponent(event.id)}` });
}

class EventDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly receiver: ReceiverService) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const id = new URLSearchParams(uri.query).get('id') ?? '';
    const event = this.receiver.store.get(id);
    if (!event) return `Event ${id} is no longer stored.`;
    const editor = vscode.workspace.getConfiguration('editor', { languageId: 'json' });
    const indent = editor.get<boolean>('insertSpaces', true) ? editor.get<number>('tabSize', 2) : '\t';
    return payloadJsonText(event, indent) ?? bodyText(event) ?? `(${plural(event.size, 'byte')} of binary data)`;
  }
}

export function registerEventDocuments(context: vscode.ExtensionContext, receiver: ReceiverService): void {
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(EVENT_DOCUMENT_SCHEME, new EventDocumentProvider(receiver)),
  );
}
