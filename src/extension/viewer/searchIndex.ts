// The viewer's free-text search over up to 100,000 stored events, kept by the extension host next to the store.
//
// Each event's searchable text (eventText.ts: the decoded payload as compact plain JSON, lower-cased) is computed
// once, when the event arrives or when the viewer first needs it, and appended as UTF-8 to a segment: a large
// Buffer outside the JS heap holding many events' texts back to back. Per event the JS heap holds two numbers (its
// seq and where its text ends), not an object: a Map of one Buffer per event cost ~150 bytes of heap each (15 MiB
// at 100k) and a search was 100,000 native calls. Now a search is one Buffer#indexOf scan per segment, a hit
// mapped to its event by binary search. Both sides are lower-cased before encoding, and UTF-8 is self-synchronising,
// so a byte match is a character match; a hit that runs past the end of its event's text is no hit.
//
// Events are indexed in seq order (the store's order), so a segment's seqs ascend and a ring's evictions (always
// the oldest) empty the oldest segment, which is then dropped whole: no compaction. An event removed from the
// middle is only marked; its bytes go with its segment.
//
// Filling the index (decoding) runs in slices of a few milliseconds that yield to the event loop, so the receiver
// keeps answering while a large store is indexed. A large body is never decoded in a slice: its text is made in a
// decode worker (searchableTextAsync) while the loop goes on. The store is read only through `lookup`; an event
// whose text cannot be read counts as matching nothing.
import type { ReceivedEvent, StoreChange } from '../../receiver';
import { decodesOffLoop, searchableText, searchableTextAsync } from './eventText';

/** How long one indexing slice may run before it yields. */
const SLICE_MS = 8;
/** Text one search scans before it yields: 4 segments, a few milliseconds at the GB/s Buffer#indexOf reaches. */
const SCAN_BYTES_PER_SLICE = 16 * 1024 * 1024;
/** Bytes per segment: large enough for few scans, small enough that a dead segment is soon freed. */
const SEGMENT_BYTES = 4 * 1024 * 1024;

export type EventLookup = (id: string) => ReceivedEvent | undefined;

class Segment {
  used = 0;
  /** Seqs of the events in this segment, ascending; negated once removed. */
  readonly seqs: number[] = [];
  /** Where each event's text ends (its start is the previous end). */
  readonly ends: number[] = [];
  live = 0;

  constructor(readonly bytes: Buffer) {}

  get lastSeq(): number {
    return Math.abs(this.seqs[this.seqs.length - 1]);
  }

