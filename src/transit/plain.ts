// The "what a person expects as JSON" view of a Transit tree: used for Copy JSON, search and reading event names
// on every received event, so it is one direct walk with no intermediate copies.
import { keywordNameOfKey, setOwn } from './nodes';
import { TYPE_KEY, type TransitMapObject, type TransitNode, type TypedNode } from './types';

/**
 * keyword/symbol → name; uuid, instant, uri, bigint, decimal, char, binary → their string; set/list → array;
 * maps → objects (a non-string key becomes its plain form as text); tagged → its plain value.
 */
export function toPlainJson(node: TransitNode): unknown {
  if (typeof node !== 'object' || node === null) return node;
  // Loops inline rather than helpers or .map(callback): one stack frame per level, so that any tree the decoder
  // accepted (it uses two per level) can be viewed.
  let items: TransitNode[];
  if (Array.isArray(node)) {
    items = node;
  } else {
    const typed = node as TypedNode;
    switch (typed[TYPE_KEY]) {
      case undefined: {
        const map = node as TransitMapObject;
        const object: Record<string, unknown> = {};
        for (const key of Object.keys(map)) setOwn(object, keywordNameOfKey(key), toPlainJson(map[key]));
        return object;
      }
      case 'keyword':
      case 'symbol':
        return typed.name;
      case 'set':
      case 'list':
        items = typed.items;
        break;
      case 'map': {
        const object: Record<string, unknown> = {};
        for (const [key, value] of typed.entries) {
          const plainKey = typeof key === 'string' ? key : toPlainJson(key);
          setOwn(object, typeof plainKey === 'string' ? plainKey : JSON.stringify(plainKey), toPlainJson(value));
        }
        return object;
      }
      case 'tagged':
        return toPlainJson(typed.value);
      default:
        return typed.value;
    }
  }
  const array = new Array<unknown>(items.length);
  for (let i = 0; i < items.length; i++) array[i] = toPlainJson(items[i]);
  return array;
}
