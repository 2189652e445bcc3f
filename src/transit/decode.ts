// Transit JSON (compact or verbose) → the plain TransitNode tree of types.ts, built in one pass by transit-js's own
// decoder: its handlers return our nodes and its map builder returns our maps, so there is no second walk.
import * as transit from 'transit-js';
import { CheckedReadCache } from './cache';
import { kw, mapFromFlat } from './nodes';
import { TYPE_KEY, type TransitNode, type TypedNode } from './types';

export class TransitDecodeError extends Error {
  override name = 'TransitDecodeError';
}

type Handler = (rep: unknown) => TransitNode;

function invalid(problem: string): TransitDecodeError {
  return new TransitDecodeError(`Not valid Transit: ${problem}.`);
}

function taggedNode(tag: string, value: unknown): TypedNode {
  return { '~type': 'tagged', tag, value: value as TransitNode };
}

// transit-js marks a "~#tag" string with an instance of its internal Tag class; the class is not exported, so
// take its constructor from a decoded tag.
const TagClass = (transit.decoder().decode('~#probe') as object).constructor;

function isTag(value: unknown): value is { str: string } {
  return value instanceof TagClass;
}

function strayTag(tag: { str: string }): TransitDecodeError {
  return invalid(`the tag "~#${tag.str}" is not followed by a value`);
}

function checkNoStrayTag(items: unknown[]): void {
  for (let i = 0; i < items.length; i++) if (isTag(items[i])) throw strayTag(items[i] as { str: string });
}

/**
 * transit-js decodes a tagged value's representation in "tag value" mode, which does not look for a tag in a
 * 2-array, so a representation that is itself tagged (`["~#a", ["~#b", x]]`) arrives as `[Tag b, x]`; resolve it.
 */
function representation(rep: unknown): unknown {
  if (Array.isArray(rep)) {
    if (rep.length === 2 && isTag(rep[0])) return handlerFor(rep[0].str)(rep[1]);
    checkNoStrayTag(rep);
  } else if (isTag(rep)) {
    throw strayTag(rep);
  }
  return rep;
}

/** Scalar nodes `{ "~type": type, value: rep }`; a representation that is not a string stays a tagged node. */
function stringValued(type: 'uuid' | 'bigint' | 'decimal' | 'uri' | 'binary' | 'char', tag: string): Handler {
  return (rep) => (typeof rep === 'string' ? { '~type': type, value: rep } : taggedNode(tag, representation(rep)));
}

const MAX_DATE_MILLIS = 8.64e15;
const MILLIS_PATTERN = /^-?\d{1,16}$/;

function millisToInstant(rep: unknown): TransitNode {
  const millis = typeof rep === 'string' && MILLIS_PATTERN.test(rep) ? Number(rep) : NaN;
  if (Math.abs(millis) > MAX_DATE_MILLIS || Number.isNaN(millis)) return taggedNode('m', representation(rep));
  return { '~type': 'instant', value: new Date(millis).toISOString() };
}

const INTEGER_PATTERN = /^-?\d+$/;

function integer(rep: unknown): TransitNode {
  if (typeof rep === 'string') {
    const n = Number(rep);
    if (String(n) === rep) return n;
    // Beyond 2^53 a JS number would lose digits (Java longs are written as "~i…").
    if (INTEGER_PATTERN.test(rep)) return { '~type': 'bigint', value: rep };
  }
  return taggedNode('i', representation(rep));
}

// Every representation a handler cannot read stays a `tagged` node under the same tag. Because "~xREP" and
// ["~#x", REP] reach the same handler, such a node encodes and decodes back to itself: nothing is lost.
const ownHandlers: Record<string, Handler> = {
  _: (rep) => (rep === '' ? null : taggedNode('_', representation(rep))),
  '?': (rep) => (rep === 't' ? true : rep === 'f' ? false : taggedNode('?', representation(rep))),
  i: integer,
  d: (rep) => {
    const n = typeof rep === 'string' && rep !== '' ? Number(rep) : NaN;
    return Number.isFinite(n) ? n : taggedNode('d', representation(rep));
  },
  ':': (rep) => (typeof rep === 'string' ? { '~type': 'keyword', name: rep } : taggedNode(':', representation(rep))),
  $: (rep) => (typeof rep === 'string' ? { '~type': 'symbol', name: rep } : taggedNode('$', representation(rep))),
  u: stringValued('uuid', 'u'),
  n: stringValued('bigint', 'n'),
  f: stringValued('decimal', 'f'),
  r: stringValued('uri', 'r'),
  b: stringValued('binary', 'b'),
  c: stringValued('char', 'c'),
  m: millisToInstant,
  // Kept verbatim: Penpot's ISO strings may carry microseconds that a Date would drop (§1.5).
  t: (rep) => (typeof rep === 'string' ? { '~type': 'instant', value: rep } : taggedNode('t', representation(rep))),
  set: (rep) => {
    const items = representation(rep);
    return Array.isArray(items) ? { '~type': 'set', items } : taggedNode('set', items);
  },
  list: (rep) => {
    const items = representation(rep);
    return Array.isArray(items) ? { '~type': 'list', items } : taggedNode('list', items);
  },
  cmap: (rep) => {
    const flat = representation(rep);
    return Array.isArray(flat) && flat.length % 2 === 0 ? finishMap(flat, null) : taggedNode('cmap', flat);
  },
  "'": (rep) => representation(rep) as TransitNode,
};

// Any other tag, Penpot's (§9) or unknown, becomes a tagged node; a closure per tag because transit-js passes
// handlers only the representation. The cache is bounded so a hostile payload cannot grow it without limit.
const genericHandlers = new Map<string, Handler>();
const MAX_GENERIC_HANDLERS = 512;

