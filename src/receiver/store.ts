// The receiver's event history: a bounded ring in memory, mirrored to an append-only JSON-lines file.
//
// Compaction without pauses: the file is kept as two generations, `<file>` (current) and `<file>.old`. Once the
// current one holds `capacity` additions it holds every live event, so it becomes `.old` (two renames) and the
// previous `.old` is deleted off the event loop (freeing a file's blocks can take milliseconds): no rewrite on the
// hot path, and the disk use stays within two rings. Opening loads both and rewrites the live events into one
// file (a crash mid-way leaves at worst duplicates, which load as one).
//
// One writer per history: `<file>.lock` holds the writer's pid (VS Code windows share globalStorage). A store
// that finds a live writer loads the history read-only and keeps its own events in memory (reported once through
// `onError`); a lock left by a dead process is taken over.
//
// Durability: an event is written with write(2) before the receiver answers it (the receiver batches the
// writes of one event-loop turn into one call, then sends those answers, and only then decodes the bodies for the
// list and the listeners), so an accepted event survives a crash or kill of the process at any point after its
// 2xx. There is no fsync per event: an OS crash or power loss can drop what the kernel had not yet flushed. If
// the file cannot be written (disk full, permissions), the store reports it through `onError` once and keeps
// going in memory only, so the sender still gets its configured answer (Penpot disables a hook after 3 errors,
// §4.1 step 5).
//
// In memory each event is a StoredEvent (event.ts): the bytes of its history line plus the list fields.
import * as fs from 'node:fs';
import { messageOf } from './decode';
import { DecodedCache, StoredEvent, type PersistedEvent, type ReceivedRequest } from './event';
import type { ForwardResult, ReceivedEvent } from './types';

