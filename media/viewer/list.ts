// The event list: virtualised (only the rows in view exist in the DOM), newest first, with single, toggle
// (Ctrl/Cmd) and range (Shift) selection and keyboard navigation.
import type { EventRow } from '../../src/extension/viewer/protocol';
import { el, icon } from './dom';
import { CHECK_LABELS } from '../../src/receiver/checkStatus';
import { formatDateTime, formatSize, formatTime } from '../../src/receiver/format';
import { statusLabel } from './format';
import { checkBadge } from './checkView';

export const ROW_HEIGHT = 24;
const OVERSCAN = 8;

export interface EventListCallbacks {
  /** The primary selection changed (undefined when nothing is selected). */
  onSelect(id: string | undefined): void;
  onScroll(scrollTop: number): void;
}

export const FORMAT_LABELS: Record<EventRow['format'], string> = {
  json: 'JSON', transit: 'Transit', text: 'Text', empty: 'Empty', binary: 'Binary',
};

export class EventList {
  readonly element: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly pool: HTMLElement[] = [];
  private rows: EventRow[] = [];
  private positions: Map<string, number> | undefined;
  private readonly selected = new Set<string>();
  private primary: string | undefined;
  private anchor: string | undefined;
  private renderQueued = false;
  /** The row object each pooled element shows: one still showing the same row only moves (a burst at the top). */
  private readonly drawn = new WeakMap<HTMLElement, EventRow>();

  constructor(private readonly callbacks: EventListCallbacks) {
    this.spacer = el('div', { className: 'list-spacer' });
    this.scroller = el('div', {
      className: 'list-scroll',
      attrs: { role: 'listbox', tabindex: '0', 'aria-label': 'Received events', 'aria-multiselectable': 'true' },
    }, [this.spacer]);
    const header = el('div', { className: 'list-row list-header', attrs: { role: 'presentation' } }, [
      el('span', { className: 'col-time', text: 'Time' }),
      el('span', { className: 'col-event', text: 'Event' }),
      el('span', { className: 'col-label', text: 'Summary' }),
      el('span', { className: 'col-check', text: 'Check' }),
      el('span', { className: 'col-format', text: 'Format' }),
      el('span', { className: 'col-size', text: 'Size' }),
      el('span', { className: 'col-forward', text: 'Forward' }),
    ]);
    this.element = el('div', { className: 'list' }, [header, this.scroller]);
    this.scroller.addEventListener('scroll', () => {
      this.queueRender();
      this.callbacks.onScroll(this.scroller.scrollTop);
    });
    this.scroller.addEventListener('click', (e) => this.onClick(e));
    // The time's tooltip (a locale date, the slowest part of filling a row) is made when the pointer reaches it.
    this.scroller.addEventListener('mouseover', (e) => {
      const cell = (e.target as HTMLElement).closest<HTMLElement>('.col-time');
      const row = cell?.parentElement ? this.drawn.get(cell.parentElement) : undefined;
      if (cell && row && !cell.title) cell.title = formatDateTime(row.receivedAt);
    });
    this.scroller.addEventListener('keydown', (e) => this.onKey(e));
    new ResizeObserver(() => this.queueRender()).observe(this.scroller);
  }

  get visibleIds(): string[] {
    return this.rows.map((r) => r.id);
  }

  /** Selected ids in list order. */
  get selectedIds(): string[] {
    return this.rows.filter((r) => this.selected.has(r.id)).map((r) => r.id);
  }

  /** The most rows one screen of the list can show, with the overscan: what the first paint needs. */
  static rowsPerScreen(): number {
    return Math.ceil(window.innerHeight / ROW_HEIGHT) + OVERSCAN;
  }

  get primaryId(): string | undefined {
    return this.primary;
  }

  /**
   * Replaces the displayed rows (newest first); the selection keeps the rows still present. When the user has
   * scrolled away from the top, the row at the top of the view stays there while newer rows arrive above it.
   */
  setRows(rows: EventRow[]): void {
    const scrollTop = this.scroller.scrollTop;
    const topIndex = Math.floor(scrollTop / ROW_HEIGHT);
    const anchorId = scrollTop > 0 ? this.rows[topIndex]?.id : undefined;
    this.rows = rows;
    // Called once per frame with up to 100,000 rows: the id → position map is only built when many lookups need it.
    this.positions = undefined;
    if (this.selected.size > 8) this.positionMap();
    for (const id of [...this.selected]) if (this.positionOf(id) === undefined) this.selected.delete(id);
    this.spacer.style.height = `${rows.length * ROW_HEIGHT}px`;
    const anchorAt = anchorId === undefined ? undefined : this.positionOf(anchorId);
    if (anchorAt !== undefined) this.scroller.scrollTop = anchorAt * ROW_HEIGHT + (scrollTop - topIndex * ROW_HEIGHT);
    if (this.primary !== undefined && this.positionOf(this.primary) === undefined) {
      this.primary = undefined;
      this.anchor = undefined;
      this.callbacks.onSelect(undefined);
    }
    this.queueRender();
  }