function genericHandler(tag: string): Handler {
  let handler = genericHandlers.get(tag);
  if (handler === undefined) {
    handler = (rep) => taggedNode(tag, representation(rep));
    if (genericHandlers.size < MAX_GENERIC_HANDLERS) genericHandlers.set(tag, handler);
  }
  return handler;
}

function handlerFor(tag: string): Handler {
  return Object.prototype.hasOwnProperty.call(ownHandlers, tag) ? ownHandlers[tag] : genericHandler(tag);
}

// The decoder looks handlers up as `handlers[tag]`, for "~x" scalars and "~#tag" values alike. Own properties
// answer the known tags at full speed; a miss falls through to the prototype, a Proxy that answers every other
// tag, so transit-js never builds its own TaggedValue (which it does for tags without a handler).
const handlerTable: Record<string, Handler> = Object.assign(
  Object.create(new Proxy({}, { get: (_target, tag) => (typeof tag === 'string' ? genericHandler(tag) : undefined) })) as Record<string, Handler>,
  ownHandlers,
);

function isKeywordNode(value: unknown): value is { '~type': 'keyword'; name: string } {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[TYPE_KEY] === 'keyword';
}

/**
 * A copy of a scalar node read from the cache (only scalars are cached), so that a value repeated through "^N"
 * is not one shared object.
 */
function unshared(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || isTag(value)) return value;
  const node = value as Record<string, string>;
  const type = node[TYPE_KEY];
  if (type === 'keyword' || type === 'symbol') return { '~type': type, name: node.name };
  if (type === 'tagged') return { '~type': type, tag: node.tag, value: node.value };
  return { '~type': type, value: node.value };
}

function finishMap(flat: unknown[], source: unknown): TransitNode {
  // A compact map is ["^ ", k, v, …]: an even length means a key lost its value.
  if (Array.isArray(source) && source.length % 2 === 0) throw invalid('a map ["^ ", …] has a key without a value');
  checkNoStrayTag(flat);
  const map = mapFromFlat(flat as TransitNode[]);
  if ((map as TypedNode)[TYPE_KEY] === 'map') {
    // Keyword keys may come shared from the cache (see `cache` below); a map node keeps them, so copy them.
    for (const entry of (map as { entries: [TransitNode, TransitNode][] }).entries) {
      if (isKeywordNode(entry[0])) entry[0] = kw(entry[0].name);
    }
  }
  return map;
}

const mapBuilder = {
  init: (): unknown[] => [],
  add: (flat: unknown[], key: unknown, value: unknown): unknown[] => {
    flat.push(key, value);
    return flat;
  },
  finalize: finishMap,
  fromArray: finishMap,
};

const arrayBuilder = {
  init: (): unknown[] => [],
  add: (items: unknown[], value: unknown): unknown[] => {
    if (isTag(value)) throw strayTag(value);
    items.push(value);
    return items;
  },
  finalize: (items: unknown[]) => items,
  fromArray: (items: unknown[]) => {
    checkNoStrayTag(items);
    return items;
  },
};

const decoder = transit.decoder({ mapBuilder, arrayBuilder } as never) as transit.Decoder & { handlers?: unknown };
// The ground handlers ("b" binary → Buffer, "i" → goog.math.Long beyond 2^53, "'") cannot be replaced through
// the options, so the decoder's table is swapped after construction. Fail loudly if transit-js changes shape.
if (typeof decoder.handlers !== 'object' || decoder.handlers === null) {
  throw new Error('transit-js decoder has no handler table; the Transit codec needs updating');
}
decoder.handlers = handlerTable;
const cache = new CheckedReadCache(
  (code, wellFormed) => {
    throw wellFormed
      ? invalid(`the cache reference "${code}" points to no earlier value`)
      : invalid(`"${code.slice(0, 20)}" starts with "^" but is not a cache reference (a string must escape it as "~^")`);
  },
  // A keyword key is only read for its name, so sharing it is harmless and saves an allocation per key.
  (value, asMapKey) => (asMapKey && isKeywordNode(value) ? value : unshared(value)),
);

// Far beyond anything Penpot writes; keeps the recursive decoder, toPlainJson, encodeTransit and the viewer off
// the end of the stack when a payload is hostile.
export const MAX_NESTING = 1000;

/** False when valid JSON `text` nests arrays/objects deeper than `limit`. Skips strings with indexOf (fast). */
export function nestingWithin(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // The closing quote is the next one not escaped by an odd run of backslashes (the text parsed as JSON).
      let end = text.indexOf('"', i + 1);
      for (;;) {
        let before = end - 1;
        while (text.charCodeAt(before) === 92 /* \ */) before--;
        if ((end - 1 - before) % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      i = end;
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > limit) return false;
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      depth--;
    }
  }
  return true;
}

/**
 * Decodes Transit JSON, compact or verbose, into the lossless tree of types.ts. Penpot's own tags and unknown
 * tags become `tagged` nodes (§9: one tag never fails a payload). Throws TransitDecodeError on malformed input.
 */
export function decodeTransit(text: string): TransitNode {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(text.trim() === '' ? 'the text is empty' : (error as Error).message);
  }
  if (!nestingWithin(text, MAX_NESTING)) throw invalid(`it nests deeper than ${MAX_NESTING} levels`);
  try {
    const node: unknown = decoder.decode(json, cache);
    if (isTag(node)) throw strayTag(node);
    return node as TransitNode;
  } catch (error) {
    if (error instanceof TransitDecodeError) throw error;
    throw invalid((error as Error).message);
  } finally {
    cache.clear();
  }
}
