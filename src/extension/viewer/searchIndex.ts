// The viewer's free-text search over up to 100,000 stored events, kept by the extension host next to the store.
//
// Each event's searchable text (eventText.ts: the decoded payload as compact plain JSON, lower-cased) is computed
// once, when the event arrives or when the viewer first needs it, and kept as UTF-8 in a Buffer: outside the JS
// heap, and searched with Buffer#indexOf (a native byte search). Both sides are lower-cased before encoding, and
// UTF-8 is self-synchronising, so a byte match is a character match. Measured on 2 cores (bench/viewer.ts):
// recomputing the text per search means decoding every payload (seconds at 100k); keeping it as JS strings cost
// about the size of the payloads in heap; the Buffers cost ~100 bytes of heap per event.
//
// Filling the index (decoding) runs in slices of a few milliseconds that yield to the event loop, so the receiver
// keeps answering while a large store is indexed. The store is read only through `lookup`; an event whose text
// cannot be read counts as matching nothing.
import type { ReceivedEvent, StoreChange } from '../../receiver';
import { searchableText } from './eventText';

/** How long one indexing slice may run before it yields. */
const SLICE_MS = 8;

export type EventLookup = (id: string) => ReceivedEvent | undefined;

export class SearchIndex {
  private readonly texts = new Map<string, Buffer>();
  /** Ids waiting to be indexed, oldest first. */
  private queue: string[] = [];
  private queueHead = 0;
  private filling: Promise<void> | undefined;
  private disposed = false;

  constructor(private readonly lookup: EventLookup, private readonly yieldToLoop: () => Promise<void> = defaultYield) {}

  /** Events indexed so far. */
  get size(): number {
    return this.texts.size;
  }

  /** Ids still to index. */
  get backlog(): number {
    return this.queue.length - this.queueHead;
  }

  /** Queues every given id (the store's content when the index starts) and starts filling in the background. */
  seed(ids: Iterable<string>): void {
    for (const id of ids) this.queue.push(id);
    this.startFilling();
  }

  onStoreChange(change: StoreChange | { kind: 'reset' }): void {
    switch (change.kind) {
      case 'added':
        for (const id of change.evictedIds) this.texts.delete(id);
        this.queue.push(change.event.id);
        this.startFilling();
        return;
      case 'removed':
        for (const id of change.ids) this.texts.delete(id);
        return;
      case 'cleared':
      case 'reset':
        this.texts.clear();
        this.queue = [];
        this.queueHead = 0;
        return;
      case 'updated':
        return; // a forward result: the payload did not change
    }
  }

  /**
   * Ids (among `within`, else every indexed event) whose text contains `query`, case-insensitively, in index
   * order; every id for a blank query. Waits for the backlog to be indexed first.
   */
  async search(query: string, within?: readonly string[]): Promise<string[]> {
    await this.ready();
    const needle = Buffer.from(query.trim().toLowerCase(), 'utf8');
    const matches = (text: Buffer | undefined): boolean => text !== undefined && (needle.length === 0 || text.indexOf(needle) !== -1);
    const ids: string[] = [];
    if (within) {
      for (const id of within) if (matches(this.texts.get(id) ?? this.index(id))) ids.push(id);
      return ids;
    }
    for (const [id, text] of this.texts) if (matches(text)) ids.push(id);
    return ids;
  }

  /** Resolves once everything queued so far is indexed. */
  async ready(): Promise<void> {
    while (this.backlog > 0 && !this.disposed) {
      this.startFilling();
      await this.filling;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.texts.clear();
    this.queue = [];
    this.queueHead = 0;
  }

  private startFilling(): void {
    if (this.filling || this.disposed) return;
    this.filling = this.fill().finally(() => { this.filling = undefined; });
  }

  private async fill(): Promise<void> {
    while (this.backlog > 0 && !this.disposed) {
      const until = performance.now() + SLICE_MS;
      while (this.backlog > 0 && performance.now() < until) this.index(this.queue[this.queueHead++]);
      if (this.queueHead > 4096 && this.queueHead * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.queueHead);
        this.queueHead = 0;
      }
      if (this.backlog > 0) await this.yieldToLoop();
    }
    this.queue = [];
    this.queueHead = 0;
  }

  private index(id: string): Buffer | undefined {
    const event = this.lookup(id);
    if (event === undefined) return undefined; // evicted before it was indexed
    let text: Buffer;
    try {
      text = Buffer.from(searchableText(event), 'utf8');
    } catch {
      text = Buffer.alloc(0);
    }
    this.texts.set(id, text);
    return text;
  }
}

function defaultYield(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