  /** The row's index in the shown rows: from the map when it exists, else one linear scan. */
  private positionOf(id: string): number | undefined {
    if (this.positions) return this.positions.get(id);
    const at = this.rows.findIndex((r) => r.id === id);
    return at === -1 ? undefined : at;
  }

  /** Replaces rows in place (forward results arriving); rows not displayed are ignored. */
  update(rows: EventRow[]): void {
    if (rows.length > 8) this.positionMap();
    let changed = false;
    for (const row of rows) {
      const at = this.positionOf(row.id);
      if (at !== undefined) {
        this.rows[at] = row;
        changed = true;
      }
    }
    if (changed) this.queueRender();
  }

  scrollTo(scrollTop: number): void {
    this.scroller.scrollTop = scrollTop;
    this.queueRender();
  }

  focus(): void {
    this.scroller.focus();
  }

  /** Makes `id` the only selection (or clears it), scrolling it into view when asked. */
  select(id: string | undefined, reveal = true): void {
    this.selected.clear();
    if (id !== undefined && this.positionOf(id) !== undefined) this.selected.add(id);
    else id = undefined;
    this.setPrimary(id, reveal);
  }

  private setPrimary(id: string | undefined, reveal: boolean): void {
    this.primary = id;
    this.anchor = id;
    if (id !== undefined && reveal) this.reveal(id);
    this.queueRender();
    this.callbacks.onSelect(id);
  }

  private reveal(id: string): void {
    const at = this.positionOf(id);
    if (at === undefined) return;
    const top = at * ROW_HEIGHT;
    const view = this.scroller.clientHeight;
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (top + ROW_HEIGHT > this.scroller.scrollTop + view) this.scroller.scrollTop = top + ROW_HEIGHT - view;
  }

  private positionMap(): Map<string, number> {
    if (!this.positions) this.positions = new Map(this.rows.map((r, i) => [r.id, i]));
    return this.positions;
  }

  private onClick(e: MouseEvent): void {
    const rowEl = (e.target as HTMLElement).closest<HTMLElement>('.list-row[data-id]');
    const id = rowEl?.dataset.id;
    if (!id) return;
    if (e.shiftKey && this.anchor !== undefined) {
      const positions = this.positionMap();
      const from = positions.get(this.anchor) ?? 0;
      const to = positions.get(id) ?? 0;
      if (!(e.ctrlKey || e.metaKey)) this.selected.clear();
      for (let i = Math.min(from, to); i <= Math.max(from, to); i++) this.selected.add(this.rows[i].id);
      this.primary = id;
      this.queueRender();
      this.callbacks.onSelect(id);
      return;
    }
    if (e.ctrlKey || e.metaKey) {
      if (this.selected.has(id)) {
        this.selected.delete(id);
        const next = this.selectedIds[0];
        this.setPrimary(next, false);
      } else {
        this.selected.add(id);
        this.setPrimary(id, false);
      }
      return;
    }
    this.select(id, false);
  }

  private onKey(e: KeyboardEvent): void {
    if (this.rows.length === 0) return;
    const page = Math.max(1, Math.floor(this.scroller.clientHeight / ROW_HEIGHT) - 1);
    const current = this.primary !== undefined ? this.positionOf(this.primary) ?? -1 : -1;
    const moves: Record<string, number> = {
      ArrowDown: current + 1, ArrowUp: current - 1, PageDown: current + page, PageUp: current - page,
      Home: 0, End: this.rows.length - 1,
    };
    const target = moves[e.key];
    if (target === undefined) return;
    e.preventDefault();
    this.select(this.rows[Math.max(0, Math.min(this.rows.length - 1, target))].id);
  }

