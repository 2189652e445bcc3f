// Penpot's JSON dialect: how its backend reads JSON request bodies (§1.3) and writes JSON responses and webhook
// payloads (§1.4, §1.5, §4.1 step 4). The input and output trees are the Transit trees of src/transit/types.ts, so one
// value can be written in either encoding.
import { DOUBLE_RECORD_TAGS, javaDouble } from '../transit/encode';
import { isTypedNode, keywordNameOfKey, kw, mapOf } from '../transit/nodes';
import { TYPE_KEY, type TransitNode, type TypedNode } from '../transit/types';

// --- Key styles: cuerdas `str/camel` and `str/kebab` ------------------------------------------------------------

const UPPER_RUN = /(\p{Lu}+[\p{Ll}\u0027\p{Ps}\p{Pe}]*)/gu;
const WORD_SEPARATORS = /[^\p{L}\p{N}\u0027\p{Ps}\p{Pe}]+/u;

/** cuerdas `stylize-split`: a dash before every upper-case run, then split on anything not a letter or digit. */
function styleWords(name: string): string[] {
  return name.replace(UPPER_RUN, '-$1').split(WORD_SEPARATORS).filter((w) => w.length > 0);
}

const capital = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

/** cuerdas `str/camel`, Penpot's JSON key writer (`json/write-camel-key`): "profile-id" → "profileId". */
export function camelKey(name: string): string {
  const words = styleWords(name);
  if (words.length === 0) return name;
  return words[0].toLowerCase() + words.slice(1).map(capital).join('');
}

/** cuerdas `str/kebab`, Penpot's JSON key reader (`json/read-kebab-key`): "teamId", "team_id" → "team-id". */
export function kebabKey(name: string): string {
  const words = styleWords(name);
  return words.length === 0 ? name : words.map((w) => w.toLowerCase()).join('-');
}

/**
 * A key style with a memo of the names it has converted: the receiver's contract check converts every key of every
 * event, and the word splitting is most of its cost. The names come from untrusted payloads, so the memo holds at
 * most `limit` of them and starts over when full (a stream of distinct keys costs what it did without the memo).
 */
export class MemoisedKeyStyle {
  private readonly memo = new Map<string, string>();

  constructor(private readonly convert: (name: string) => string, readonly limit = 4096) {}

  /** How many names the memo holds now (at most `limit`). */
  get size(): number {
    return this.memo.size;
  }

  /** The converted name: `convert(name)`, from the memo when it holds it. A property so it can be passed around. */
  readonly of = (name: string): string => {
    let converted = this.memo.get(name);
    if (converted === undefined) {
      converted = this.convert(name);
      if (this.memo.size >= this.limit) this.memo.clear();
      this.memo.set(name, converted);
    }
    return converted;
  };
}

/** Clojure's `(name kw)`: the part after the namespace. */
function keywordName(name: string): string {
  const slash = name.indexOf('/');
  return slash > 0 && name.length > 1 ? name.slice(slash + 1) : name;
}

// --- Writing ----------------------------------------------------------------------------------------------------

export interface PenpotJsonOptions {
  /** data.json `:indent true`: newline plus two spaces per level, `": "` after keys (webhook deliveries, §4.1). */
  indent?: boolean;
  /**
   * Webhook deliveries' `:key-fn str/camel`, which camelCases string keys too ("font/ttf" → "fontTtf"); RPC answers
   * (`write-camel-key`) keep them as they are (conformance finding 12). A UUID key then has no name: Penpot's
   * delivery fails to write the body, so this throws.
   */
  camelStringKeys?: boolean;
}

/** The output being written, and how map keys that are not keywords are written. */
type Out = string[] & { camelStringKeys?: boolean };

/**
 * Writes a Transit tree the way Penpot's backend writes JSON: clojure.data.json with `:key-fn str/camel` (§1.4).
 * Keyword keys are camelCased at every depth, keyword values are written as their names, UUIDs as strings,
 * instants as ISO_INSTANT, sets and lists as arrays (§1.5); `/` is escaped as `\/` and every non-ASCII character as
 * `\uXXXX` (data.json defaults). A Penpot URI record (tag "uri") is written as the record object (§1.6).
 */
export function writePenpotJson(node: TransitNode, options: PenpotJsonOptions = {}): string {
  const out: Out = [];
  out.camelStringKeys = options.camelStringKeys === true;
  writeValue(node, out, options.indent ? 0 : -1);
  return out.join('');
}

