// The receiver's event history: a bounded ring in memory, mirrored to an append-only JSON-lines file.
//
// Compaction without pauses: the file is kept as two generations, `<file>` (current) and `<file>.old`. Once the
// current one holds `capacity` additions, or additions whose bodies sum to `maxBytes`, it holds every live event
// (the ring never keeps more than either), so it becomes `.old` (two renames) and the previous `.old` is deleted off
// the event loop (freeing a file's blocks can take milliseconds): no rewrite on the hot path, and the disk use stays
// within two rings, counted in events and in bytes (bodies are base64 on disk: at most about 2 × 4/3 × maxBytes).
// Opening reads both line by line in fixed-size chunks (no string the size of the file), validates every record
// (ids must be safe integers, so they stay distinct) and rewrites the live events into one file (a crash mid-way
// leaves at worst duplicates, which load as one).
//
// Files are never written through a link: the temporary file is created exclusively (O_EXCL, after removing
// whatever has its name) and the history is opened with O_NOFOLLOW where the platform has it.
//
// One writer per history: `<file>.lock` holds the writer's pid, its start time and the boot id (VS Code windows
// share globalStorage). A store that finds a live writer loads the history read-only and keeps its own events in
// memory (reported once through `onError`); a lock left by a dead process, by an earlier boot, or whose pid now
// belongs to a process started later than the lock's writer, is taken over.
//
// Durability: an event is written with write(2) before the receiver answers it (the receiver batches the
// writes of one event-loop turn into one call, then sends those answers, and only then decodes the bodies for the
// list and the listeners), so an accepted event survives a crash or kill of the process at any point after its
// 2xx. There is no fsync per event: an OS crash or power loss can drop what the kernel had not yet flushed. If
// the file cannot be written (disk full, permissions), the store reports it through `onError` once and keeps
// going in memory only, so the sender still gets its configured answer (Penpot disables a hook after 3 errors,
// §4.1 step 5).
//
// In memory each event is a StoredEvent (event.ts): the list fields, and where its history line is. Lines are
// read back from the files, which stay open for it: the current generation, and `.old` until rotation retires it
// (by then no live event is in it). Renames do not disturb an open file. Compaction (opening, a removal) copies
// the live lines to the new file and moves the events to it. A line not written yet, or every line of a
// memory-only store (no file, read-only, or after a failed write), stays in memory.
import * as fs from 'node:fs';
import { messageOf } from './decode';
import { DecodedCache, HistoryFile, StoredEvent, type LinePlace, type PersistedEvent, type ReceivedRequest } from './event';
import type { ForwardResult, ReceivedEvent } from './types';

export const DEFAULT_STORE_CAPACITY = 1000;
/** The most events a store can be asked to keep (`penpot.receiver.maxEvents`' maximum). */
export const MAX_STORE_CAPACITY = 100_000;
/**
 * Total body bytes kept; the oldest events go first when it is exceeded. 96 MiB keeps the two history generations
 * (base64) within 256 MiB on disk, and the lines of a memory-only store within 128 MiB.
 */
export const DEFAULT_STORE_MAX_BYTES = 96 * 1024 * 1024;
/** Ids are `seq` numbers: beyond this the next one would not be a distinct safe integer. */
const MAX_SEQ = Number.MAX_SAFE_INTEGER - 1;
/** History lines longer than this are not ones the store wrote (a 5 MiB body is about 7 MiB of line): skipped. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;
const READ_CHUNK_BYTES = 1024 * 1024;
/** How much a rewrite gathers per write(2). */
const REWRITE_BATCH_BYTES = 1024 * 1024;
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

const FILE_VERSION = 1;
/** Decoded payloads kept for repeated reads (the viewer's detail, copy, search of a few events). */
const DECODED_CACHE_SIZE = 32;

