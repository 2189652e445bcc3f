// Builders and small helpers for the TransitNode tree (types.ts). Shared by the decoder, the encoder, the plain
// JSON view and the code that produces Transit (the twin, simulated webhook events). Browser-safe.
import { TYPE_KEY, type TransitMapObject, type TransitNode, type TypedNode } from './types';

const TILDE = 126; // '~'

/** The object key for a keyword name in a keyword-keyed map: a name starting with "~" is escaped as "~~…". */
export function keywordKey(name: string): string {
  return name.charCodeAt(0) === TILDE ? '~' + name : name;
}

/** The keyword name behind an object key of a keyword-keyed map (inverse of keywordKey). */
export function keywordNameOfKey(key: string): string {
  return key.charCodeAt(0) === TILDE && key.charCodeAt(1) === TILDE ? key.slice(1) : key;
}

/**
 * Sets an own enumerable property, even for the key "__proto__" (a keyword or map key can be any string, and
 * plain assignment of "__proto__" would replace the prototype instead of adding data).
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** True for the `{ "~type": … }` nodes; false for scalars, arrays and keyword-keyed map objects. */
export function isTypedNode(node: TransitNode): node is TypedNode {
  return typeof node === 'object' && node !== null && !Array.isArray(node) && typeof (node as TypedNode)[TYPE_KEY] === 'string';
}

/** True when the node is the keyword node (not when it is a keyword-keyed map). */
export function isKeyword(node: TransitNode): node is { '~type': 'keyword'; name: string } {
  return isTypedNode(node) && node[TYPE_KEY] === 'keyword';
}

export function kw(name: string): TypedNode {
  return { '~type': 'keyword', name };
}

export function sym(name: string): TypedNode {
  return { '~type': 'symbol', name };
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID node; throws on a string that is not a UUID (builders are for code that produces Transit). */
export function uuid(value: string): TypedNode {
  if (!UUID_PATTERN.test(value)) throw new TypeError(`uuid(): "${value}" is not a UUID`);
  return { '~type': 'uuid', value };
}

/**
 * An instant node from a Date, epoch milliseconds or an ISO-8601 string. An ISO string is kept as given (it may
 * carry microseconds, as Penpot's JSON does, §1.5); a Date or a number becomes `Date.toISOString()`.
 */
export function instant(value: Date | number | string): TypedNode {
  const millis = typeof value === 'string' ? Date.parse(value) : typeof value === 'number' ? value : value.getTime();
  if (!Number.isFinite(millis)) throw new RangeError(`instant(): ${String(value)} is not a valid date`);
  return { '~type': 'instant', value: typeof value === 'string' ? value : new Date(millis).toISOString() };
}

export function setOf(items: Iterable<TransitNode>): TypedNode {
  return { '~type': 'set', items: [...items] };
}

export function listOf(items: Iterable<TransitNode>): TypedNode {
  return { '~type': 'list', items: [...items] };
}

export function tagged(tag: string, value: TransitNode): TypedNode {
  return { '~type': 'tagged', tag, value };
}

/**
 * A map from `[key, value]` pairs in its canonical form: a plain object when every key is a keyword (the form the
 * decoder produces), otherwise `{ "~type": "map", entries }`.
 */
export function mapOf(entries: Iterable<readonly [TransitNode, TransitNode]>): TransitNode {
  const flat: TransitNode[] = [];
  for (const [key, value] of entries) flat.push(key, value);
  return mapFromFlat(flat);
}

/**
 * The canonical map node for a flat `[k0, v0, k1, v1, …]` list (the layout transit-js hands to map builders).
 * Builds the keyword-keyed object optimistically and falls back to entries at the first other key.
 */
export function mapFromFlat(flat: readonly TransitNode[]): TransitNode {
  const object: TransitMapObject = {};
  for (let i = 0; i < flat.length; i += 2) {
    const key = flat[i];
    if (typeof key !== 'object' || key === null || (key as TypedNode)[TYPE_KEY] !== 'keyword') {
      const entries: [TransitNode, TransitNode][] = [];
      for (let j = 0; j < flat.length; j += 2) entries.push([flat[j], flat[j + 1]]);
      return { '~type': 'map', entries };
    }
    setOwn(object, keywordKey((key as { name: string }).name), flat[i + 1]);
  }
  return object;
}
