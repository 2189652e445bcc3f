// The Decoded tab: a collapsible tree of a JSON value or a Transit tree (src/transit/types.ts), children built
// only when a node is opened so a large payload costs nothing until it is explored.
import type { DecodedPayload } from '../../src/receiver/types';
import type { TransitNode } from '../../src/transit/types';
import { el, icon } from './dom';
import { describeTransitNode } from './transitBadges';

export type ValueKind = 'string' | 'number' | 'boolean' | 'null' | 'keyword' | 'typed' | 'container';

export interface ViewNode {
  /** Map key or array index; absent for the root. */
  label?: string;
  /** Type badge, e.g. "uuid", "instant", "set", "#penpot/pointer". */
  badge?: string;
  badgeTitle?: string;
  kind: ValueKind;
  /** Leaf text, or a one-line preview of a container. */
  text: string;
  children?: () => ViewNode[];
}

/** Children shown before a "Show more" row: keeps a 10,000-element array from freezing the panel. */
const CHILD_PAGE = 200;

// ---- JSON --------------------------------------------------------------------------------------------------

export function jsonNode(value: unknown, label?: string): ViewNode {
  if (value === null) return { label, kind: 'null', text: 'null' };
  if (Array.isArray(value)) {
    return {
      label, kind: 'container', text: `[${value.length}]`,
      children: () => value.map((v, i) => jsonNode(v, String(i))),
    };
  }
  switch (typeof value) {
    case 'string': return { label, kind: 'string', text: JSON.stringify(value) };
    case 'number': return { label, kind: 'number', text: String(value) };
    case 'boolean': return { label, kind: 'boolean', text: String(value) };
    case 'object': {
      const entries = Object.entries(value as Record<string, unknown>);
      return {
        label, kind: 'container', text: `{${entries.length}}`,
        children: () => entries.map(([k, v]) => jsonNode(v, k)),
      };
    }
    default: return { label, kind: 'null', text: String(value) };
  }
}

// ---- Transit -----------------------------------------------------------------------------------------------

export function transitNode(node: TransitNode, label?: string): ViewNode {
  const info = describeTransitNode(node);
  if (info.scalar !== undefined) {
    return { label, badge: info.badge, badgeTitle: info.badgeTitle, kind: info.kind, text: info.scalar };
  }
  if (info.entries) {
    const entries = info.entries;
    return {
      label, badge: info.badge, badgeTitle: info.badgeTitle, kind: 'container', text: `{${entries.length}}`,
      children: () => entries.map(([k, v]) => transitNode(v, k)),
    };
  }
  const items = info.items ?? [];
  return {
    label, badge: info.badge, badgeTitle: info.badgeTitle, kind: 'container', text: `[${items.length}]`,
    children: () => items.map((v, i) => transitNode(v, String(i))),
  };
}

export function payloadNode(decoded: DecodedPayload): ViewNode {
  return decoded.kind === 'json' ? jsonNode(decoded.value) : transitNode(decoded.value);
}

// ---- DOM ---------------------------------------------------------------------------------------------------

/**
 * Renders a tree; nodes closer than `openDepth` to the top start open. A collection at the root is not drawn
 * itself (its "{5}" says nothing the rows below do not): its entries are the top level.
 */
export function renderTree(root: ViewNode, openDepth = 1): HTMLElement {
  const container = el('div', { className: 'tree', attrs: { role: 'tree', 'aria-label': 'Decoded payload' } });
  if (root.children) appendPage(container, root.children(), 0, 0, openDepth);
  else container.appendChild(renderNode(root, 0, openDepth));
  container.addEventListener('click', (e) => {
    const row = (e.target as HTMLElement).closest<HTMLElement>('.tree-row[aria-expanded]');
    if (row) toggle(row);
  });
  container.addEventListener('keydown', (e) => {
    const row = (e.target as HTMLElement).closest<HTMLElement>('.tree-row[aria-expanded]');
    if (!row) return;
    const open = row.getAttribute('aria-expanded') === 'true';
    if (e.key === 'Enter' || e.key === ' ' || (e.key === 'ArrowRight' && !open) || (e.key === 'ArrowLeft' && open)) {
      e.preventDefault();
      toggle(row);
    }
  });
  return container;
}

