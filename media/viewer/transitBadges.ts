// How one Transit node looks in the Decoded tree: its type badge (describeNodeType, PENPOT_TRANSIT_TAGS from
// src/transit) and either a scalar text or its children. Imports the browser-safe transit modules directly rather
// than src/transit/index.ts, which would pull the transit-js codec into the webview bundle.
import { describeNodeType, PENPOT_TRANSIT_TAGS } from '../../src/transit/describe';
import { keywordNameOfKey } from '../../src/transit/nodes';
import { TYPE_KEY, type TransitMapObject, type TransitNode, type TypedNode } from '../../src/transit/types';
import type { ValueKind } from './tree';

export interface TransitNodeView {
  badge?: string;
  badgeTitle?: string;
  kind: Exclude<ValueKind, 'container'>;
  /** Set for leaves. */
  scalar?: string;
  /** Set for maps: [label, value]; a keyword key is labelled with its name, any other key with its preview. */
  entries?: [string, TransitNode][];
  /** Set for vectors, sets, lists. */
  items?: TransitNode[];
}

const BUILT_IN_TITLES: Record<string, string> = {
  keyword: 'Keyword (~:)',
  symbol: 'Symbol (~$)',
  uuid: 'UUID (~u)',
  instant: 'Instant (~m / ~t)',
  set: 'Set (~#set)',
  list: 'List (~#list)',
  map: 'Map with non-keyword keys (~#cmap)',
  bigint: 'Big integer (~n)',
  decimal: 'Big decimal (~f)',
  uri: 'URI (~r)',
  binary: 'Binary, base64 (~b)',
  char: 'Character (~c)',
};

export function describeTransitNode(node: TransitNode): TransitNodeView {
  const type = describeNodeType(node);
  switch (type) {
    case 'nil': return { kind: 'null', scalar: 'nil' };
    case 'boolean': return { kind: 'boolean', scalar: String(node) };
    case 'number': return { kind: 'number', scalar: String(node) };
    case 'string': return { kind: 'string', scalar: JSON.stringify(node) };
    case 'vector': return { kind: 'typed', items: node as TransitNode[] };
  }
  const typed = node as TypedNode;
  if (typed[TYPE_KEY] === undefined) {
    const map = node as TransitMapObject;
    return { kind: 'typed', entries: Object.keys(map).map((k) => [keywordNameOfKey(k), map[k]]) };
  }
  switch (typed[TYPE_KEY]) {
    case 'keyword':
      return { badge: type, badgeTitle: BUILT_IN_TITLES[type], kind: 'keyword', scalar: `:${typed.name}` };
    case 'symbol':
      return { badge: type, badgeTitle: BUILT_IN_TITLES[type], kind: 'keyword', scalar: typed.name };
    case 'set':
    case 'list':
      return { badge: type, badgeTitle: BUILT_IN_TITLES[type], kind: 'typed', items: typed.items };
    case 'map':
      return {
        badge: type, badgeTitle: BUILT_IN_TITLES[type], kind: 'typed',
        entries: typed.entries.map(([k, v]) => [transitPreview(k), v]),
      };
    case 'tagged': {
      const title = PENPOT_TRANSIT_TAGS[typed.tag] ?? 'Tag unknown to this viewer: its value as decoded';
      const inner = describeTransitNode(typed.value);
      return { ...inner, badge: type, badgeTitle: `${title} (~#${typed.tag})` };
    }
    default:
      return { badge: type, badgeTitle: BUILT_IN_TITLES[type] ?? type, kind: 'typed', scalar: typed.value };
  }
}

/** One line of text for a Transit node: a leaf's text, or `{n}` / `[n]` for a collection. */
export function transitPreview(node: TransitNode): string {
  const view = describeTransitNode(node);
  if (view.scalar !== undefined) return view.scalar;
  return view.entries ? `{${view.entries.length}}` : `[${view.items?.length ?? 0}]`;
}