export interface EventStoreOptions {
  /** Events kept; the oldest is dropped beyond it. Default 1,000. */
  capacity?: number;
  /** Sum of body sizes kept. Default 256 MiB. The newest event is always kept. */
  maxBytes?: number;
  /**
   * JSON-lines history file (mode 0600); absent = memory only. Siblings `<file>.old`, `<file>.lock`,
   * `<file>.tmp` and `<file>.retired` are used too. The directory must exist.
   */
  file?: string;
  /** Persistence and listener failures; the store keeps working in memory. */
  onError?: (error: Error) => void;
}

/** What `add` takes: the store assigns `id` and `seq`. */
export type NewEvent = Omit<ReceivedEvent, 'id' | 'seq'>;

export type StoreChange =
  | { kind: 'added'; event: ReceivedEvent; evictedIds: string[] }
  | { kind: 'updated'; event: ReceivedEvent }
  | { kind: 'removed'; ids: string[] }
  | { kind: 'cleared' };

/** Same shape as `vscode.Disposable`, so the extension can push it into `context.subscriptions`. */
export interface Disposable {
  dispose(): void;
}

type FileRecord =
  | { t: 'meta'; v: number; nextSeq: number }
  | { t: 'add'; e: PersistedEvent } // written by StoredEvent (event.ts), the derived fields being rebuilt on load
  | { t: 'fwd'; id: string; r: ForwardResult }
  | { t: 'del'; ids: string[] }
  | { t: 'clear' };

export class EventStore {
  private readonly events = new Map<number, StoredEvent>(); // by seq; insertion order = seq order
  /**
   * The events oldest first from `orderHead`, for eviction: a Map iterator walks over the deleted entries before
   * the first live one, which made an add to a full ring of 100,000 cost about 16 µs instead of about 10 µs
   * (measured, memory-only). Entries whose event was removed or replaced are skipped when they reach the head.
   */
  private order: StoredEvent[] = [];
  private orderHead = 0;
  private readonly decodedCache = new DecodedCache(DECODED_CACHE_SIZE);
  private readonly capacity: number;
  private readonly maxBytes: number;
  private readonly file: string | undefined;
  private readonly oldFile: string | undefined;
  private readonly onError: (error: Error) => void;
  private readonly changeListeners = new Set<(change: StoreChange) => void>();
  private readonly pendingChanges: StoreChange[] = [];
  /** Records not yet written, in order, each ending with a newline. */
  private readonly pendingLines: Buffer[] = [];
  /** The events whose lines are among `pendingLines`, in the same order. */
  private readonly unwritten: StoredEvent[] = [];
  /** Batched additions waiting for the next flush, with what to do once written (undefined: done already). */
  private readonly pendingAdds: { event: StoredEvent; evictedIds: string[]; afterWrite: ((event: ReceivedEvent) => void) | undefined }[] = [];
  private flushScheduled = false;
  private nextSeq = 1;
  private bytes = 0;
  /** The generation appended to (`<file>`); undefined while memory-only (no file, read-only, a failed write). */
  private current: HistoryFile | undefined;
  /** Where the next write to `current` lands. */
  private appendOffset = 0;
  /** `<file>.old` while open, i.e. until rotation retires it. */
  private previous: HistoryFile | undefined;
  /** Every history file open for reading events back: `current`, `previous`, or (read-only) the ones loaded. */
  private readonly openFiles = new Set<HistoryFile>();
  private addsInCurrentFile = 0;
  private bodyBytesInCurrentFile = 0;
  private lockFile: string | undefined;
  private closed = false;

  /**
   * Opens a store. With `options.file`, loads `<file>.old` and `<file>`, skipping torn or corrupt lines (e.g. from
   * a crash mid-write), and rewrites the live events into `<file>`. Throws when the history exists but cannot be
   * read or rewritten.
   */
  static open(options: EventStoreOptions = {}): EventStore {
    return new EventStore(options);
  }

