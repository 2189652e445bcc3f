// Turns a received body into the viewer's decoded form and the list summary. Never throws: a body that
// claims JSON or Transit but does not parse keeps its format and gets `decodeError`; the raw bytes are
// stored either way by the caller.
import { decodeTransit, isTypedNode, toPlainJson } from '../transit';
import { MAX_NESTING, nestingWithin } from '../transit/decode';
import type { TransitMapObject, TransitNode } from '../transit/types';
import { checkReceived, type EventCheck } from './check';
import type { DecodedPayload, EventSummary, PayloadFormat } from './types';
import { errorMessage as messageOf } from '../common/errors';

/** The one error-to-text helper (src/common/errors.ts), under the name store.ts and server.ts import from here. */
export { messageOf };

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
 * JSON and Transit bodies above this size get their list fields from a shallow read (jsonSkeleton: one validating
 * pass that builds only the top two levels) instead of a full decode. On the event loop the receiver answers on, a
 * full Transit decode of 5 MiB nested 998 deep takes 0.3 s to seconds, and even JSON.parse of it 0.3 to 0.5 s; the
 * shallow read takes a few tens of milliseconds. The full decode happens only when the payload is read.
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
    return text === undefined ? invalidUtf8('json') : decodeJsonText(text, shallow);
  }
  if (text === undefined) return { format: 'binary', summary: {} };
  if (mediaType.startsWith('text/')) return { format: 'text', summary: {} };
  return sniff(text, shallow);
}

/** A body without a JSON or Transit content type: decoded only when it parses, otherwise shown as text. */
function sniff(text: string, shallow: boolean): DecodedBody {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return { format: 'text', summary: {} };
  if (shallow) {
    const read = jsonSkeleton(text, MAX_NESTING, SKELETON_DEPTH);
    if ('syntaxError' in read) return { format: 'text', summary: {} };
    if ('tooDeep' in read) return { format: 'json', decodeError: tooDeep('JSON'), summary: {} };
    return looksLikeTransit(read.value) ? shallowTransit(read.value) : { format: 'json', summary: summarise(read.value) };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { format: 'text', summary: {} };
  }
  if (!nestingWithin(text, MAX_NESTING)) return { format: 'json', decodeError: tooDeep('JSON'), summary: {} };
  return looksLikeTransit(value) ? decodeTransitText(text, false) : jsonResult(value);
}

/** The shallow read keeps the top-level value and the values inside it: enough for the summary (`props.team-id`). */
const SKELETON_DEPTH = 2;

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

