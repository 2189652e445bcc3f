// Tiny DOM builder. Text only ever goes through textContent or attribute setters, never innerHTML, so a payload
// holding markup ("<script>", "onerror=") is shown as the characters it is.

export interface ElementOptions {
  className?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  children: (Node | null | undefined)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  if (options.title !== undefined) node.title = options.title;
  for (const [name, value] of Object.entries(options.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) if (child) node.appendChild(child);
  return node;
}

/** A codicon glyph (the font is served from dist/webview/codicons). */
export function icon(name: string): HTMLElement {
  return el('span', { className: `codicon codicon-${name}`, attrs: { 'aria-hidden': 'true' } });
}

/** A toolbar/action button: icon plus label (label also used as the accessible name). */
export function button(iconName: string, label: string, options: { id?: string; compact?: boolean; title?: string } = {}): HTMLButtonElement {
  const b = el('button', { className: options.compact ? 'btn compact' : 'btn', title: options.title ?? label }, [
    icon(iconName),
    options.compact ? null : el('span', { className: 'btn-label', text: label }),
  ]);
  b.type = 'button';
  b.setAttribute('aria-label', label);
  if (options.id) b.id = options.id;
  return b;
}

export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}