  private constructor(options: EventStoreOptions) {
    this.capacity = positiveInteger(options.capacity ?? DEFAULT_STORE_CAPACITY, 'capacity');
    this.maxBytes = positiveInteger(options.maxBytes ?? DEFAULT_STORE_MAX_BYTES, 'maxBytes');
    if (options.file === '') throw new Error('The event history file name is empty.');
    this.file = options.file;
    this.oldFile = options.file === undefined ? undefined : `${options.file}.old`;
    this.onError = options.onError ?? (() => undefined);
    if (this.file !== undefined && this.oldFile !== undefined) {
      const owner = this.lock(this.file);
      try {
        this.load(this.oldFile);
        this.load(this.file);
        if (owner === undefined) this.rewrite(true);
      } catch (error) {
        this.releaseFiles();
        throw error;
      }
      if (owner !== undefined) {
        this.onError(new Error(`The event history ${this.file} is being written by another process (pid ${owner}), `
          + 'probably another VS Code window: it is shown as it was, and new events here are kept in memory only.'));
      }
    }
  }

  /** Events kept, oldest first. */
  list(): ReceivedEvent[] {
    return [...this.events.values()];
  }

  get(id: string): ReceivedEvent | undefined {
    return this.events.get(seqOf(id));
  }

  get size(): number {
    return this.events.size;
  }

  /** The `seq` of the newest event ever added (0 before the first); keeps growing across clears and restarts. */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** True while events are written to the history file. */
  get persistent(): boolean {
    return this.current !== undefined;
  }

  /**
   * Stores an event made from `draft` (its derived fields as given; `decoded` is not kept but rebuilt from the
   * bytes when read). Without `afterWrite`, the event is written before `add` returns. With it, the write is
   * batched with the other additions of this event-loop turn and `afterWrite` runs right after that write (at
   * once for a memory-only store). Listeners hear of the event after either.
   */
  add(draft: NewEvent, afterWrite?: (event: ReceivedEvent) => void): ReceivedEvent {
    this.assertOpen();
    this.assertSeqLeft();
    return this.accept(StoredEvent.fromDraft(this.nextSeq++, draft, this.decodedCache), afterWrite);
  }

  /**
   * The receiver's way in: stores `request` like `add` with `afterWrite` (the answer), which runs before the body
   * is decoded. Format, summary and decodeError are derived after the answers of this event-loop turn (a request
   * arriving in the same turn is not kept waiting by the decoding of the one before), then listeners hear of it;
   * without listeners, when first read.
   */
  addReceived(request: ReceivedRequest, afterWrite: (event: ReceivedEvent) => void): ReceivedEvent {
    this.assertOpen();
    this.assertSeqLeft();
    return this.accept(StoredEvent.received(this.nextSeq++, request, this.decodedCache), afterWrite);
  }

  private accept(event: StoredEvent, afterWrite: ((event: ReceivedEvent) => void) | undefined): ReceivedEvent {
    const evictedIds = this.insert(event, false);
    const persisting = this.current !== undefined;
    if (persisting) {
      this.pendingLines.push(event.line);
      this.unwritten.push(event);
      this.addsInCurrentFile++;
      this.bodyBytesInCurrentFile += event.size;
    }
    if (afterWrite === undefined) {
      if (this.pendingLines.length > 0 || this.pendingAdds.length > 0) this.flush();
      event.ensureDerived();
      this.emit({ kind: 'added', event, evictedIds });
      return event;
    }
    if (!persisting) this.runSafely(afterWrite, event); // nothing to wait for
    this.pendingAdds.push({ event, evictedIds, afterWrite: persisting ? afterWrite : undefined });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return event;
  }

  /** Records the latest forward attempt on an event; undefined when the event is gone (evicted, cleared). */
  recordForward(id: string, result: ForwardResult): ReceivedEvent | undefined {
    this.assertOpen();
    const event = this.events.get(seqOf(id));
    if (event === undefined) return undefined;
    event.forward = result;
    this.write({ t: 'fwd', id, r: result });
    this.emit({ kind: 'updated', event });
    return event;
  }

