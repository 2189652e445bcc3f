// The webview's rows and filters, without DOM (unit-tested under Node). Holds up to 100,000 rows: a change costs
// the size of the change (the per-facet counts behind the filter menus are kept up to date as rows come and go);
// only a redraw walks every row, and the view does that at most once per animation frame.
import type { EventRow, RowChanges } from '../../src/extension/viewer/protocol';

/** The event-name menu's key for rows that are not Penpot events. */
export const NO_NAME = '\u0000not-penpot';

/** The status menu's "Does not match": every checked row whose status is not `match`. */
export const NOT_MATCHING = '\u0000not-matching';

/** The menus' filters; '' or absent = any. They combine with each other and with the search. */
export interface RowFilters {
  eventName?: string;
  format?: string;
  check?: string;
}
export type Facet = keyof RowFilters;
export const FACETS: readonly Facet[] = ['eventName', 'format', 'check'];

/** The value a row has for a facet ('' when it has none: a row not yet checked has no `check`). */
export function facetValue(row: EventRow, facet: Facet): string {
  switch (facet) {
    case 'eventName': return row.eventName ?? NO_NAME;
    case 'format': return row.format;
    case 'check': return row.check ?? '';
  }
}

export function rowMatches(row: EventRow, filters: RowFilters, searchMatches: ReadonlySet<string> | undefined): boolean {
  for (const facet of FACETS) {
    const wanted = filters[facet];
    if (!wanted) continue;
    const value = facetValue(row, facet);
    if (wanted === NOT_MATCHING ? value === 'match' || value === '' : value !== wanted) return false;
  }
  return searchMatches === undefined || searchMatches.has(row.id);
}

export function isFiltered(filters: RowFilters, searchMatches: ReadonlySet<string> | undefined): boolean {
  return searchMatches !== undefined || FACETS.some((f) => Boolean(filters[f]));
}

export class RowModel {
  /** Every row by id. */
  private readonly byId = new Map<string, EventRow>();
  /** Rows oldest first; entries no longer in byId (removed, or replaced by an update) are skipped and compacted. */
  private order: EventRow[] = [];
  private stale = 0;
  private readonly counts: Record<Facet, Map<string, number>> = { eventName: new Map(), format: new Map(), check: new Map() };
  /** Rows the host announced in `init` and has not sent yet. */
  private expected = 0;
  /** The set of values of some facet changed (a menu needs new options, not only new counts). */
  facetsChanged = true;

  get size(): number {
    return this.byId.size;
  }

  /** Rows stored in the host: those here plus those still arriving. */
  get total(): number {
    return this.byId.size + this.expected;
  }

  get loading(): boolean {
    return this.expected > 0;
  }

  get(id: string): EventRow | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** How many rows have `value` for `facet` (NOT_MATCHING: checked rows that do not match). */
  count(facet: Facet, value: string): number {
    if (value === NOT_MATCHING) return this.size - this.count('check', 'match') - this.count('check', '');
    return this.counts[facet].get(value) ?? 0;
  }

  /** The values seen for `facet` (with a count above zero). */
  values(facet: Facet): string[] {
    return [...this.counts[facet].keys()];
  }

  /** `init`: replaces everything with the newest rows (oldest first); `total` rows are stored in all. */
  init(rows: readonly EventRow[], total: number): void {
    this.byId.clear();
    this.order = [];
    this.stale = 0;
    for (const facet of FACETS) this.counts[facet].clear();
    this.facetsChanged = true;
    this.append(rows);
    this.expected = Math.max(0, total - this.byId.size);
  }

  /** `initRows`: rows older than every row held, oldest first. */
  prependOlder(rows: readonly EventRow[], done: boolean): void {
    const fresh = rows.filter((row) => !this.byId.has(row.id));
    for (const row of fresh) this.track(row);
    this.order = fresh.concat(this.order);
    this.expected = done ? 0 : Math.max(0, this.expected - rows.length);
  }

  /** `changes`, in the protocol's order. */
  apply(changes: RowChanges): void {
    if (changes.cleared) this.init([], 0);
    for (const id of changes.removed) this.remove(id);
    this.append(changes.added);
    for (const row of changes.updated) if (this.byId.has(row.id)) this.replace(row);
  }

  /** The rows passing the filters and the search, newest first. */
  filtered(filters: RowFilters, searchMatches: ReadonlySet<string> | undefined): EventRow[] {
    this.compact();
    // Unfiltered (a burst's every frame): a native copy, not a loop over 100,000 rows.
    if (!isFiltered(filters, searchMatches)) return this.order.slice().reverse();
    const shown: EventRow[] = [];
    for (let i = this.order.length - 1; i >= 0; i--) {
      const row = this.order[i];
      if (rowMatches(row, filters, searchMatches)) shown.push(row);
    }
    return shown;
  }

  private append(rows: readonly EventRow[]): void {
    for (const row of rows) {
      if (this.byId.has(row.id)) {
        this.replace(row); // the snapshot already had it (a change announced after the snapshot was taken)
        continue;
      }
      this.track(row);
      this.order.push(row);
    }
  }

  private replace(row: EventRow): void {
    const old = this.byId.get(row.id)!;
    this.untrack(old);
    this.track(row);
    // Same seq, same place in `order`.
    const at = this.indexOf(old);
    if (at !== -1) this.order[at] = row;
  }

  private remove(id: string): void {
    const row = this.byId.get(id);
    if (!row) return;
    this.untrack(row);
    this.stale++;
  }

  private track(row: EventRow): void {
    this.byId.set(row.id, row);
    for (const facet of FACETS) {
      const counts = this.counts[facet];
      const value = facetValue(row, facet);
      const before = counts.get(value) ?? 0;
      if (before === 0) this.facetsChanged = true;
      counts.set(value, before + 1);
    }
  }

  private untrack(row: EventRow): void {
    this.byId.delete(row.id);
    for (const facet of FACETS) {
      const counts = this.counts[facet];
      const value = facetValue(row, facet);
      const left = (counts.get(value) ?? 1) - 1;
      if (left <= 0) {
        counts.delete(value);
        this.facetsChanged = true;
      } else {
        counts.set(value, left);
      }
    }
  }

  /** Binary search by seq (order is sorted by seq). */
  private indexOf(row: EventRow): number {
    let lo = 0;
    let hi = this.order.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const seq = this.order[mid].seq;
      if (seq === row.seq) return mid;
      if (seq < row.seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private compact(): void {
    if (this.stale === 0) return;
    // A full ring removes the oldest rows: trim them off the front, and walk the whole list only when rows went
    // from elsewhere (a walk per frame of a burst at 100,000 rows cost more than the rest of the frame).
    let head = 0;
    while (head < this.order.length && this.stale > 0 && this.byId.get(this.order[head].id) !== this.order[head]) {
      head++;
      this.stale--;
    }
    if (head > 0) this.order.splice(0, head);
    if (this.stale === 0) return;
    this.order = this.order.filter((row) => this.byId.get(row.id) === row);
    this.stale = 0;
  }
}