/** `depth` is the current indent level, or -1 for compact output. */
function writeValue(node: TransitNode, out: Out, depth: number): void {
  if (node === null) out.push('null');
  else if (typeof node === 'boolean') out.push(node ? 'true' : 'false');
  else if (typeof node === 'number') out.push(javaNumber(node));
  else if (typeof node === 'string') out.push(jsonString(node));
  else if (Array.isArray(node)) writeArray(node, out, depth);
  else if (isTypedNode(node)) writeTyped(node, out, depth);
  else writeObject(Object.entries(node).map(([k, v]) => [camelKey(keywordName(keywordNameOfKey(k))), v]), out, depth);
}

function writeTyped(node: TypedNode, out: Out, depth: number): void {
  switch (node[TYPE_KEY]) {
    case 'keyword':
    case 'symbol':
      out.push(jsonString(keywordName(node.name)));
      return;
    case 'instant':
      out.push(jsonString(isoInstant(node.value)));
      return;
    case 'bigint':
    case 'decimal':
      out.push(node.value); // data.json `write-bignum`: the digits, unquoted
      return;
    case 'uuid':
    case 'uri':
    case 'binary': // data.json has no writer for these; a string is the readable choice
    case 'char':
      out.push(jsonString(node.value));
      return;
    case 'set':
    case 'list':
      writeArray(node.items, out, depth);
      return;
    case 'map':
      writeObject(node.entries.map(([k, v]) => [mapKeyString(k, out.camelStringKeys === true), v]), out, depth);
      return;
    case 'tagged':
      if (node.tag === 'uri' && typeof node.value === 'string') writeObject(Object.entries(uriRecord(node.value)) as [string, TransitNode][], out, depth);
      else if (DOUBLE_RECORD_TAGS.has(node.tag)) writeDoubleRecord(node.value, out, depth);
      else writeValue(node.value, out, depth); // Penpot's records (point, rect, …) are maps of their fields
      return;
  }
}

/** A point/rect/matrix record: a map whose numbers are Java doubles, `188.0` (conformance finding 10). */
function writeDoubleRecord(value: TransitNode, out: Out, depth: number): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || isTypedNode(value)) {
    writeValue(value, out, depth);
    return;
  }
  const entries = Object.entries(value);
  const inner = depth < 0 ? -1 : depth + 1;
  out.push('{');
  entries.forEach(([key, field], i) => {
    if (i > 0) out.push(',');
    newline(out, inner);
    out.push(jsonString(camelKey(keywordName(keywordNameOfKey(key)))), depth < 0 ? ':' : ': ');
    if (typeof field === 'number' && Number.isFinite(field)) out.push(javaDouble(field));
    else writeValue(field, out, inner);
  });
  if (entries.length > 0) newline(out, depth);
  out.push('}');
}

/**
 * Penpot's key-fn for keys that are not keywords: `str` in RPC answers (json/write-camel-key); `str/camel` in
 * deliveries, where a UUID key has no name and data.json throws.
 */
function mapKeyString(key: TransitNode, camelStrings: boolean): string {
  if (typeof key === 'string') return camelStrings ? camelKey(key) : key;
  if (isTypedNode(key)) {
    if (key[TYPE_KEY] === 'keyword' || key[TYPE_KEY] === 'symbol') return camelKey(keywordName(key.name));
    if (camelStrings && key[TYPE_KEY] === 'uuid') {
      throw new Error(`Penpot cannot write the UUID map key ${key.value} in a JSON delivery (str/camel gives nil).`);
    }
    if ('value' in key && typeof key.value === 'string') return key.value;
  }
  return typeof key === 'object' ? JSON.stringify(key) : String(key);
}

function writeArray(items: TransitNode[], out: Out, depth: number): void {
  const inner = depth < 0 ? -1 : depth + 1;
  out.push('[');
  items.forEach((item, i) => {
    if (i > 0) out.push(',');
    newline(out, inner);
    writeValue(item, out, inner);
  });
  if (items.length > 0) newline(out, depth);
  out.push(']');
}

