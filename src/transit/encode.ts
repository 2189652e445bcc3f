// The TransitNode tree → Transit JSON, written the way transit-js's writer does. Compact output ("json", what
// Penpot writes) replaces repeated keys, keywords and tags with "^N" cache codes; verbose output ("json-verbose")
// has no cache codes and maps as JSON objects; instants are "~m" millis in both, as Penpot's `m` handler has no
// verbose form (common/src/app/common/transit.cljc:138-144, conformance finding 18).
import { randomBytes } from 'node:crypto';
import { WriteCache } from './cache';
import { keywordNameOfKey } from './nodes';
import { TYPE_KEY, type TransitMapObject, type TransitNode, type TypedNode } from './types';

export interface EncodeOptions {
  /** Write "json-verbose" instead of compact "json". */
  verbose?: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Output {
  /** Null in verbose mode, which never caches. */
  cache: WriteCache | null;
  verbose: boolean;
  /** Stands for "write this number as a Java double" until the text is final; made on first use. */
  doubleMarker?: string;
}

/**
 * Penpot's records whose numeric fields are Java doubles (`gpt/point`, `grc/rect`, `gmt/matrix`). Jackson writes a
 * double with a fraction, `188.0`, which JavaScript numbers cannot say by themselves (conformance finding 10).
 */
export const DOUBLE_RECORD_TAGS: ReadonlySet<string> = new Set(['point', 'rect', 'matrix']);

/** `Double.toString`: "188.0", "412.5", "1.0E7", "1.0E-4". */
export function javaDouble(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`JSON cannot represent the number ${n}`);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e7)) {
    const [mantissa, exponent] = n.toExponential().split('e');
    return `${mantissa.includes('.') ? mantissa : mantissa + '.0'}E${Number(exponent)}`;
  }
  const text = Object.is(n, -0) ? '-0' : String(n);
  return text.includes('.') ? text : text + '.0';
}

function emit(text: string, asMapKey: boolean, out: Output): string {
  return out.cache === null ? text : out.cache.write(text, asMapKey);
}

/** A string that starts with one of Transit's markers gets a "~" so it is not read as one. */
function escapeString(text: string): string {
  const first = text.charCodeAt(0);
  return first === 126 /* ~ */ || first === 94 /* ^ */ || first === 96 /* ` */ ? '~' + text : text;
}

function encodeNumber(n: number, asMapKey: boolean, out: Output): Json {
  if (!Number.isFinite(n)) return emit(Number.isNaN(n) ? '~zNaN' : n > 0 ? '~zINF' : '~z-INF', asMapKey, out);
  // JSON has no negative zero; "~d-0" keeps it.
  if (Object.is(n, -0)) return emit('~d-0', asMapKey, out);
  if (!asMapKey) return n;
  return emit((Number.isInteger(n) ? '~i' : '~d') + String(n), asMapKey, out);
}

/**
 * "~m<millis>" when the ISO string is exactly what that millisecond gives back, in compact and verbose output alike
 * (Penpot's writer); otherwise "~t" keeps it verbatim (finer than milliseconds, which Penpot never writes).
 */
function encodeInstant(iso: string, asMapKey: boolean, out: Output): string {
  const millis = Date.parse(iso);
  if (Number.isFinite(millis) && new Date(millis).toISOString() === iso) return emit('~m' + millis, asMapKey, out);
  return emit('~t' + iso, asMapKey, out);
}

function encodeTagged(tag: string, rep: TransitNode, out: Output): Json {
  if (out.verbose) return { ['~#' + tag]: markDoubles(tag, encodeNode(rep, false, out), out) };
  const head = emit('~#' + tag, true, out); // before the representation: cache codes are numbered in reading order
  return [head, markDoubles(tag, encodeNode(rep, false, out), out)];
}

/** In a double record, the numbers of its fields become markers that the final text writes as Java doubles. */
function markDoubles(tag: string, encoded: Json, out: Output): Json {
  if (!DOUBLE_RECORD_TAGS.has(tag) || encoded === null || typeof encoded !== 'object') return encoded;
  out.doubleMarker ??= `\u0001d${randomBytes(6).toString('hex')}:`;
  const marker = out.doubleMarker;
  const mark = (v: Json): Json => (typeof v === 'number' && Number.isFinite(v) ? `${marker}${javaDouble(v)}` : v);
  if (Array.isArray(encoded)) return encoded[0] === '^ ' ? encoded.map((v, i) => (i > 0 && i % 2 === 0 ? mark(v) : v)) : encoded;
  return Object.fromEntries(Object.entries(encoded).map(([k, v]) => [k, mark(v)]));
}

