// Turns a received body into the viewer's decoded form and the list summary. Never throws: a body that
// claims JSON or Transit but does not parse keeps its format and gets `decodeError`; the raw bytes are
// stored either way by the caller.
import { decodeTransit, isTypedNode, toPlainJson } from '../transit';
import { MAX_NESTING, nestingWithin } from '../transit/decode';
import type { TransitMapObject, TransitNode } from '../transit/types';
import { checkReceived, type EventCheck } from './check';
import type { DecodedPayload, EventSummary, PayloadFormat } from './types';

export interface DecodedBody {
  format: PayloadFormat;
  decoded?: DecodedPayload;
  decodeError?: string;
  summary: EventSummary;
  /** Set by listFieldsOf: the payload checked against Penpot's contract while it is decoded anyway. */
  check?: EventCheck;
}

const TRANSIT_MEDIA_TYPE = 'application/transit+json';
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Transit bodies above this size get their list fields from a shallow read (JSON.parse, which is native and fast,
 * plus the top-level keys) instead of a full Transit decode, which takes about a second per 5 MiB of deeply nested
 * input on the event loop the receiver answers on. The full decode happens only when the payload is read.
 */
export const SHALLOW_LIST_FIELDS_BYTES = 256 * 1024;

/**
 * What the event list needs (format, summary, decodeError), without keeping or fully building the decoded payload
 * of a large Transit body: the receiver calls it on its event loop right after the answers.
 */
export function listFieldsOf(body: Uint8Array, contentType: string): DecodedBody {
  if (body.length <= SHALLOW_LIST_FIELDS_BYTES) {
    const decoded = decodeBody(body, contentType);
    const { format, decodeError, summary } = decoded;
    const check = checkReceived(decoded);
    return decodeError === undefined ? { format, summary, check } : { format, decodeError, summary, check };
  }
  return decodeBody(body, contentType, true);
}

/** Decodes `body` according to its content type (sniffing JSON/Transit when the type says nothing useful). */
export function decodeBody(body: Uint8Array, contentType: string, shallow = false): DecodedBody {
  if (body.length === 0) return { format: 'empty', summary: {} };
  const mediaType = contentType.split(';', 1)[0].trim().toLowerCase();
  const text = utf8OrUndefined(body);
  if (mediaType === TRANSIT_MEDIA_TYPE) {
    return text === undefined ? invalidUtf8('transit') : decodeTransitText(text, shallow);
  }
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
    return text === undefined ? invalidUtf8('json') : decodeJsonText(text);
  }
  if (text === undefined) return { format: 'binary', summary: {} };
  if (mediaType.startsWith('text/')) return { format: 'text', summary: {} };
  return sniff(text, shallow);
}

/** A body without a JSON or Transit content type: decoded only when it parses, otherwise shown as text. */
function sniff(text: string, shallow: boolean): DecodedBody {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return { format: 'text', summary: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { format: 'text', summary: {} };
  }
  if (!nestingWithin(text, MAX_NESTING)) return { format: 'json', decodeError: tooDeep('JSON'), summary: {} };
  if (!looksLikeTransit(value)) return jsonResult(value);
  return shallow ? shallowTransit(value) : decodeTransitText(text, false);
}

/** Transit's JSON encoding: a top-level map `["^ ", …]`, a tagged value `{"~#tag": …}` or `["~#tag", …]`. */
function looksLikeTransit(value: unknown): boolean {
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    return first === '^ ' || (typeof first === 'string' && first.startsWith('~#'));
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    return keys.length === 1 && keys[0].startsWith('~#');
  }
  return false;
}

function decodeJsonText(text: string): DecodedBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { format: 'json', decodeError: `Invalid JSON: ${messageOf(error)}`, summary: {} };
  }
  // Like Transit's bound: deeper values would overflow the stack of JSON.stringify (exports, `listen --json`, the
  // viewer's messages) and of every recursive printer; the raw bytes stay stored and shown.
  if (!nestingWithin(text, MAX_NESTING)) return { format: 'json', decodeError: tooDeep('JSON'), summary: {} };
  return jsonResult(value);
}

function jsonResult(value: unknown): DecodedBody {
  return { format: 'json', decoded: { kind: 'json', value }, summary: summarise(value) };
}

function decodeTransitText(text: string, shallow: boolean): DecodedBody {
  if (shallow) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return { format: 'transit', decodeError: `Invalid Transit: ${messageOf(error)}`, summary: {} };
    }
    if (!nestingWithin(text, MAX_NESTING)) return { format: 'transit', decodeError: tooDeep('Transit'), summary: {} };
    return shallowTransit(value);
  }
  try {
    const value = decodeTransit(text);
    return { format: 'transit', decoded: { kind: 'transit', value }, summary: summariseTransit(value) };
  } catch (error) {
    return { format: 'transit', decodeError: `Invalid Transit: ${messageOf(error)}`, summary: {} };
  }
}

function tooDeep(what: string): string {
  return `Invalid ${what}: it nests deeper than ${MAX_NESTING} levels (the raw body is kept)`;
}