function writeObject(entries: [string, TransitNode][], out: Out, depth: number): void {
  const inner = depth < 0 ? -1 : depth + 1;
  out.push('{');
  entries.forEach(([key, value], i) => {
    if (i > 0) out.push(',');
    newline(out, inner);
    out.push(jsonString(key), depth < 0 ? ':' : ': ');
    writeValue(value, out, inner);
  });
  if (entries.length > 0) newline(out, depth);
  out.push('}');
}

function newline(out: Out, depth: number): void {
  if (depth >= 0) out.push('\n' + '  '.repeat(depth));
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"', '\\': '\\\\', '/': '\\/', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t',
};

/** data.json `write-string` with its defaults: `\/`, and `\uxxxx` (lower-case hex) for controls and non-ASCII. */
function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short) out += short;
    else if (code < 0x20 || code > 0x7f) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

/**
 * A number as the JVM prints it. Integral values are written as longs; others like `Double.toString`
 * (scientific notation outside [1e-3, 1e7)). A Clojure double with an integral value (100.0) cannot be told apart
 * from a long once in JavaScript, so it is written as 100.
 */
function javaNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`JSON cannot represent the number ${n}`);
  const abs = Math.abs(n);
  if (Number.isInteger(n) && abs < 1e21) return String(n);
  if (abs >= 1e-3 && abs < 1e7) return String(n);
  const [mantissa, exponent] = n.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : mantissa + '.0'}E${Number(exponent)}`;
}

/** `DateTimeFormatter/ISO_INSTANT`: UTC, fraction in groups of 0, 3, 6 or 9 digits (§1.5). */
export function isoInstant(value: string): string {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:[.,](\d+))?(Z|[+-]\d\d:?\d\d)$/.exec(value);
  if (!match) return value;
  let [, whole, fraction = '', zone] = match;
  if (zone !== 'Z') {
    // Re-base to UTC through Date; that keeps milliseconds, and the sub-millisecond digits are re-attached.
    const utc = new Date(`${whole}${zone}`).toISOString();
    whole = utc.slice(0, 19);
  }
  fraction = fraction.slice(0, 9).replace(/0+$/, '');
  const digits = fraction.length === 0 ? 0 : Math.ceil(fraction.length / 3) * 3;
  return `${whole}${digits ? '.' + fraction.padEnd(digits, '0') : ''}Z`;
}

// --- The lambdaisland URI record (§1.6) -------------------------------------------------------------------------

export interface UriRecord {
  scheme: string | null;
  user: string | null;
  password: string | null;
  host: string | null;
  port: string | null;
  path: string | null;
  query: string | null;
  fragment: string | null;
}

const URI_PARTS = /^(([^:/?#]+):)?(\/\/([^/?#]*))?([^?#]*)?(\?([^#]*))?(#(.*))?$/s;
const AUTHORITY_PARTS = /^(([^:]*)(:(.*))?@)?([^:]*)(:(\d*))?$/s;

/** `lambdaisland.uri/parse`: the record Penpot keeps for a webhook's `uri`; fields in the record's order. */
export function uriRecord(uri: string): UriRecord {
  const m = URI_PARTS.exec(uri) ?? [];
  const [scheme, authority, rawPath, query, fragment] = [m[2], m[4], m[5], m[7], m[9]];
  const path = rawPath ? rawPath : null;
  const a = authority === undefined ? [] : AUTHORITY_PARTS.exec(authority) ?? [];
  return {
    scheme: scheme ?? null,
    user: a[2] ?? null,
    password: a[4] ?? null,
    host: a[5] ?? null,
    port: a[7] ?? null,
    path,
    query: query ?? null,
    fragment: fragment ?? null,
  };
}

// --- Reading ----------------------------------------------------------------------------------------------------

/**
 * Reads a JSON request body the way Penpot does (§1.3): every object key at every depth is kebab-cased and becomes a
 * keyword, except keys containing "/", which stay strings. Values are left as JSON gave them; turning UUID strings
 * into UUIDs is the command's schema's business. Throws SyntaxError on malformed JSON.
 */
export function readPenpotJson(text: string): TransitNode {
  return toKebabTree(JSON.parse(text) as unknown);
}

function toKebabTree(value: unknown): TransitNode {
  if (Array.isArray(value)) return value.map(toKebabTree);
  if (value !== null && typeof value === 'object') {
    return mapOf(Object.entries(value).map(([key, v]) => [key.includes('/') ? key : kw(kebabKey(key)), toKebabTree(v)]));
  }
  return value as TransitNode;
}