function finish(text: string, out: Output): string {
  if (out.doubleMarker === undefined) return text;
  // The marker as JSON.stringify wrote it, opening quote included; the number after it runs to the closing quote.
  const opening = JSON.stringify(out.doubleMarker).slice(0, -1);
  return text.split(opening).map((part, i) => (i === 0 ? part : part.replace(/^([^"]*)"/, '$1'))).join('');
}

const SCALAR_CODES = new Map<string, string>([
  ['keyword', '~:'],
  ['symbol', '~$'],
  ['uuid', '~u'],
  ['bigint', '~n'],
  ['decimal', '~f'],
  ['uri', '~r'],
  ['binary', '~b'],
  ['char', '~c'],
]);

/** Nodes Transit can write as a single string (so as a key of a "^ " map, and quoted at the top level). */
function isStringable(node: TransitNode): boolean {
  if (typeof node !== 'object' || node === null) return true;
  if (Array.isArray(node)) return false;
  const type = (node as TypedNode)[TYPE_KEY];
  return type === 'instant' || SCALAR_CODES.has(type);
}

function encodeKeywordMap(map: TransitMapObject, out: Output): Json {
  const keys = Object.keys(map);
  if (out.verbose) {
    const object: { [key: string]: Json } = {};
    for (const key of keys) {
      if (map[key] !== undefined) object['~:' + keywordNameOfKey(key)] = encodeNode(map[key], false, out);
    }
    return object;
  }
  const array: Json[] = ['^ '];
  for (const key of keys) {
    // Skipped like JSON.stringify does, so optional props can be written as `undefined`.
    if (map[key] === undefined) continue;
    const encodedKey = emit('~:' + keywordNameOfKey(key), true, out);
    array.push(encodedKey, encodeNode(map[key], false, out));
  }
  return array;
}

function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) < 4294967295;
}

function encodeEntries(entries: [TransitNode, TransitNode][], out: Output): Json {
  if (!Array.isArray(entries)) throw new TypeError('encodeTransit: a "map" node needs an entries array');
  if (entries.every((entry) => isStringable(entry[0]))) {
    if (out.verbose) {
      const keys = entries.map((entry) => encodeNode(entry[0], true, out) as string);
      // A JSON object would list index-like keys ("0", "1") first and reorder the entries; a cmap keeps the order.
      if (keys.length > 1 && keys.some(isArrayIndex)) return encodeCmap(entries, out);
      const object: { [key: string]: Json } = {};
      entries.forEach(([, value], i) => {
        // "__proto__" must become data, not the prototype.
        Object.defineProperty(object, keys[i], { value: encodeNode(value, false, out), enumerable: true, writable: true, configurable: true });
      });
      return object;
    }
    const array: Json[] = ['^ '];
    for (const [key, value] of entries) {
      const encodedKey = encodeNode(key, true, out);
      array.push(encodedKey, encodeNode(value, false, out));
    }
    return array;
  }
  return encodeCmap(entries, out);
}

/** Transit's "cmap": a flat [k, v, …] array, for maps with composite keys. */
function encodeCmap(entries: [TransitNode, TransitNode][], out: Output): Json {
  const flat: Json[] = [];
  if (out.verbose) {
    for (const [key, value] of entries) flat.push(encodeNode(key, false, out), encodeNode(value, false, out));
    return { '~#cmap': flat };
  }
  const head = emit('~#cmap', true, out);
  for (const [key, value] of entries) {
    const encodedKey = encodeNode(key, false, out);
    flat.push(encodedKey, encodeNode(value, false, out));
  }
  return [head, flat];
}

function describeBadValue(node: unknown): string {
  if (node === undefined) return 'undefined';
  if (typeof node === 'object' && node !== null) return `an object with "~type": ${JSON.stringify((node as Record<string, unknown>)[TYPE_KEY])}`;
  return `a ${typeof node}`;
}

function encodeNode(node: TransitNode, asMapKey: boolean, out: Output): Json {
  switch (typeof node) {
    case 'string':
      return emit(escapeString(node), asMapKey, out);
    case 'number':
      return encodeNumber(node, asMapKey, out);
    case 'boolean':
      return asMapKey ? emit(node ? '~?t' : '~?f', true, out) : node;
    case 'object': {
      if (node === null) return asMapKey ? emit('~_', true, out) : null;
      if (Array.isArray(node)) {
        const array: Json[] = [];
        for (const item of node) array.push(encodeNode(item, false, out));
        return array;
      }
      const typed = node as TypedNode;
      const type = typed[TYPE_KEY];
      if (type === undefined) return encodeKeywordMap(node, out);
      const code = SCALAR_CODES.get(type);
      if (code !== undefined) {
        const text = type === 'keyword' || type === 'symbol' ? (typed as { name: unknown }).name : (typed as { value: unknown }).value;
        if (typeof text === 'string') return emit(code + text, asMapKey, out);
      } else if (type === 'instant') {
        if (typeof typed.value === 'string') return encodeInstant(typed.value, asMapKey, out);
      } else if (type === 'set' || type === 'list') {
        if (Array.isArray(typed.items)) return encodeTagged(type, typed.items, out);
      } else if (type === 'map') {
        return encodeEntries(typed.entries, out);
      } else if (type === 'tagged') {
        if (typeof typed.tag === 'string') return encodeTagged(typed.tag, typed.value, out);
      }
      break;
    }
  }
  throw new TypeError(`encodeTransit: cannot encode ${describeBadValue(node)}`);
}

/**
 * Writes a tree as Transit JSON: compact by default (Penpot's format, §4.1), verbose on request. Top-level
 * scalars are quoted (`["~#'", x]`) as Transit requires. decodeTransit(encodeTransit(x)) deep-equals x.
 */
export function encodeTransit(node: TransitNode, options: EncodeOptions = {}): string {
  const verbose = options.verbose === true;
  const out: Output = { cache: verbose ? null : new WriteCache(), verbose };
  const body = encodeNode(node, false, out);
  if (!isStringable(node)) return finish(JSON.stringify(body), out);
  return finish(JSON.stringify(verbose ? { "~#'": body } : ["~#'", body]), out);
}