function decodeJsonText(text: string, shallow: boolean): DecodedBody {
  if (shallow) {
    const read = jsonSkeleton(text, MAX_NESTING, SKELETON_DEPTH);
    if ('syntaxError' in read) return { format: 'json', decodeError: `Invalid JSON: ${read.syntaxError}`, summary: {} };
    if ('tooDeep' in read) return { format: 'json', decodeError: tooDeep('JSON'), summary: {} };
    return { format: 'json', summary: summarise(read.value) };
  }
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
    const read = jsonSkeleton(text, MAX_NESTING, SKELETON_DEPTH);
    if ('syntaxError' in read) return { format: 'transit', decodeError: `Invalid Transit: ${read.syntaxError}`, summary: {} };
    if ('tooDeep' in read) return { format: 'transit', decodeError: tooDeep('Transit'), summary: {} };
    return shallowTransit(read.value);
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

/** A shallow read of JSON text: the value with every container nested deeper than the kept depth as null. */
export type JsonSkeleton = { value: unknown } | { syntaxError: string } | { tooDeep: true };

/*
 * Where jsonSkeleton is in the grammar: a value is expected (VALUE; VALUE_OR_END right after "["), a value was read
 * (AFTER_VALUE: "," or the container's end), a key is expected (KEY; KEY_OR_END right after "{"), or a ":" (COLON).
 */
const VALUE = 0;
const VALUE_OR_END = 1;
const AFTER_VALUE = 2;
const KEY = 3;
const KEY_OR_END = 4;
const COLON = 5;

/**
 * Reads JSON text in one pass without recursion: accepts exactly what JSON.parse accepts (the text is valid UTF-16
 * here) and nests at most `maxNesting` deep, but builds only the containers up to `keptDepth` (1 = the top-level
 * one) and the scalars inside them. Deeper containers become null and are only checked. Several times faster than
 * JSON.parse on deeply nested input, and it allocates almost nothing for the part it skips.
 */
export function jsonSkeleton(text: string, maxNesting: number, keptDepth: number): JsonSkeleton {
  const length = text.length;
  /** The open containers, outermost first: the built ones, then null for those not kept. */
  const open: (unknown[] | Record<string, unknown> | null)[] = [];
  const isObject: boolean[] = [];
  const pendingKey: string[] = [];
  let root: unknown = undefined;
  let state = VALUE;
  let i = 0;
  const fail = (what: string): JsonSkeleton => ({ syntaxError: i >= length ? 'Unexpected end of JSON input' : `${what} at position ${i}` });
  const place = (value: unknown): void => {
    const depth = open.length;
    if (depth === 0) {
      root = value;
      return;
    }
    const container = open[depth - 1];
    if (container === null) return;
    if (isObject[depth - 1]) (container as Record<string, unknown>)[pendingKey[depth - 1]] = value;
    else (container as unknown[]).push(value);
  };
  for (;;) {
    let c = text.charCodeAt(i);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++i);
    if (i >= length) break;
    const depth = open.length;
    // A scalar read now is built when the container it goes in is (or it is the root); a container when it is shallow enough.
    const kept = depth === 0 || open[depth - 1] !== null;
    if (state === AFTER_VALUE) {
      if (depth === 0) return fail('Unexpected non-whitespace character after JSON');
      const end = isObject[depth - 1] ? 125 /* } */ : 93 /* ] */;
      if (c === 44 /* , */) {
        state = isObject[depth - 1] ? KEY : VALUE;
        i++;
      } else if (c === end) {
        open.pop();
        isObject.pop();
        pendingKey.pop();
        i++;
      } else {
        return fail('Expected "," or the end of the container');
      }
      continue;
    }
    if (state === KEY || state === KEY_OR_END) {
      if (state === KEY_OR_END && c === 125 /* } */) {
        open.pop();
        isObject.pop();
        pendingKey.pop();
        state = AFTER_VALUE;
        i++;
        continue;
      }
      if (c !== 34 /* " */) return fail('Expected a property name');
      const end = stringEnd(text, i);
      if (end < 0) return fail('Bad string');
      if (open[depth - 1] !== null) pendingKey[depth - 1] = stringValue(text, i, end);
      i = end + 1;
      state = COLON;
      continue;
    }
    if (state === COLON) {
      if (c !== 58 /* : */) return fail('Expected ":"');
      i++;
      state = VALUE;
      continue;
    }
    // VALUE or VALUE_OR_END
    if (state === VALUE_OR_END && c === 93 /* ] */) {
      open.pop();
      isObject.pop();
      pendingKey.pop();
      state = AFTER_VALUE;
      i++;
      continue;
    }
    if (c === 91 /* [ */ || c === 123 /* { */) {
      if (depth >= maxNesting) return { tooDeep: true };
      const object = c === 123;
      const container = depth < keptDepth ? (object ? {} : []) : null;
      place(container);
      open.push(container);
      isObject.push(object);
      pendingKey.push('');
      state = object ? KEY_OR_END : VALUE_OR_END;
      i++;
      continue;
    }
    let end: number;
    if (c === 34 /* " */) {
      end = stringEnd(text, i);
      if (end < 0) return fail('Bad string');
      if (kept) place(stringValue(text, i, end));
      end++;
    } else if (c === 116 /* t */ || c === 102 /* f */ || c === 110 /* n */) {
      const literal = c === 116 ? 'true' : c === 102 ? 'false' : 'null';
      if (!text.startsWith(literal, i)) return fail('Unexpected token');
      end = i + literal.length;
      if (kept) place(c === 116 ? true : c === 102 ? false : null);
    } else {
      end = numberEnd(text, i);
      if (end < 0) return fail('Unexpected token');
      if (kept) place(Number(text.slice(i, end)));
    }
    i = end;
    state = AFTER_VALUE;
  }
  if (state !== AFTER_VALUE || open.length > 0) return fail('Unexpected end');
  return { value: root };
}

/** The index of the closing quote of the JSON string starting at `start`, or -1 when it is not a valid one. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) return i;
    if (c < 32) return -1;
    if (c === 92 /* \ */) {
      const next = text.charCodeAt(i + 1);
      if (next === 117 /* u */) {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return -1;
        i += 5;
      } else if (next === 34 || next === 92 || next === 47 || next === 98 || next === 102 || next === 110 || next === 114 || next === 116) {
        i++;
      } else {
        return -1;
      }
    }
  }
  return -1;
}

function stringValue(text: string, start: number, end: number): string {
  const inner = text.slice(start + 1, end);
  return inner.includes('\\') ? JSON.parse(text.slice(start, end + 1)) as string : inner;
}

/** The index after the JSON number starting at `start`, or -1 when none starts there. */
function numberEnd(text: string, start: number): number {
  let i = start;
  if (text.charCodeAt(i) === 45 /* - */) i++;
  if (text.charCodeAt(i) === 48 /* 0 */) i++;
  else {
    const end = digitsFrom(text, i);
    if (end === i) return -1;
    i = end;
  }
  if (text.charCodeAt(i) === 46 /* . */) {
    const end = digitsFrom(text, i + 1);
    if (end === i + 1) return -1;
    i = end;
  }
  const e = text.charCodeAt(i);
  if (e === 101 || e === 69 /* e E */) {
    let j = i + 1;
    const sign = text.charCodeAt(j);
    if (sign === 43 || sign === 45) j++;
    const end = digitsFrom(text, j);
    if (end === j) return -1;
    i = end;
  }
  return i;
}

function digitsFrom(text: string, from: number): number {
  let i = from;
  for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i));
  return i;
}
