// The message protocol between the payload viewer webview (media/viewer) and the extension host.
// Imported by both sides, so it holds types and pure helpers only: no `vscode`, no DOM, no Node APIs.
//
// Handshake: the webview posts `ready`; the host answers `init` with every row and the receiver status, then
// streams `added` / `updated` / `removed` / `cleared` / `status`. The list only ever gets rows (summaries); the
// webview asks for one event's body with the `getDetail` request when it is selected.
import { isPenpotDeliverySuccess } from '../../penpot/types';
import type { ForwardResult, PayloadFormat, ReceivedEvent } from '../../receiver/types';

/** The webview panel's view type; also the `onWebviewPanel:` activation event and the serializer key. */
export const VIEWER_VIEW_TYPE = 'penpot.webhookViewer';

/** One list row: enough to draw and filter it, nothing of the body. */
export interface EventRow {
  id: string;
  seq: number;
  receivedAt: string;
  method: string;
  /** Penpot's event `name`; absent when the body is not a Penpot event. */
  eventName?: string;
  format: PayloadFormat;
  contentType: string;
  size: number;
  responseStatus: number;
  simulated: boolean;
  decodeError: boolean;
  forward?: ForwardSummary;
}

/** The list's view of the latest forward or replay attempt. */
export interface ForwardSummary {
  status?: number;
  /** Penpot would count the answer as delivered (200 or 204 only, §4.1). */
  ok: boolean;
  ms: number;
  error?: string;
}

/** What the toolbar shows about the receiver. Never carries the Penpot access token. */
export interface ReceiverStatusView {
  running: boolean;
  /** The address the receiver listens on (what a tunnel points at). */
  localUrl?: string;
  /** `asExternalUri` of localUrl: what the user's browser can open (differs in remote windows). */
  externalUrl?: string;
  publicUrl?: string;
  forwardUrl?: string;
  eventCount: number;
  maxEvents: number;
  responseStatus: number;
  /** A start/stop failure, in words. */
  error?: string;
}

export type DetailTab = 'decoded' | 'raw' | 'headers' | 'forward';
export const DETAIL_TABS: readonly DetailTab[] = ['decoded', 'raw', 'headers', 'forward'];

/** Saved by the webview with setState; handed back to the serializer after a reload. */
export interface ViewerState {
  selectedId?: string;
  eventName?: string;
  search?: string;
  tab?: DetailTab;
  scrollTop?: number;
}

/** The commands the webview's toolbar runs through the host (same ids as the palette). */
export const TOOLBAR_COMMANDS = [
  'penpot.receiver.start',
  'penpot.receiver.stop',
  'penpot.receiver.simulate',
  'penpot.receiver.copyUrl',
  'penpot.receiver.register',
  'penpot.receiver.forward',
] as const;
export type ToolbarCommand = (typeof TOOLBAR_COMMANDS)[number];

export type ExportFormat = 'json' | 'ndjson';

/** Requests the webview makes; each gets exactly one `reply` with the same requestId. */
export interface ViewerRequests {
  /** The whole stored event, or null when it has left the store. */
  getDetail: { params: { id: string }; result: ReceivedEvent | null };
  /** Ids (among `ids`, or all stored events) whose decoded payload contains `text`, case-insensitively. */
  search: { params: { text: string; ids?: string[] }; result: string[] };
  copyJson: { params: { id: string }; result: void };
  copyCurl: { params: { id: string }; result: void };
  openJson: { params: { id: string }; result: void };
  /** Asks where to (forward target or another URL); null when the user cancelled. */
  replay: { params: { id: string }; result: ForwardResult | null };
  /** Asks for the scope and the file; the count written, or null when cancelled. */
  export: { params: { selectedIds: string[]; visibleIds: string[] }; result: number | null };
  /** Confirms, then empties the store; false when the user declined. */
  clear: { params: Record<string, never>; result: boolean };
  runCommand: { params: { command: ToolbarCommand }; result: void };
}
export type RequestMethod = keyof ViewerRequests;

/** Webview → host. */
export type ViewerMessage =
  | { type: 'ready' }
  | { [M in RequestMethod]: { type: 'request'; requestId: number; method: M; params: ViewerRequests[M]['params'] } }[RequestMethod];

/** Host → webview. */
export type HostMessage =
  | { type: 'init'; rows: EventRow[]; status: ReceiverStatusView }
  | { type: 'added'; rows: EventRow[] }
  | { type: 'updated'; rows: EventRow[] }
  | { type: 'removed'; ids: string[] }
  | { type: 'cleared' }
  | { type: 'status'; status: ReceiverStatusView }
  /** Select and show one event (e.g. chosen from the Receiver tree). */
  | { type: 'reveal'; id: string }
  | { type: 'reply'; requestId: number; ok: true; result: unknown }
  | { type: 'reply'; requestId: number; ok: false; error: string };

const REQUEST_METHODS: ReadonlySet<string> = new Set<RequestMethod>([
  'getDetail', 'search', 'copyJson', 'copyCurl', 'openJson', 'replay', 'export', 'clear', 'runCommand',
]);

/** Shape check for what arrives from the webview: the host acts only on well-formed messages. */
export function isViewerMessage(value: unknown): value is ViewerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (m.type === 'ready') return true;
  return m.type === 'request'
    && typeof m.requestId === 'number'
    && typeof m.method === 'string' && REQUEST_METHODS.has(m.method)
    && typeof m.params === 'object' && m.params !== null;
}

export function toForwardSummary(f: ForwardResult): ForwardSummary {
  return { status: f.status, ok: isPenpotDeliverySuccess(f.status), ms: f.ms, error: f.error };
}

export function toEventRow(e: ReceivedEvent): EventRow {
  return {
    id: e.id,
    seq: e.seq,
    receivedAt: e.receivedAt,
    method: e.method,
    eventName: e.summary.eventName,
    format: e.format,
    contentType: e.contentType,
    size: e.size,
    responseStatus: e.responseStatus,
    simulated: e.simulated === true,
    decodeError: e.decodeError !== undefined,
    forward: e.forward ? toForwardSummary(e.forward) : undefined,
  };
}