  /** Removes the given events; returns the ids that were there. */
  remove(ids: string[]): string[] {
    this.assertOpen();
    const removed = ids.filter((id) => this.deleteEvent(id));
    if (removed.length > 0) {
      this.order = [...this.events.values()]; // drops the removed ones now (a memory-only store's hold their bytes)
      this.orderHead = 0;
      this.forget({ t: 'del', ids: removed });
      this.emit({ kind: 'removed', ids: removed });
    }
    return removed;
  }

  clear(): void {
    this.assertOpen();
    this.forgetAll();
    this.decodedCache.clear();
    this.bytes = 0;
    this.forget({ t: 'clear' });
    this.emit({ kind: 'cleared' });
  }

  /** Every change, delivered after the call that made it returns (never inside the request path). */
  onDidChange(listener: (change: StoreChange) => void): Disposable {
    this.changeListeners.add(listener);
    return { dispose: () => { this.changeListeners.delete(listener); } };
  }

  /** Only newly added events. */
  onEvent(listener: (event: ReceivedEvent) => void): Disposable {
    return this.onDidChange((change) => {
      if (change.kind === 'added') listener(change.event);
    });
  }

  /** Writes what is pending and closes the history file; the store is unusable afterwards. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.releaseFiles();
    this.changeListeners.clear();
    this.decodedCache.clear();
  }

  /** Takes `<file>.lock`; returns the pid of a live process that holds it instead, or undefined once it is ours. */
  private lock(file: string): number | undefined {
    const lockFile = `${file}.lock`;
    for (;;) {
      try {
        fs.writeFileSync(lockFile, JSON.stringify(ownLockRecord()), { flag: 'wx', mode: 0o600 });
        this.lockFile = lockFile;
        return undefined;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new Error(`Cannot write the event history ${file}: ${messageOf(error)}`, { cause: error });
        }
      }
      const owner = liveLockOwner(lockFile);
      if (owner !== undefined) return owner;
      fs.rmSync(lockFile, { force: true }); // left by a process that is gone (or torn, or a reused pid): take it over
    }
  }

  /** `loading`: the id may be there already (a duplicate from a half-finished rewrite); a new event's id is not. */
  private insert(event: StoredEvent, loading: boolean): string[] {
    if (loading) this.deleteBySeq(event.seq);
    this.events.set(event.seq, event);
    this.order.push(event);
    this.bytes += event.size;
    const evicted: string[] = [];
    while (this.events.size > this.capacity || (this.bytes > this.maxBytes && this.events.size > 1)) {
      const oldest = this.oldest() as StoredEvent; // there are events: the loop condition says so
      this.deleteBySeq(oldest.seq);
      evicted.push(oldest.id);
    }
    if (this.orderHead > 1024 && this.orderHead * 2 > this.order.length) {
      this.order = this.order.slice(this.orderHead);
      this.orderHead = 0;
    }
    return evicted;
  }

  /** The oldest event kept, found from the head of `order`. */
  private oldest(): StoredEvent | undefined {
    while (this.orderHead < this.order.length) {
      const event = this.order[this.orderHead];
      if (this.events.get(event.seq) === event) return event;
      this.orderHead++;
    }
    return undefined;
  }

  private forgetAll(): void {
    this.events.clear();
    this.order = [];
    this.orderHead = 0;
    this.bytes = 0;
  }

  private deleteEvent(id: string): boolean {
    return this.deleteBySeq(seqOf(id));
  }

  private deleteBySeq(seq: number): boolean {
    const event = this.events.get(seq);
    if (event === undefined) return false;
    this.events.delete(event.seq);
    this.decodedCache.forget(event);
    this.bytes -= event.size;
    return true;
  }

  private write(record: FileRecord): void {
    if (this.current === undefined) return;
    this.pendingLines.push(recordLine(record));
    this.flush();
  }

  /**
   * A removal asked for by a person: recorded, then the history is rewritten so that the removed payloads leave
   * the disk now rather than at the next rotation.
   */
  private forget(record: FileRecord): void {
    if (this.current === undefined) return;
    this.write(record);
    this.rewrite(false);
  }

  /**
   * One write(2) for everything pending, then the batched additions' callbacks (the answers), then their list fields
   * are derived from the bodies and listeners notified. With no listener (a receiver nobody watches) nothing needs
   * the list fields yet: they are derived when first read, from the bytes in the history.
   */
  private flush(): void {
    this.flushScheduled = false;
    if (this.pendingLines.length > 0 && this.current !== undefined) {
      try {
        const written = writeAll(this.current.fd, this.pendingLines);
        this.placeWritten(this.current, this.appendOffset, this.pendingLines, this.unwritten);
        this.appendOffset += written;
      } catch (error) {
        this.dropPersistence(error); // the events not written keep their lines in memory
      }
    }
    this.pendingLines.length = 0;
    this.unwritten.length = 0;
    if (this.pendingAdds.length > 0) {
      const added = this.pendingAdds.splice(0);
      for (const { event, afterWrite } of added) if (afterWrite !== undefined) this.runSafely(afterWrite, event);
      // The check waits until a listener reads it (`listen` never does); emit below queues the delivery that ends
      // the hold on the decoded body, listeners being there.
      if (this.changeListeners.size > 0) for (const { event } of added) event.ensureDerived(true);
      else for (const { event } of added) event.releaseReceived();
      for (const { event, evictedIds } of added) this.emit({ kind: 'added', event, evictedIds });
    }
    if (this.addsInCurrentFile >= this.capacity || this.bodyBytesInCurrentFile >= this.maxBytes) this.rotate();
  }

  /**
   * The current file now holds every live event: it becomes the old one, and the old one goes. A rename over
   * `.old` would free its blocks inside the call (milliseconds on some disks, with requests waiting), so `.old`
   * is first renamed aside and deleted on libuv's thread pool; opening deletes one left behind by a crash.
   */
  private rotate(): void {
    if (this.current === undefined || this.file === undefined || this.oldFile === undefined) return;
    const retired = retiredFile(this.file);
    try {
      let retiring = true;
      try {
        fs.renameSync(this.oldFile, retired);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        retiring = false; // no `.old` yet (first rotation since opening)
      }
      // No live event is in `.old` any more (the current file holds every one, see the top of this file); the
      // check keeps a mistake in that reasoning from closing a file an event still reads from.
      const oldest = this.oldest();
      if (this.previous !== undefined && oldest?.file !== this.previous) this.closeFile(this.previous);
      // The current file stays open: its events are read from it as `.old`.
      fs.renameSync(this.file, this.oldFile);
      this.previous = this.current;
      this.current = this.track(openForAppend(this.file));
      this.appendOffset = fs.fstatSync(this.current.fd).size;
      this.addsInCurrentFile = 0;
      this.bodyBytesInCurrentFile = 0;
      if (retiring) fs.unlink(retired, () => undefined); // a failure leaves it for the next opening to delete
    } catch (error) {
      this.dropPersistence(error);
    }
  }

  /**
   * Writes the live events to `<file>` through a temporary file and a rename, then drops `<file>.old`. On failure,
   * throws when `failHard` (opening), else turns persistence off.
   */
  private rewrite(failHard: boolean): void {
    if (this.file === undefined || this.oldFile === undefined) return;
    const temp = `${this.file}.tmp`;
    let written: HistoryFile | undefined;
    let moved = false;
    try {
      const fd = createExclusive(temp);
      written = this.track(fd);
      let offset = 0;
      const batch: Buffer[] = [];
      let batchBytes = 0;
      // Written in batches: the lines of events already on disk are read back one by one (a ring of 100,000 is
      // about 150 MB), so holding them all would double the memory this design saves.
      const writeBatch = (): void => {
        offset += writeAll(fd, batch);
        batch.length = 0;
        batchBytes = 0;
      };
      const push = (line: Buffer): void => {
        batch.push(line);
        batchBytes += line.length;
      };
      const places: number[] = [];
      push(recordLine({ t: 'meta', v: FILE_VERSION, nextSeq: this.nextSeq }));
      for (const event of this.events.values()) {
        const line = event.line;
        places.push(offset + batchBytes);
        push(line);
        if (event.forward !== undefined) push(recordLine({ t: 'fwd', id: event.id, r: event.forward }));
        if (batchBytes >= REWRITE_BATCH_BYTES) writeBatch();
      }
      writeBatch();
      // Every line is in the new file now: the events read from it, and the old files can go.
      let index = 0;
      for (const event of this.events.values()) event.writtenAt(written, places[index++]);
      moved = true;
      for (const file of [...this.openFiles]) if (file !== written) this.closeFile(file); // Windows cannot rename over an open file
      this.current = undefined;
      this.previous = undefined;
      fs.renameSync(temp, this.file);
      fs.rmSync(this.oldFile, { force: true });
      fs.rmSync(retiredFile(this.file), { force: true });
      this.current = written;
      this.appendOffset = offset;
      this.addsInCurrentFile = this.events.size;
      this.bodyBytesInCurrentFile = this.bytes;
    } catch (error) {
      if (written !== undefined && !moved) {
        this.closeFile(written); // the events still read from the files they were in
        fs.rmSync(temp, { force: true });
      }
      if (failHard) throw new Error(`Cannot write the event history ${this.file}: ${messageOf(error)}`, { cause: error });
      this.dropPersistence(error);
    }
  }

  /** Tells the events whose lines were just written at `offset` (in `lines`, among other records) where they are. */
  private placeWritten(file: HistoryFile, offset: number, lines: Buffer[], events: StoredEvent[]): void {
    let next = 0;
    for (const line of lines) {
      if (next < events.length && events[next].line === line) events[next++].writtenAt(file, offset);
      offset += line.length;
    }
  }

  private track(fd: number): HistoryFile {
    const file = new HistoryFile(fd);
    this.openFiles.add(file);
    return file;
  }

  private closeFile(file: HistoryFile): void {
    this.openFiles.delete(file);
    try { file.close(); } catch { /* nothing left to do with it */ }
  }

  /** Closes every history file and drops the lock: the store is closed, or failed to open. */
  private releaseFiles(): void {
    for (const file of [...this.openFiles]) this.closeFile(file);
    this.current = undefined;
    this.previous = undefined;
    if (this.lockFile !== undefined) fs.rmSync(this.lockFile, { force: true });
    this.lockFile = undefined;
  }

  private load(file: string): void {
    try {
      const opened = this.track(openForReading(file));
      forEachLine(opened, (place) => this.loadRecord(place));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code === 'ELOOP') throw new Error(`The event history ${file} is a symbolic link; it is not followed. Remove it.`, { cause: error });
      throw new Error(`Cannot read the event history ${file}: ${messageOf(error)}`, { cause: error });
    }
  }

  private loadRecord(place: LinePlace): void {
    const record = parseRecord(place.line);
    if (record === undefined) return;
    switch (record.t) {
      case 'meta': if (isValidSeq(record.nextSeq)) this.nextSeq = Math.max(this.nextSeq, record.nextSeq); break;
      case 'add': {
        const event = StoredEvent.fromRecord(record.e, this.decodedCache, place);
        if (event === undefined || !isValidSeq(event.seq)) break;
        this.nextSeq = Math.max(this.nextSeq, event.seq + 1);
        this.insert(event, true);
        break;
      }
      case 'fwd': {
        const event = this.events.get(seqOf(record.id));
        if (event !== undefined) event.forward = record.r;
        break;
      }
      case 'del': if (Array.isArray(record.ids)) for (const id of record.ids) if (typeof id === 'string') this.deleteEvent(id); break;
      case 'clear': this.forgetAll(); break;
    }
  }

  /** No more writes; the files stay open for the events already in them. */
  private dropPersistence(error: unknown): void {
    this.current = undefined;
    this.onError(new Error(`The event history ${this.file} can no longer be written (${messageOf(error)}); new events are kept in memory only.`));
  }

  private emit(change: StoreChange): void {
    if (this.changeListeners.size === 0) return;
    if (this.pendingChanges.push(change) === 1) queueMicrotask(() => this.deliver());
  }

  private deliver(): void {
    const changes = this.pendingChanges.splice(0);
    for (const change of changes) {
      for (const listener of [...this.changeListeners]) this.runSafely(listener, change);
      if (change.kind === 'added' && change.event instanceof StoredEvent) change.event.releaseHeldDecode();
    }
  }

  private runSafely<T>(callback: (value: T) => void, value: T): void {
    try {
      callback(value);
    } catch (error) {
      this.onError(new Error(`An event-store listener failed: ${messageOf(error)}`));
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The event store is closed.');
  }

  /** Never reached in practice (2^53 events); refusing keeps every id distinct. */
  private assertSeqLeft(): void {
    if (this.nextSeq > MAX_SEQ) throw new Error('The event store has used up its ids; clear the history file.');
  }
}

