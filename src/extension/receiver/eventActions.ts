// What can be done with stored events, shared by the palette commands, the Receiver view and the viewer webview:
// copy, open as a read-only JSON document, replay, export and clear. Each returns a CommandResult and shows its
// own messages (services.ts convention), so callers and tests only read the result.
import * as vscode from 'vscode';
import { isPenpotDeliverySuccess } from '../../penpot/types';
import { replayEvent } from '../../receiver';
import type { ForwardResult, ReceivedEvent } from '../../receiver/types';
import { confirmModal } from '../common/confirm';
import { CANCELLED, failure, type CommandResult, type Services } from '../services';
import { curlCommand, exportTextAsync, payloadJsonTextAsync } from '../viewer/eventText';
import type { ExportFormat } from '../viewer/protocol';
import { checkHttpUrl } from './settings';
import { EVENT_DOCUMENT_SCHEME, eventDocumentUri, renderEventDocument } from './eventDocument';
import { errorMessage } from '../../common/errors';
import { plural } from '../../common/words';

const LAST_REPLAY_URL_KEY = 'penpot.receiver.lastReplayUrl';

export function eventTitle(event: ReceivedEvent): string {
  return event.summary.eventName ?? `${event.method} (not a Penpot event)`;
}

function findEvent(services: Services, component: string, id: string): ReceivedEvent | CommandResult<never> {
  const event = services.receiver.store.get(id);
  return event ?? failure(services, component, `Event ${id} is no longer stored (the list keeps the newest ${services.receiver.settings.maxEvents}).`);
}

function isEvent(value: ReceivedEvent | CommandResult<never>): value is ReceivedEvent {
  return 'bodyBase64' in value;
}

export async function copyEventJson(services: Services, id: string): Promise<CommandResult> {
  const event = findEvent(services, 'receiver.copyJson', id);
  if (!isEvent(event)) return event;
  const result = await payloadJsonTextAsync(event);
  if (result.text === undefined) {
    return failure(services, 'receiver.copyJson', `${eventTitle(event)} has no JSON or Transit payload to copy (${result.problem.replace(/\.$/, '')}). Copy as curl keeps the raw body.`);
  }
  await vscode.env.clipboard.writeText(result.text);
  void vscode.window.setStatusBarMessage(
    `$(copy) Copied the JSON of ${eventTitle(event)}${result.compact ? ' (compact: indented, it is too large)' : ''}`, 4000);
  return { ok: true };
}

/** Where curl and replay point by default: the forward target, else the running receiver itself. */
function defaultTarget(services: Services): string | undefined {
  return services.receiver.receiver?.forwardTo ?? services.receiver.settings.forwardUrl ?? services.receiver.receiver?.url;
}

export async function copyEventCurl(services: Services, id: string): Promise<CommandResult<{ text: string }>> {
  const event = findEvent(services, 'receiver.copyCurl', id);
  if (!isEvent(event)) return event;
  const target = defaultTarget(services);
  const text = curlCommand(event, target ?? { shellVariable: 'WEBHOOK_URL' });
  await vscode.env.clipboard.writeText(text);
  void vscode.window.setStatusBarMessage(
    `$(terminal) Copied curl for ${eventTitle(event)}${target ? '' : ' (set WEBHOOK_URL before running it)'}`, 4000);
  return { ok: true, text };
}

export async function openEventJson(services: Services, id: string): Promise<CommandResult> {
  const event = findEvent(services, 'receiver.openJson', id);
  if (!isEvent(event)) return event;
  // Rendered before the document opens (the provider then reuses it), so a refused decode opens the raw body instead.
  const rendered = await renderEventDocument(event);
  if (rendered.problem !== undefined) {
    void vscode.window.showWarningMessage(`${eventTitle(event)}: ${rendered.problem}${rendered.json ? '' : ' Showing the raw body.'}`);
  }
  const doc = await vscode.workspace.openTextDocument(eventDocumentUri(event, rendered.json));
  if (doc.uri.scheme === EVENT_DOCUMENT_SCHEME && rendered.json && doc.languageId !== 'json') {
    await vscode.languages.setTextDocumentLanguage(doc, 'json');
  }
  await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  return { ok: true };
}

export interface ReplayOptions {
  id: string;
  /** Skip the target question. */
  to?: string;
}

interface TargetItem extends vscode.QuickPickItem {
  url?: string;
}

async function askReplayTarget(services: Services, event: ReceivedEvent): Promise<string | undefined> {
  const forward = services.receiver.receiver?.forwardTo ?? services.receiver.settings.forwardUrl;
  const last = services.context.workspaceState.get<string>(LAST_REPLAY_URL_KEY);
  const items: TargetItem[] = [];
  if (forward) items.push({ label: '$(arrow-right) Forward target', description: forward, url: forward });
  if (last && last !== forward) items.push({ label: '$(history) Last replay URL', description: last, url: last });
  items.push({ label: '$(link) Another URL…', description: 'Enter any http(s) URL' });
  let url: string | undefined;
  if (items.length > 1) {
    const picked = await vscode.window.showQuickPick(items, {
      title: `Replay ${eventTitle(event)}`,
      placeHolder: 'Send the same bytes and headers to…',
    });
    if (!picked) return undefined;
    url = picked.url;
  }
  if (url) return url;
  const typed = await vscode.window.showInputBox({
    title: `Replay ${eventTitle(event)}`,
    prompt: 'URL to send the event to (same method, headers and body bytes)',
    value: last ?? 'http://localhost:3000/',
    validateInput: (value) => checkHttpUrl(value),
    ignoreFocusOut: true,
  });
  return typed?.trim();
}

