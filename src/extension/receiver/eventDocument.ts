// "Open as JSON": a read-only virtual document per stored event, so the editor's folding, search
// and copy work on a payload. The URI carries the event id; the content is read from the store each time, a large
// body's JSON made in a decode worker (eventText.ts), never on the event loop that answers Penpot.
import * as vscode from 'vscode';
import type { ReceivedEvent } from '../../receiver/types';
import { bodyText, hasPayload, payloadJsonTextAsync } from '../viewer/eventText';
import type { ReceiverService } from './receiverService';
import { plural } from '../../common/words';

export const EVENT_DOCUMENT_SCHEME = 'penpot-webhook-event';

/** `json`: whether the document is the decoded payload (else the raw body). Decided from the list fields by default. */
export function eventDocumentUri(event: ReceivedEvent, json = hasPayload(event)): vscode.Uri {
  const name = (event.summary.eventName ?? 'request').replace(/[^A-Za-z0-9._-]/g, '_');
  const query = `id=${encodeURIComponent(event.id)}${json ? '' : '&raw=1'}`;
  return vscode.Uri.from({ scheme: EVENT_DOCUMENT_SCHEME, path: `/${event.seq}-${name}.${json ? 'json' : 'txt'}`, query });
}

export interface RenderedEventDocument {
  text: string;
  /** Whether `text` is the payload as JSON (else the raw body, or a note that it is binary). */
  json: boolean;
  /** Why the payload is not shown as JSON, or is shown compact; undefined when it is shown as asked. */
  problem?: string;
}

function rawText(event: ReceivedEvent): string {
  return bodyText(event) ?? `(${plural(event.size, 'byte')} of binary data)`;
}

function editorIndent(): number | string {
  const editor = vscode.workspace.getConfiguration('editor', { languageId: 'json' });
  return editor.get<boolean>('insertSpaces', true) ? editor.get<number>('tabSize', 2) : '\t';
}

/** The last rendering, so that "Open as JSON" and the provider it opens share one decode. */
let lastRendered: { id: string; indent: number | string; result: Promise<RenderedEventDocument> } | undefined;

/** The document of `event`: its payload as JSON in the editor's indentation, or its raw body with the reason. */
export function renderEventDocument(event: ReceivedEvent): Promise<RenderedEventDocument> {
  const indent = editorIndent();
  if (lastRendered?.id === event.id && lastRendered.indent === indent) return lastRendered.result;
  const result = payloadJsonTextAsync(event, indent).then((payload): RenderedEventDocument => {
    if (payload.text !== undefined) {
      return payload.compact
        ? { text: payload.text, json: true, problem: 'Indented, the JSON is too large; it is shown compact.' }
        : { text: payload.text, json: true };
    }
    return { text: rawText(event), json: false, problem: hasPayload(event) ? capitalize(payload.problem) : undefined };
  });
  lastRendered = { id: event.id, indent, result };
  return result;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

class EventDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly receiver: ReceiverService) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const query = new URLSearchParams(uri.query);
    const id = query.get('id') ?? '';
    const event = this.receiver.store.get(id);
    if (!event) return `Event ${id} is no longer stored.`;
    if (query.get('raw') === '1') return rawText(event);
    return (await renderEventDocument(event)).text;
  }
}

export function registerEventDocuments(context: vscode.ExtensionContext, receiver: ReceiverService): void {
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(EVENT_DOCUMENT_SCHEME, new EventDocumentProvider(receiver)),
  );
}
