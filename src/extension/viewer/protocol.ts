// The message protocol between the payload viewer webview (media/viewer) and the extension host.
// Imported by both sides, so it holds types and pure helpers only: no `vscode`, no DOM, no Node APIs.
//
// Handshake: the webview posts `ready` with the rows its first screen shows; the host answers `init` with that many
// of the newest rows (firstRowsFor), the total and the receiver status, then `initRows` with the older rows in
// chunks (oldest-first within a chunk, each chunk older than the previous one), the last marked `done`. Only then
// does it stream `changes`: every store change of one time slice folded into one message (a full ring's eviction
// plus addition is one change), and `status`. The list only ever gets rows (summaries); the webview asks for one event's body with `getDetail`, and
// the host runs the free-text search (it has the payloads and keeps an index of their text).
import { isPenpotDeliverySuccess } from '../../penpot/types';
import type { CheckReport, CheckStatus } from '../../receiver/checkStatus';
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
  /**
   * Whether the payload matches what Penpot's source says it should look like (src/receiver/check.ts); absent =
   * not checked yet (a large Transit body is checked when it is first shown).
   */
  check?: RowCheck;
  /** What tells rows of one event apart: the file, project or font name, the comment (from the catalog). */
  label?: string;
}

export type RowCheck = CheckStatus;

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
  format?: string;
  check?: string;
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
  /** The whole stored event and its differences from Penpot's contract, or null when it has left the store. */
  getDetail: { params: { id: string }; result: EventDetail | null };
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

export interface EventDetail {
  /** For a large body, without `decoded`: that comes as `decodedJson`. */
  event: ReceivedEvent;
  /**
   * A large body's DecodedPayload as JSON text, made in a decode worker and parsed by the webview: serializing the
   * tree into the message would cost the extension host (which answers Penpot) a quarter second per 5 MiB.
   */
  decodedJson?: string;
  /** The payload checked against Penpot's contract, each difference with its path. */
  check: CheckReport;
}

/** Webview → host. */
export type ViewerMessage =
  /** `firstRows`: how many rows the first screen shows, with its overscan (the rows `init` should hold). */
  | { type: 'ready'; firstRows?: number }
  | { [M in RequestMethod]: { type: 'request'; requestId: number; method: M; params: ViewerRequests[M]['params'] } }[RequestMethod];

/** Host → webview. */
export type HostMessage =
  /** `rows`: the newest stored rows, oldest first; `total`: every stored row, those still to come in `initRows`. */
  | { type: 'init'; rows: EventRow[]; total: number; done: boolean; status: ReceiverStatusView }
  /** Older rows than any sent so far, oldest first. */
  | { type: 'initRows'; rows: EventRow[]; done: boolean }
  | ({ type: 'changes' } & RowChanges)
  | { type: 'status'; status: ReceiverStatusView }
  /** Select and show one event (e.g. chosen from the Receiver tree). */
  | { type: 'reveal'; id: string }
  | { type: 'reply'; requestId: number; ok: true; result: unknown }
  | { type: 'reply'; requestId: number; ok: false; error: string };

/**
 * The net effect of the store changes of one time slice, applied in this order: `cleared` (drop every row),
 * `removed` (ids the webview has), `added` (new rows, oldest first), `updated` (rows the webview has, replaced).
 * An event added and evicted within the slice appears in neither list.
 */
export interface RowChanges {
  cleared?: true;
  removed: string[];
  added: EventRow[];
  updated: EventRow[];
}

const REQUEST_METHODS: ReadonlySet<string> = new Set<RequestMethod>([
  'getDetail', 'search', 'copyJson', 'copyCurl', 'openJson', 'replay', 'export', 'clear', 'runCommand',
]);

/** Shape check for what arrives from the webview: the host acts only on well-formed messages. */
export function isViewerMessage(value: unknown): value is ViewerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (m.type === 'ready') return m.firstRows === undefined || (typeof m.firstRows === 'number' && Number.isFinite(m.firstRows));
  return m.type === 'request'
    && typeof m.requestId === 'number'
    && typeof m.method === 'string' && REQUEST_METHODS.has(m.method)
    && typeof m.params === 'object' && m.params !== null;
}

/** Rows in `init` when the webview did not say how many its first screen shows: more than most screens hold. */
export const DEFAULT_FIRST_ROWS = 200;
/** However tall the webview, `init` stays small: every row in it is made (its check too) before anything shows. */
export const MAX_FIRST_ROWS = 500;

/** How many of the newest rows `init` holds for a `ready` that asked for `firstRows`. */
export function firstRowsFor(firstRows: number | undefined): number {
  if (firstRows === undefined) return DEFAULT_FIRST_ROWS;
  return Math.min(MAX_FIRST_ROWS, Math.max(1, Math.ceil(firstRows)));
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
    check: e.check?.status,
    label: e.check?.label,
  };
}