export async function replayStoredEvent(services: Services, options: ReplayOptions): Promise<CommandResult<{ result: ForwardResult }>> {
  const component = 'receiver.replay';
  const event = findEvent(services, component, options.id);
  if (!isEvent(event)) return event;
  const to = options.to ?? await askReplayTarget(services, event);
  if (!to) return CANCELLED;
  const problem = checkHttpUrl(to);
  if (problem) return failure(services, component, `Cannot replay to ${to}: ${problem}.`);
  await services.context.workspaceState.update(LAST_REPLAY_URL_KEY, to);
  // Through the running receiver when there is one (same code path as forwarding), else straight from the store.
  const result = services.receiver.receiver
    ? await services.receiver.receiver.replay(event.id, to)
    : await replayEvent(event, to);
  const outcome = result.status !== undefined ? `${result.status} in ${Math.round(result.ms)} ms` : result.error ?? 'no answer';
  services.log.info(component, `replayed event ${event.id} (${eventTitle(event)}) to ${to}: ${outcome}`);
  const message = `Replay of ${eventTitle(event)} to ${to}: ${outcome}`;
  if (isPenpotDeliverySuccess(result.status)) void vscode.window.setStatusBarMessage(`$(check) ${message}`, 6000);
  else if (result.status === undefined) void vscode.window.showWarningMessage(message);
  else void vscode.window.showWarningMessage(`${message}. Penpot reads only 200 and 204 as delivered, though as it runs (2.15–2.17) no answered delivery counts toward the auto-disable.`);
  return { ok: true, result };
}

export interface ExportOptions {
  /** Events to write; default all stored. */
  ids?: string[];
  format?: ExportFormat;
  /** Target file; asked for when absent. */
  uri?: vscode.Uri | string;
}

interface ScopeItem extends vscode.QuickPickItem {
  ids?: string[];
}

/** From the viewer: asks the scope (selection / shown / all), then the format and the file. */
export async function exportFromViewer(services: Services, selectedIds: string[], visibleIds: string[]): Promise<CommandResult<{ count: number }>> {
  const total = services.receiver.store.size;
  const items: ScopeItem[] = [];
  if (selectedIds.length > 0) items.push({ label: `Selected events (${selectedIds.length})`, ids: selectedIds });
  if (visibleIds.length !== total) items.push({ label: `Events shown by the filter (${visibleIds.length})`, ids: visibleIds });
  items.push({ label: `All stored events (${total})` });
  const scope = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: 'Export Webhook Events', placeHolder: 'Which events?' });
  if (!scope) return CANCELLED;
  return exportEvents(services, { ids: scope.ids });
}

export async function exportEvents(services: Services, options: ExportOptions = {}): Promise<CommandResult<{ count: number; path: string }>> {
  const component = 'receiver.export';
  const store = services.receiver.store;
  const events = options.ids ? options.ids.map((id) => store.get(id)).filter((e): e is ReceivedEvent => e !== undefined) : store.list();
  if (events.length === 0) return failure(services, component, 'There are no stored events to export.');
  let format = options.format;
  if (!format) {
    const picked = await vscode.window.showQuickPick([
      { label: 'JSON', description: 'one array, pretty-printed', format: 'json' as const },
      { label: 'NDJSON', description: 'one event per line', format: 'ndjson' as const },
    ], { title: `Export ${plural(events.length, 'Webhook Event')}`, placeHolder: 'File format' });
    if (!picked) return CANCELLED;
    format = picked.format;
  }
  let uri = typeof options.uri === 'string' ? vscode.Uri.file(options.uri) : options.uri;
  if (!uri) {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `penpot-webhook-events-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.${format === 'json' ? 'json' : 'ndjson'}`;
    uri = await vscode.window.showSaveDialog({
      title: 'Export Webhook Events',
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: format === 'json' ? { JSON: ['json'] } : { NDJSON: ['ndjson', 'jsonl'] },
    });
    if (!uri) return CANCELLED;
  }
  try {
    await vscode.workspace.fs.writeFile(uri, Buffer.from(await exportTextAsync(events, format), 'utf8'));
  } catch (error) {
    return failure(services, component, `Could not write ${uri.fsPath}: ${errorMessage(error)}`);
  }
  services.log.info(component, `exported ${plural(events.length, 'event')} to ${uri.fsPath}`);
  void vscode.window.showInformationMessage(`Exported ${plural(events.length, 'webhook event')} to ${vscode.workspace.asRelativePath(uri)}.`);
  return { ok: true, count: events.length, path: uri.fsPath };
}

export async function clearEvents(services: Services, confirmed = false): Promise<CommandResult> {
  const count = services.receiver.store.size;
  if (count === 0) return { ok: true };
  if (!confirmed) {
    const accepted = await confirmModal(
      count === 1 ? 'Delete the stored webhook event?' : `Delete all ${count} stored webhook events?`,
      'They are removed from this list and from the history file. Penpot does not keep a copy.',
      'Clear Events',
    );
    if (!accepted) return CANCELLED;
  }
  services.receiver.clear();
  services.log.info('receiver.clear', `cleared ${plural(count, 'event')}`);
  return { ok: true };
}