  /** Index of `seq` in this segment, or -1. */
  find(seq: number): number {
    let lo = 0;
    let hi = this.seqs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = Math.abs(this.seqs[mid]);
      if (at === seq) return mid;
      if (at < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The entry whose text holds byte `pos`. */
  entryAt(pos: number): number {
    let lo = 0;
    let hi = this.ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid] <= pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  start(entry: number): number {
    return entry === 0 ? 0 : this.ends[entry - 1];
  }

  /** Seqs of the live entries whose text contains `needle`, ascending. */
  scan(needle: Buffer, into: number[]): void {
    if (this.live === 0) return;
    const text = this.bytes.subarray(0, this.used);
    if (needle.length === 0) {
      for (const seq of this.seqs) if (seq >= 0) into.push(seq);
      return;
    }
    let pos = text.indexOf(needle);
    while (pos !== -1) {
      const entry = this.entryAt(pos);
      const end = this.ends[entry];
      if (pos + needle.length <= end && this.seqs[entry] >= 0) into.push(this.seqs[entry]);
      if (end >= this.used) return;
      pos = text.indexOf(needle, end); // one hit per event: go on from the next one
    }
  }

  contains(entry: number, needle: Buffer): boolean {
    return this.seqs[entry] >= 0 && this.bytes.subarray(this.start(entry), this.ends[entry]).indexOf(needle) !== -1;
  }
}

export class SearchIndex {
  /** Oldest first; every seq in one is above every seq in the ones before. */
  private segments: Segment[] = [];
  private indexed = 0;
  /** Seqs waiting to be indexed, ascending. */
  private queue: number[] = [];
  private queueHead = 0;
  private filling: Promise<void> | undefined;
  private disposed = false;
  /** Until `seed`, additions are not queued: the seed (the store's content then) holds them, in order. */
  private seeded = false;
  /** Counts clears and resets: a text made in a worker across one is for an event that may no longer be meant. */
  private clears = 0;

  constructor(private readonly lookup: EventLookup, private readonly yieldToLoop: () => Promise<void> = defaultYield) {}

  /** Events indexed so far (and not removed). */
  get size(): number {
    return this.indexed;
  }

  /** Bytes of text held (outside the JS heap), dead events' included until their segment goes. */
  get bytes(): number {
    return this.segments.reduce((sum, segment) => sum + segment.bytes.length, 0);
  }

  /** Ids still to index. */
  get backlog(): number {
    return this.queue.length - this.queueHead;
  }

  /** Queues every given id (the store's content when the index starts) and starts filling in the background. */
  seed(ids: Iterable<string>): void {
    this.seeded = true;
    const seeded = [...ids].map(Number).filter((seq) => Number.isSafeInteger(seq) && seq > this.lastSeq);
    // The store's content includes what arrived before: keep one ascending queue.
    const rest = this.queue.slice(this.queueHead).filter((seq) => seq > (seeded[seeded.length - 1] ?? -1));
    this.queue = seeded.concat(rest);
    this.queueHead = 0;
    this.startFilling();
  }

  onStoreChange(change: StoreChange | { kind: 'reset' }): void {
    switch (change.kind) {
      case 'added':
        for (const id of change.evictedIds) this.forget(id);
        if (!this.seeded) return;
        if (change.event.seq > this.lastQueued) this.queue.push(change.event.seq);
        this.startFilling();
        return;
      case 'removed':
        for (const id of change.ids) this.forget(id);
        return;
      case 'cleared':
      case 'reset':
        if (change.kind === 'reset') this.seeded = false; // another store: seeded again from its content
        this.clears++;
        this.segments = [];
        this.indexed = 0;
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
    if (within) {
      return within.filter((id) => {
        const found = this.locate(Number(id));
        return found !== undefined && (needle.length === 0 || found.segment.contains(found.entry, needle));
      });
    }
    // A scan of 100,000 events' text takes tens of milliseconds: it yields between segments now and then, so the
    // receiver keeps answering while the user types. An event evicted meanwhile is left out at the end.
    const seqs: number[] = [];
    let yielded = false;
    let scanned = 0;
    for (const segment of this.segments.slice()) {
      segment.scan(needle, seqs);
      scanned += segment.used;
      if (scanned >= SCAN_BYTES_PER_SLICE) {
        await this.yieldToLoop();
        yielded = true;
        scanned = 0;
      }
    }
    return (yielded ? seqs.filter((seq) => this.locate(seq) !== undefined) : seqs).map(String);
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
    this.segments = [];
    this.indexed = 0;
    this.queue = [];
    this.queueHead = 0;
  }

  private get lastSeq(): number {
    return this.segments.length === 0 ? -1 : this.segments[this.segments.length - 1].lastSeq;
  }

  private get lastQueued(): number {
    return this.backlog > 0 ? this.queue[this.queue.length - 1] : this.lastSeq;
  }

  private locate(seq: number): { segment: Segment; entry: number } | undefined {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const segment = this.segments[mid];
      if (segment.lastSeq < seq) lo = mid + 1;
      else if (Math.abs(segment.seqs[0]) > seq) hi = mid - 1;
      else {
        const entry = segment.find(seq);
        return entry === -1 || segment.seqs[entry] < 0 ? undefined : { segment, entry };
      }
    }
    return undefined;
  }

  private forget(id: string): void {
    const found = this.locate(Number(id));
    if (!found) return;
    const { segment, entry } = found;
    segment.seqs[entry] = -segment.seqs[entry];
    segment.live--;
    this.indexed--;
    // An empty segment that is no longer written to goes (with a ring, the oldest, once all its events are evicted).
    if (segment.live === 0 && segment !== this.segments[this.segments.length - 1]) this.segments = this.segments.filter((s) => s !== segment);
  }

  private startFilling(): void {
    if (this.filling || this.disposed) return;
    this.filling = this.fill().finally(() => {
      this.filling = undefined;
      // Queued after the last slice ended but before this ran: nobody else would start on them.
      if (this.backlog > 0) this.startFilling();
    });
  }

  private async fill(): Promise<void> {
    while (this.backlog > 0 && !this.disposed) {
      const until = performance.now() + SLICE_MS;
      while (this.backlog > 0 && performance.now() < until) {
        const seq = this.queue[this.queueHead++];
        const event = seq <= this.lastSeq ? undefined : this.lookup(String(seq)); // undefined: indexed, or evicted
        if (event === undefined) continue;
        if (!decodesOffLoop(event)) {
          this.append(seq, textOf(event));
          continue;
        }
        const clearsBefore = this.clears;
        const text = await searchableTextAsync(event).catch(() => '');
        // Meanwhile the store may have been cleared or the event removed: index it only if it is still there.
        if (!this.disposed && this.clears === clearsBefore && seq > this.lastSeq && this.lookup(String(seq)) !== undefined) {
          this.append(seq, text);
        }
        break; // the wait was a yield already; a fresh slice starts
      }
      if (this.queueHead > 4096 && this.queueHead * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.queueHead);
        this.queueHead = 0;
      }
      if (this.backlog > 0) await this.yieldToLoop();
    }
    this.queue = [];
    this.queueHead = 0;
  }

  private append(seq: number, text: string): void {
    const length = Buffer.byteLength(text, 'utf8');
    let segment = this.segments[this.segments.length - 1];
    if (segment === undefined || segment.used + length > segment.bytes.length) {
      if (segment !== undefined && segment.live === 0) this.segments.pop(); // emptied while it was written to
      segment = new Segment(Buffer.allocUnsafeSlow(Math.max(SEGMENT_BYTES, length)));
      this.segments.push(segment);
    }
    segment.used += segment.bytes.write(text, segment.used, 'utf8');
    segment.seqs.push(seq);
    segment.ends.push(segment.used);
    segment.live++;
    this.indexed++;
  }
}

function textOf(event: ReceivedEvent): string {
  try {
    return searchableText(event);
  } catch {
    return '';
  }
}

function defaultYield(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