/** Opens (or closes) every node down to `depth` levels; opening stops there to stay fast on huge payloads. */
export function setTreeOpen(tree: HTMLElement, open: boolean, depth = 6): void {
  for (let level = 0; level < depth; level++) {
    const rows = tree.querySelectorAll<HTMLElement>(`.tree-row[aria-expanded="${String(!open)}"]`);
    if (rows.length === 0) break;
    rows.forEach((row) => toggle(row));
    if (!open) break;
  }
}

const builders = new WeakMap<HTMLElement, () => ViewNode[]>();

function renderNode(node: ViewNode, depth: number, openDepth: number): HTMLElement {
  const row = el('div', { className: 'tree-row', attrs: { role: 'treeitem' } });
  row.dataset.depth = String(depth);
  row.style.paddingLeft = `${depth * 14 + 4}px`;
  const twisty = el('span', { className: 'twisty' });
  row.appendChild(twisty);
  if (node.label !== undefined) {
    row.appendChild(el('span', { className: 'tree-key', text: node.label }));
    row.appendChild(el('span', { className: 'tree-colon', text: ': ' }));
  }
  if (node.badge) row.appendChild(el('span', { className: 'badge', text: node.badge, title: node.badgeTitle ?? node.badge }));
  row.appendChild(el('span', { className: `tree-value v-${node.kind}`, text: node.text }));
  const item = el('div', { className: 'tree-item' }, [row]);
  if (node.children) {
    row.tabIndex = 0;
    row.setAttribute('aria-expanded', 'false');
    twisty.appendChild(icon('chevron-right'));
    builders.set(row, node.children);
    if (depth < openDepth) expand(row, depth, openDepth);
  }
  return item;
}

function toggle(row: HTMLElement): void {
  const item = row.parentElement!;
  const open = row.getAttribute('aria-expanded') === 'true';
  if (open) {
    row.setAttribute('aria-expanded', 'false');
    item.querySelector(':scope > .tree-children')?.setAttribute('hidden', '');
    row.querySelector('.twisty')!.replaceChildren(icon('chevron-right'));
    return;
  }
  const existing = item.querySelector(':scope > .tree-children');
  if (existing) {
    existing.removeAttribute('hidden');
    row.setAttribute('aria-expanded', 'true');
    row.querySelector('.twisty')!.replaceChildren(icon('chevron-down'));
    return;
  }
  const depth = Number(row.dataset.depth);
  expand(row, depth, depth + 1);
}

function expand(row: HTMLElement, depth: number, openDepth: number): void {
  const build = builders.get(row);
  if (!build) return;
  const children = build();
  const group = el('div', { className: 'tree-children', attrs: { role: 'group' } });
  appendPage(group, children, 0, depth + 1, openDepth);
  row.parentElement!.appendChild(group);
  row.setAttribute('aria-expanded', 'true');
  row.querySelector('.twisty')!.replaceChildren(icon('chevron-down'));
}

function appendPage(group: HTMLElement, children: ViewNode[], from: number, depth: number, openDepth: number): void {
  const to = Math.min(children.length, from + CHILD_PAGE);
  for (let i = from; i < to; i++) group.appendChild(renderNode(children[i], depth, openDepth));
  if (to < children.length) {
    const more = el('button', { className: 'link tree-more', text: `Show ${Math.min(CHILD_PAGE, children.length - to)} more of ${children.length - to}` });
    more.type = 'button';
    more.style.marginLeft = `${depth * 14 + 18}px`;
    more.addEventListener('click', (e) => {
      e.stopPropagation();
      more.remove();
      appendPage(group, children, to, depth, openDepth);
    });
    group.appendChild(more);
  }
}
