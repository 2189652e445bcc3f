// Short labels for the payload viewer's type badges.
import { TYPE_KEY, type TransitNode, type TypedNode } from './types';

/** The tags Penpot registers (§9), without the "~#", with what their value is. */
export const PENPOT_TRANSIT_TAGS: Readonly<Record<string, string>> = Object.freeze({
  duration: 'Duration (ms)',
  uri: 'URI',
  'ordered-map': 'Ordered map ([key value] pairs)',
  'ordered-set': 'Ordered set',
  'penpot/pointer': 'Lazy pointer [id meta]',
  file: 'File path',
  path: 'Path',
  point: 'Point {x, y}',
  rect: 'Rectangle',
  matrix: 'Transform matrix {a b c d e f}',
  shape: 'Shape',
  'penpot/fills': 'Fills',
  'penpot/path-data': 'Path data (binary)',
  'penpot/objects-map/v2': 'Objects map (internal)',
  'penpot/tokens-lib': 'Design tokens library',
  'penpot/token-set': 'Token set',
  'penpot/token-theme': 'Token theme',
  'penpot/token': 'Design token',
});

/**
 * "nil", "boolean", "number", "string", "vector", "map", the typed node's kind ("keyword", "uuid", "instant",
 * "set", …) or "#tag" for a tagged value ("#duration").
 */
export function describeNodeType(node: TransitNode): string {
  if (node === null) return 'nil';
  if (typeof node !== 'object') return typeof node;
  if (Array.isArray(node)) return 'vector';
  const typed = node as TypedNode;
  const type = typed[TYPE_KEY];
  if (type === undefined) return 'map';
  return type === 'tagged' ? '#' + typed.tag : type;
}
