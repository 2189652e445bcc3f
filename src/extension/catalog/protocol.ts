// The message protocol between the event catalog webview (media/catalog) and the extension host. Imported by both
// sides, so it holds types and pure data only: no `vscode`, no DOM, no Node APIs.
//
// Handshake: the webview posts `ready`; the host answers `init` with the whole catalog (24 events, their props and
// the payload shapes), which the webview filters and draws on its own. What needs the generator (examples, schema,
// types) the webview asks for per event and shape with `getDetail`; the copy buttons name what to copy, and the
// host copies the text it last sent for that event and shape, so the clipboard holds what the panel shows.
import type { PayloadShape, RoutingKey } from '../../penpot/catalog';

/** The webview panel's view type; also the `onWebviewPanel:` activation event and the serializer key. */
export const CATALOG_VIEW_TYPE = 'penpot.eventCatalog';

/** A payload shape and the Penpot versions that send it. */
export interface ShapeView {
  shape: PayloadShape;
  /** "Penpot 2.15 and later" */
  versions: string;
  description: string;
}

/** One field of a payload (a top-level key, or a prop inside `props`). */
export interface FieldView {
  /** The JSON key (camelCase). */
  name: string;
  /** The Transit key (kebab keyword name, written `~:name` as a map key). */
  transitName: string;
  /** The JSON form's type, e.g. "string (uuid)". */
  jsonType: string;
  /** The Transit form's type, e.g. "uuid ~u…". */
  transitType: string;
  optional: boolean;
  description: string;
}

export interface EventView {
  name: string;
  /** What a person does in Penpot to cause it. */
  description: string;
  /** The subject it belongs to, for the list's groups ("Files", "Comments", …). */
  group: string;
  routingKey: RoutingKey;
  /** Who gets it, in plain words. */
  reaches: string;
  /** When it reaches nobody at all. */
  reachesNobody?: string;
  /** "None: every call is delivered." or the debounce in words. */
  debounce: string;
  debounced: boolean;
  /** Fired when a streamed method starts, before its work ends. */
  streamed: boolean;
  props: FieldView[];
  /** Where in Penpot's source this was read. */
  source: string;
}

/** What the generator makes of one event in one shape. */
export interface EventDetail {
  name: string;
  shape: PayloadShape;
  /** The shape's top-level fields, `props` among them. */
  fields: FieldView[];
  /** The event's JSON Schema (draft 2020-12), pretty-printed. */
  schema: string;
  /** One generated payload, as Penpot's JSON delivery writes it. */
  jsonExample: string;
  /** The same payload as Penpot's compact Transit delivery writes it (the webview indents it for reading). */
  transitExample: string;
  /** The event's TypeScript declarations from the types generator. */
  type: string;
}

export type CopyWhat = 'type' | 'schema' | 'json-example' | 'transit-example';
export const COPY_WHATS: readonly CopyWhat[] = ['type', 'schema', 'json-example', 'transit-example'];

export type SimulateFormat = 'json' | 'transit';

/** Requests the webview makes; each gets exactly one `reply` with the same requestId. */
export interface CatalogRequests {
  getDetail: { params: { name: string; shape: PayloadShape }; result: EventDetail };
  /** Copies to the clipboard; the result says what was copied, for the webview's confirmation. */
  copy: { params: { name: string; shape: PayloadShape; what: CopyWhat }; result: string };
  /** Runs "Simulate Webhook Event" for this event and shape: it arrives at the local receiver. */
  simulate: { params: { name: string; shape: PayloadShape; format: SimulateFormat }; result: SimulateOutcome };
  /** Opens the payload viewer, on the simulated event when given. */
  openViewer: { params: { eventId?: string }; result: void };
  /** Runs "Generate Webhook Types" for this shape (it asks where). */
  generateTypes: { params: { shape: PayloadShape }; result: void };
}
export type CatalogRequestMethod = keyof CatalogRequests;

export interface SimulateOutcome {
  ok: boolean;
  /** In words, e.g. "The receiver answered 204." */
  message: string;
  /** The stored event, to show it in the viewer. */
  eventId?: string;
}

/** Saved by the webview with setState; handed back to the serializer after a reload. */
export interface CatalogState {
  selected?: string;
  filter?: string;
  shape?: PayloadShape;
  tab?: ExampleTab;
  format?: SimulateFormat;
}

export type ExampleTab = 'json' | 'transit' | 'schema' | 'type';
export const EXAMPLE_TABS: readonly ExampleTab[] = ['json', 'transit', 'schema', 'type'];

/** Webview → host. */
export type CatalogMessage =
  | { type: 'ready' }
  | { [M in CatalogRequestMethod]: { type: 'request'; requestId: number; method: M; params: CatalogRequests[M]['params'] } }[CatalogRequestMethod];

/** Host → webview. */
export type CatalogHostMessage =
  | { type: 'init'; events: EventView[]; shapes: ShapeView[]; defaultShape: PayloadShape; select?: string }
  /** Select and show one event (the panel was asked for it while open). */
  | { type: 'select'; name: string }
  | { type: 'reply'; requestId: number; ok: true; result: unknown }
  | { type: 'reply'; requestId: number; ok: false; error: string };

const REQUEST_METHODS: ReadonlySet<string> = new Set<CatalogRequestMethod>(['getDetail', 'copy', 'simulate', 'openViewer', 'generateTypes']);

/** Shape check for what arrives from the webview: the host acts only on well-formed messages. */
export function isCatalogMessage(value: unknown): value is CatalogMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (m.type === 'ready') return true;
  return m.type === 'request'
    && typeof m.requestId === 'number'
    && typeof m.method === 'string' && REQUEST_METHODS.has(m.method)
    && typeof m.params === 'object' && m.params !== null;
}