/** One record as a history line. */
function recordLine(record: FileRecord): Buffer {
  return Buffer.from(JSON.stringify(record) + '\n', 'utf8');
}

/** Writes every buffer, in order, with as few write(2) calls as the kernel allows (writev); returns the bytes. */
function writeAll(fd: number, buffers: Buffer[]): number {
  let total = 0;
  for (const buffer of buffers) total += buffer.length;
  if (total === 0) return 0;
  const written = fs.writevSync(fd, buffers);
  if (written < total) {
    const rest = Buffer.concat(buffers).subarray(written);
    for (let offset = 0; offset < rest.length;) offset += fs.writeSync(fd, rest, offset);
  }
  return total;
}

/** The seq an event id names, or NaN when `id` is not one this store gave out. */
function seqOf(id: string): number {
  const seq = Number(id);
  return Number.isSafeInteger(seq) && String(seq) === id ? seq : Number.NaN;
}

/** Where `rotate` moves `<file>.old` before deleting it. */
function retiredFile(file: string): string {
  return `${file}.retired`;
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** What a lock says about its writer. `start` and `boot` exist where the OS tells them (Linux). */
interface LockRecord {
  pid: number;
  /** The process's start time in clock ticks since boot (`/proc/<pid>/stat`, field 22). */
  start?: string;
  /** `/proc/sys/kernel/random/boot_id`: a pid from another boot is never ours. */
  boot?: string;
}

function ownLockRecord(): LockRecord {
  const record: LockRecord = { pid: process.pid };
  const start = processStartTime(process.pid);
  const boot = bootId();
  if (start !== undefined) record.start = start;
  if (boot !== undefined) record.boot = boot;
  return record;
}

/**
 * The pid of the live process that holds `lockFile`, or undefined when the lock is stale: its pid is gone, it was
 * written in an earlier boot, or the pid now belongs to a process that started at another time than the writer (a
 * reused pid). A lock from an older version holds only the pid: then a process started after the lock was written
 * cannot be its writer either.
 */
function liveLockOwner(lockFile: string): number | undefined {
  const text = readOrEmpty(lockFile).trim();
  let record: LockRecord | undefined;
  if (/^\d+$/.test(text)) {
    record = { pid: Number(text) };
  } else {
    try {
      const parsed = JSON.parse(text) as Partial<LockRecord> | null;
      if (parsed !== null && typeof parsed === 'object' && typeof parsed.pid === 'number') record = parsed as LockRecord;
    } catch {
      record = undefined; // torn
    }
  }
  if (record === undefined || !Number.isSafeInteger(record.pid) || record.pid <= 0) return undefined;
  if (!processIsAlive(record.pid)) return undefined;
  const boot = bootId();
  if (typeof record.boot === 'string' && boot !== undefined && record.boot !== boot) return undefined;
  const start = processStartTime(record.pid);
  if (typeof record.start === 'string' && start !== undefined) return record.start === start ? record.pid : undefined;
  if (record.start === undefined && start !== undefined) {
    const startedAt = processStartedAtMs(start);
    const lockedAt = mtimeMs(lockFile);
    if (startedAt !== undefined && lockedAt !== undefined && startedAt > lockedAt + 1000) return undefined;
  }
  return record.pid;
}

function processStartTime(pid: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  const stat = readOrEmpty(`/proc/${pid}/stat`);
  // The command name (field 2) is in parentheses and may contain spaces: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = fields[19]; // field 22 overall
  return start !== undefined && /^\d+$/.test(start) ? start : undefined;
}

/** Wall-clock start of a process from its start ticks (Linux's USER_HZ is 100) and the boot time in /proc/stat. */
function processStartedAtMs(startTicks: string): number | undefined {
  const btime = /^btime (\d+)$/m.exec(readOrEmpty('/proc/stat'))?.[1];
  return btime === undefined ? undefined : Number(btime) * 1000 + Number(startTicks) * 10;
}

function bootId(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  return readOrEmpty('/proc/sys/kernel/random/boot_id').trim() || undefined;
}

function mtimeMs(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: existence check only
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/**
 * Calls `onLine` with each line of `file` and where it starts, read in fixed-size chunks: a history of any size
 * reopens without a string or buffer the size of the file. Lines over MAX_LINE_BYTES are skipped.
 */
function forEachLine(file: HistoryFile, onLine: (place: LinePlace) => void): void {
  const fd = file.fd;
  const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  let partial: Buffer[] = [];
  let partialBytes = 0;
  let skipping = false;
  let chunkOffset = 0; // of `chunk` in the file
  let lineOffset = 0; // of the line being read
  for (;;) {
    const read = fs.readSync(fd, chunk, 0, chunk.length, chunkOffset);
    if (read === 0) break;
    let start = 0;
    for (let newline = chunk.indexOf(10, 0); newline !== -1 && newline < read; newline = chunk.indexOf(10, start)) {
      if (!skipping) {
        const piece = chunk.subarray(start, newline);
        const line = partialBytes === 0 ? piece : Buffer.concat([...partial, piece]);
        onLine({ file, offset: lineOffset, line, terminated: true });
      }
      partial = [];
      partialBytes = 0;
      skipping = false;
      start = newline + 1;
      lineOffset = chunkOffset + start;
    }
    if (start < read && !skipping) {
      partialBytes += read - start;
      if (partialBytes > MAX_LINE_BYTES) {
        skipping = true;
        partial = [];
        partialBytes = 0;
      } else {
        partial.push(Buffer.from(chunk.subarray(start, read))); // copied: `chunk` is reused
      }
    }
    chunkOffset += read;
  }
  if (partialBytes > 0 && !skipping) onLine({ file, offset: lineOffset, line: Buffer.concat(partial), terminated: false });
}

/** Opens a history file for reading its lines back, refusing a symbolic link in its place. */
function openForReading(file: string): number {
  return fs.openSync(file, fs.constants.O_RDONLY | O_NOFOLLOW);
}

/** Opens the history for appending (and reading lines back), refusing a symbolic link in its place. */
function openForAppend(file: string): number {
  return fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_APPEND | fs.constants.O_CREAT | O_NOFOLLOW, 0o600);
}

/** Creates `file` for appending: whatever had its name (a planted link) is removed, not followed. */
function createExclusive(file: string): number {
  fs.rmSync(file, { force: true }); // removes a link itself, never its target
  return fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_EXCL | O_NOFOLLOW, 0o600);
}

function isValidSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= MAX_SEQ;
}

function parseRecord(bytes: Buffer): FileRecord | undefined {
  if (bytes.length === 0) return undefined;
  try {
    const record = JSON.parse(bytes.toString('utf8')) as FileRecord;
    return record !== null && typeof record === 'object' && typeof record.t === 'string' ? record : undefined;
  } catch {
    return undefined; // a line torn by a crash mid-write
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`Event store ${name} must be a positive integer, got ${value}.`);
  return value;
}