export const DEFAULT_STORE_CAPACITY = 1000;
/** Total body bytes kept in memory; the oldest events go first when it is exceeded. */
export const DEFAULT_STORE_MAX_BYTES = 256 * 1024 * 1024;

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
  /** Batched additions waiting for the next flush, with what to do once written (undefined: done already). */
  private readonly pendingAdds: { event: StoredEvent; evictedIds: string[]; afterWrite: ((event: ReceivedEvent) => void) | undefined }[] = [];
  private flushScheduled = false;
  private nextSeq = 1;
  private bytes = 0;
  private fd: number | undefined;
  private addsInCurrentFile = 0;
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
      this.load(this.oldFile);
      this.load(this.file);
      if (owner === undefined) {
        this.rewrite(true);
      } else {
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
    return this.fd !== undefined;
  }

  /**
   * Stores an event made from `draft` (its derived fields as given; `decoded` is not kept but rebuilt from the
   * bytes when read). Without `afterWrite`, the event is written before `add` returns. With it, the write is
   * batched with the other additions of this event-loop turn and `afterWrite` runs right after that write (at
   * once for a memory-only store). Listeners hear of the event after either.
   */
  add(draft: NewEvent, afterWrite?: (event: ReceivedEvent) => void): ReceivedEvent {
    this.assertOpen();
    return this.accept(StoredEvent.fromDraft(this.nextSeq++, draft, this.decodedCache), afterWrite);
  }

  /**
   * The receiver's way in: stores `request` like `add` with `afterWrite` (the answer), which runs before the body
   * is decoded. Format, summary and decodeError are derived after the answers of this event-loop turn (a request
   * arriving in the same turn is not kept waiting by the decoding of the one before), then listeners hear of it.
   */
  addReceived(request: ReceivedRequest, afterWrite: (event: ReceivedEvent) => void): ReceivedEvent {
    this.assertOpen();
    return this.accept(StoredEvent.received(this.nextSeq++, request, this.decodedCache), afterWrite);
  }

  private accept(event: StoredEvent, afterWrite: ((event: ReceivedEvent) => void) | undefined): ReceivedEvent {
    const evictedIds = this.insert(event, false);
    const persisting = this.fd !== undefined;
    if (persisting) {
      this.pendingLines.push(event.line);
      this.addsInCurrentFile++;
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
      this.forget({ t: 'del', ids: removed });
      this.emit({ kind: 'removed', ids: removed });
    }
    return removed;
  }

  clear(): void {
    this.assertOpen();
    this.events.clear();
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
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
    if (this.lockFile !== undefined) fs.rmSync(this.lockFile, { force: true });
    this.changeListeners.clear();
    this.decodedCache.clear();
  }

  /** Takes `<file>.lock`; returns the pid of a live process that holds it instead, or undefined once it is ours. */
  private lock(file: string): number | undefined {
    const lockFile = `${file}.lock`;
    for (;;) {
      try {
        fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx', mode: 0o600 });
        this.lockFile = lockFile;
        return undefined;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new Error(`Cannot write the event history ${file}: ${messageOf(error)}`);
        }
      }
      const owner = Number.parseInt(readOrEmpty(lockFile), 10);
      if (Number.isInteger(owner) && owner > 0 && processIsAlive(owner)) return owner;
      fs.rmSync(lockFile, { force: true }); // left by a process that is gone (or torn): take it over
    }
  }

  /** `loading`: the id may be there already (a duplicate from a half-finished rewrite); a new event's id is not. */
  private insert(event: StoredEvent, loading: boolean): string[] {
    if (loading) this.deleteBySeq(event.seq);
    this.events.set(event.seq, event);
    this.bytes += event.size;
    const evicted: string[] = [];
    while (this.events.size > this.capacity || (this.bytes > this.maxBytes && this.events.size > 1)) {
      const oldest = this.events.values().next().value as StoredEvent;
      this.deleteBySeq(oldest.seq);
      evicted.push(oldest.id);
    }
    return evicted;
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
    if (this.fd === undefined) return;
    this.pendingLines.push(recordLine(record));
    this.flush();
  }

  /**
   * A removal asked for by a person: recorded, then the history is rewritten so that the removed payloads leave
   * the disk now rather than at the next rotation.
   */
  private forget(record: FileRecord): void {
    if (this.fd === undefined) return;
    this.write(record);
    this.rewrite(false);
  }

  /**
   * One write(2) for everything pending, then the batched additions' callbacks (the answers), then their bodies are
   * decoded, then listeners are notified.
   */
  private flush(): void {
    this.flushScheduled = false;
    if (this.pendingLines.length > 0 && this.fd !== undefined) {
      try {
        writeAll(this.fd, this.pendingLines);
      } catch (error) {
        this.dropPersistence(error);
      }
    }
    this.pendingLines.length = 0;
    if (this.pendingAdds.length > 0) {
      const added = this.pendingAdds.splice(0);
      for (const { event, afterWrite } of added) if (afterWrite !== undefined) this.runSafely(afterWrite, event);
      for (const { event } of added) event.ensureDerived();
      for (const { event, evictedIds } of added) this.emit({ kind: 'added', event, evictedIds });
    }
    if (this.addsInCurrentFile >= this.capacity) this.rotate();
  }

  /**
   * The current file now holds every live event: it becomes the old one, and the old one goes. A rename over
   * `.old` would free its blocks inside the call (milliseconds on some disks, with requests waiting), so `.old`
   * is first renamed aside and deleted on libuv's thread pool; opening deletes one left behind by a crash.
   */
  private rotate(): void {
    if (this.fd === undefined || this.file === undefined || this.oldFile === undefined) return;
    const retired = retiredFile(this.file);
    try {
      fs.closeSync(this.fd);
      this.fd = undefined;
      let retiring = true;
      try {
        fs.renameSync(this.oldFile, retired);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        retiring = false; // no `.old` yet (first rotation since opening)
      }
      fs.renameSync(this.file, this.oldFile);
      this.fd = fs.openSync(this.file, 'a', 0o600);
      this.addsInCurrentFile = 0;
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
    const lines: Buffer[] = [recordLine({ t: 'meta', v: FILE_VERSION, nextSeq: this.nextSeq })];
    for (const event of this.events.values()) {
      lines.push(event.line);
      if (event.forward !== undefined) lines.push(recordLine({ t: 'fwd', id: event.id, r: event.forward }));
    }
    const temp = `${this.file}.tmp`;
    try {
      fs.writeFileSync(temp, Buffer.concat(lines), { mode: 0o600 });
      if (this.fd !== undefined) fs.closeSync(this.fd); // Windows cannot rename over an open file
      this.fd = undefined;
      fs.renameSync(temp, this.file);
      fs.rmSync(this.oldFile, { force: true });
      fs.rmSync(retiredFile(this.file), { force: true });
      this.fd = fs.openSync(this.file, 'a', 0o600);
      this.addsInCurrentFile = this.events.size;
    } catch (error) {
      if (failHard) throw new Error(`Cannot write the event history ${this.file}: ${messageOf(error)}`);
      this.dropPersistence(error);
    }
  }

  private load(file: string): void {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new Error(`Cannot read the event history ${file}: ${messageOf(error)}`);
    }
    for (const line of text.split('\n')) {
      const record = parseRecord(line);
      if (record === undefined) continue;
      switch (record.t) {
        case 'meta': this.nextSeq = Math.max(this.nextSeq, record.nextSeq); break;
        case 'add': {
          const event = StoredEvent.fromRecord(record.e, this.decodedCache);
          if (event === undefined) break;
          this.nextSeq = Math.max(this.nextSeq, event.seq + 1);
          this.insert(event, true);
          break;
        }
        case 'fwd': {
          const event = this.events.get(seqOf(record.id));
          if (event !== undefined) event.forward = record.r;
          break;
        }
        case 'del': for (const id of record.ids) this.deleteEvent(id); break;
        case 'clear': this.events.clear(); this.bytes = 0; break;
      }
    }
  }

  private dropPersistence(error: unknown): void {
    if (this.fd !== undefined) {
      try { fs.closeSync(this.fd); } catch { /* already unusable */ }
    }
    this.fd = undefined;
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
}

/** One record as a history line. */
function recordLine(record: FileRecord): Buffer {
  return Buffer.from(JSON.stringify(record) + '\n', 'utf8');
}

/** Writes every buffer, in order, with as few write(2) calls as the kernel allows (writev). */
function writeAll(fd: number, buffers: Buffer[]): void {
  let total = 0;
  for (const buffer of buffers) total += buffer.length;
  const written = fs.writevSync(fd, buffers);
  if (written < total) {
    const rest = Buffer.concat(buffers).subarray(written);
    for (let offset = 0; offset < rest.length;) offset += fs.writeSync(fd, rest, offset);
  }
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

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: existence check only
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

function parseRecord(line: string): FileRecord | undefined {
  if (line.length === 0) return undefined;
  try {
    const record = JSON.parse(line) as FileRecord;
    return record !== null && typeof record === 'object' && typeof record.t === 'string' ? record : undefined;
  } catch {
    return undefined; // a line torn by a crash mid-write
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`Event store ${name} must be a positive integer, got ${value}.`);
  return value;
}