  private queueRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.render();
    });
  }

  /** Shows `row` at position `at` in `rowEl`, rebuilding its content only when `fill`. */
  private place(rowEl: HTMLElement, row: EventRow, at: number, fill: boolean): void {
    rowEl.hidden = false;
    rowEl.style.transform = `translateY(${at * ROW_HEIGHT}px)`;
    // The elements are not in list order in the DOM: say where each one is.
    rowEl.setAttribute('aria-posinset', String(at + 1));
    rowEl.setAttribute('aria-setsize', String(this.rows.length));
    if (fill) {
      fillRow(rowEl, row);
      this.drawn.set(rowEl, row);
    }
    markSelection(rowEl, this.selected.has(row.id), row.id === this.primary);
  }

  private render(): void {
    // Never more rows than a window can show, even if a layout ever let the scroller grow to its content.
    const viewHeight = Math.min(this.scroller.clientHeight || window.innerHeight, window.innerHeight);
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((this.scroller.scrollTop + viewHeight) / ROW_HEIGHT) + OVERSCAN);
    const needed = Math.max(0, last - first);
    while (this.pool.length < needed) {
      const rowEl = el('div', { className: 'list-row', attrs: { role: 'option' } });
      this.pool.push(rowEl);
      this.spacer.appendChild(rowEl);
    }
    // Elements keep the row they show when it is still in view (only their position changes); the others are
    // refilled. Rebuilding every visible row each frame of a burst was most of the frame's DOM work.
    const showing = new Map<string, HTMLElement>();
    for (const rowEl of this.pool) if (!rowEl.hidden && rowEl.dataset.id !== undefined) showing.set(rowEl.dataset.id, rowEl);
    const kept = new Set<HTMLElement>();
    const toFill: number[] = [];
    for (let at = first; at < first + needed; at++) {
      const row = this.rows[at];
      const rowEl = showing.get(row.id);
      if (rowEl !== undefined && this.drawn.get(rowEl) === row) {
        kept.add(rowEl);
        this.place(rowEl, row, at, false);
      } else {
        toFill.push(at);
      }
    }
    const free = this.pool.filter((rowEl) => !kept.has(rowEl));
    for (const at of toFill) this.place(free.pop()!, this.rows[at], at, true);
    for (const rowEl of free) {
      rowEl.hidden = true;
      delete rowEl.dataset.id;
      this.drawn.delete(rowEl);
    }
    if (this.primary !== undefined) this.scroller.setAttribute('aria-activedescendant', `row-${this.primary}`);
    else this.scroller.removeAttribute('aria-activedescendant');
  }
}

function markSelection(rowEl: HTMLElement, selected: boolean, primary: boolean): void {
  rowEl.classList.toggle('selected', selected);
  rowEl.classList.toggle('primary', primary);
  rowEl.setAttribute('aria-selected', String(selected));
}

function fillRow(rowEl: HTMLElement, row: EventRow): void {
  rowEl.dataset.id = row.id;
  rowEl.id = `row-${row.id}`;

  const name = row.eventName ?? `${row.method} (not a Penpot event)`;
  const event = el('span', { className: row.eventName ? 'col-event' : 'col-event muted', title: name }, [
    row.simulated ? el('span', { className: 'tag', text: 'sim', title: 'Simulated in VS Code' }) : null,
    el('span', { className: 'event-name', text: name }),
  ]);
  const format = el('span', { className: `col-format fmt-${row.format}` }, [
    el('span', { text: FORMAT_LABELS[row.format] }),
    row.decodeError ? el('span', { className: 'warn', title: 'Could not be decoded' }, [icon('warning')]) : null,
  ]);
  const fwd = row.forward ? statusLabel(row.forward.status, row.forward.error) : undefined;
  const forward = el('span', {
    className: `col-forward ${fwd?.tone ?? 'muted'}`,
    title: row.forward?.error ?? (fwd ? [`Forward answered ${fwd.text}`, fwd.note].filter(Boolean).join('. ') : 'Not forwarded'),
  }, [
    fwd?.tone === 'warn' ? icon('warning') : null,
    el('span', { text: fwd ? `${fwd.text} · ${row.forward!.ms} ms` : '—' }),
  ]);
  rowEl.replaceChildren(
    el('span', { className: 'col-time', text: formatTime(row.receivedAt) }),
    event,
    el('span', { className: 'col-label', text: row.label ?? '', title: row.label ?? '' }),
    checkBadge(row.check, 'col-check'),
    format,
    el('span', { className: 'col-size', text: formatSize(row.size) }),
    forward,
  );
  const label = row.label === undefined ? '' : `, ${row.label}`;
  const check = row.check === undefined ? '' : `, ${CHECK_LABELS[row.check]}`;
  rowEl.setAttribute('aria-label', `${name}${label}${check}, ${FORMAT_LABELS[row.format]}, ${formatTime(row.receivedAt)}`);
}
