// Folds the store's changes into one `changes` message per time slice. A full ring turns every new event into an
// eviction plus an addition; sent one by one, each made the webview redraw (and its count read "999 events" in
// between). Folded, a burst is one message whatever its mix, and what was added and evicted inside the slice is
// never sent at all. Pure (no `vscode`): the panel gives it a scheduler, the tests a manual one.
import type { ReceivedEvent, StoreChange } from '../../receiver';
import { toEventRow, type RowChanges } from './protocol';

/** Runs `flush` once later; returns a way to cancel. */
export type Scheduler = (flush: () => void) => () => void;

export class ChangeBatcher {
  private cleared = false;
  /** Ids the webview has that are gone. */
  private readonly removed = new Set<string>();
  /** New since the last message, in arrival order (Map keeps insertion order). */
  private readonly added = new Map<string, ReceivedEvent>();
  /** Rows the webview has that changed. */
  private readonly updated = new Map<string, ReceivedEvent>();
  private cancel: (() => void) | undefined;
  private held = false;

  constructor(private readonly schedule: Scheduler, private readonly send: (changes: RowChanges) => void) {}

  get pending(): boolean {
    return this.cleared || this.removed.size > 0 || this.added.size > 0 || this.updated.size > 0;
  }

  /** While held (the webview is still receiving its first rows), changes collect and nothing is sent. */
  hold(held: boolean): void {
    this.held = held;
    if (!held && this.pending) this.arm();
  }

  /** Forgets everything collected (the webview is about to get a fresh snapshot). */
  reset(): void {
    this.cleared = false;
    this.removed.clear();
    this.added.clear();
    this.updated.clear();
    this.cancel?.();
    this.cancel = undefined;
  }

  push(change: StoreChange): void {
    switch (change.kind) {
      case 'added':
        for (const id of change.evictedIds) this.drop(id);
        this.added.set(change.event.id, change.event);
        break;
      case 'updated':
        if (this.added.has(change.event.id)) this.added.set(change.event.id, change.event);
        else this.updated.set(change.event.id, change.event);
        break;
      case 'removed':
        for (const id of change.ids) this.drop(id);
        break;
      case 'cleared':
        this.reset();
        this.cleared = true;
        break;
    }
    this.arm();
  }

  /** Sends what has collected now (e.g. before revealing an event that may still sit in the batch). */
  flush(): void {
    this.cancel?.();
    this.cancel = undefined;
    if (this.held || !this.pending) return;
    const changes: RowChanges = {
      removed: [...this.removed],
      added: [...this.added.values()].map(toEventRow),
      updated: [...this.updated.values()].map(toEventRow),
    };
    if (this.cleared) changes.cleared = true;
    this.reset();
    this.send(changes);
  }

  private drop(id: string): void {
    // Added in this slice: the webview never heard of it, so it is simply not sent.
    if (this.added.delete(id)) return;
    this.updated.delete(id);
    this.removed.add(id);
  }

  private arm(): void {
    if (this.held || this.cancel) return;
    this.cancel = this.schedule(() => {
      this.cancel = undefined;
      this.flush();
    });
  }
}