function invalidUtf8(format: 'json' | 'transit'): DecodedBody {
  return { format, decodeError: 'The body is not valid UTF-8 text.', summary: {} };
}

function utf8OrUndefined(body: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(body);
  } catch {
    return undefined;
  }
}

// Events whose `props.id` is the file or project itself (§4.3: rename-file routes by project-id and carries
// the file as `id`; rename-project carries the project as `id`).
const FILE_ID_EVENTS = new Set(['create-file', 'update-file', 'rename-file', 'set-file-shared', 'delete-file']);
const PROJECT_ID_EVENTS = new Set(['create-project', 'update-project-pin', 'rename-project', 'delete-project']);

/**
 * The list fields of a Penpot event (§4.2): `name`, `profileId`, and the team/project/file ids of `props`.
 * Takes plain JSON; keys may be camelCase (JSON deliveries) or kebab-case (plain form of a Transit map).
 */
export function summarise(value: unknown): EventSummary {
  if (!isRecord(value)) return {};
  const summary: EventSummary = {};
  const eventName = stringField(value, 'name');
  if (eventName !== undefined) summary.eventName = eventName;
  const profileId = idField(value, 'profileId', 'profile-id');
  if (profileId !== undefined) summary.profileId = profileId;
  const props = value['props'];
  if (isRecord(props)) {
    const ownId = idField(props, 'id', 'id');
    const teamId = idField(props, 'teamId', 'team-id');
    const projectId = idField(props, 'projectId', 'project-id')
      ?? (eventName !== undefined && PROJECT_ID_EVENTS.has(eventName) ? ownId : undefined);
    const fileId = idField(props, 'fileId', 'file-id')
      ?? (eventName !== undefined && FILE_ID_EVENTS.has(eventName) ? ownId : undefined);
    if (teamId !== undefined) summary.teamId = teamId;
    if (projectId !== undefined) summary.projectId = projectId;
    if (fileId !== undefined) summary.fileId = fileId;
  }
  return summary;
}

const SUMMARY_PROPS = ['id', 'team-id', 'project-id', 'file-id'];

/** Like `summarise(toPlainJson(node))`, but converts only the few entries the summary reads, not a large body. */
function summariseTransit(node: TransitNode): EventSummary {
  if (!isKeywordMap(node)) return summarise(toPlainJson(node));
  const map = node as TransitMapObject;
  const props = map['props'];
  let plainProps: unknown = null;
  if (isKeywordMap(props)) {
    const picked: Record<string, unknown> = {};
    const propsMap = props as TransitMapObject;
    for (const key of SUMMARY_PROPS) if (propsMap[key] !== undefined) picked[key] = toPlainJson(propsMap[key]);
    plainProps = picked;
  }
  return summarise({
    name: toPlainJson(map['name'] ?? null),
    'profile-id': toPlainJson(map['profile-id'] ?? null),
    props: plainProps,
  });
}

/**
 * The summary of a parsed Transit JSON value from its top-level map and its `props` map only, reading keyword keys
 * (`~:name`) and values as written (`~u<uuid>`, plain strings). A key written as a cache reference (`^1`) is skipped:
 * resolving it would mean decoding everything before it. Errors deeper down show when the payload is read.
 */
function shallowTransit(value: unknown): DecodedBody {
  const top = shallowMap(value);
  const props = top === undefined ? undefined : shallowMap(top['props']);
  const plainProps: Record<string, unknown> = {};
  if (props !== undefined) for (const key of SUMMARY_PROPS) if (props[key] !== undefined) plainProps[key] = shallowScalar(props[key]);
  const summary = top === undefined ? {} : summarise({
    name: shallowScalar(top['name']), 'profile-id': shallowScalar(top['profile-id']), props: plainProps,
  });
  return { format: 'transit', summary };
}

/** `["^ ", "~:k", v, …]` as `{ k: v }` (keyword keys only; values left as written). */
function shallowMap(value: unknown): Record<string, unknown> | undefined {
  if (!Array.isArray(value) || value[0] !== '^ ') return undefined;
  const map: Record<string, unknown> = {};
  for (let i = 1; i + 1 < value.length; i += 2) {
    const key: unknown = value[i];
    if (typeof key === 'string' && key.startsWith('~:')) map[key.slice(2)] = value[i + 1];
  }
  return map;
}

/** A Transit string or uuid as plain text (`~u…` → the uuid, `~~x` → `~x`); anything else as null. */
function shallowScalar(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (value.startsWith('~u')) return value.slice(2);
  if (value.startsWith('~~') || value.startsWith('~^')) return value.slice(1);
  return value.startsWith('~') || value.startsWith('^') ? null : value;
}

/** A Transit map whose keys are all keywords: a plain object keyed by keyword name (src/transit/types.ts). */
function isKeywordMap(node: TransitNode | undefined): boolean {
  return typeof node === 'object' && node !== null && !Array.isArray(node) && !isTypedNode(node);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

function idField(record: Record<string, unknown>, camel: string, kebab: string): string | undefined {
  return stringField(record, camel) ?? stringField(record, kebab);
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
