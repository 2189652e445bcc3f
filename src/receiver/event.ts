// How the store keeps an event: the list fields as JS values, and the bytes of its history record (the `add` line:
// UTF-8 JSON with the body in base64) in the history file, read back with pread(2) when asked for (headers, path,
// remote address, the body); `decoded` is rebuilt from the body (the last few are cached). Only a line not written
// yet (a few per event-loop turn), or every line of a memory-only store (no history file, or one it cannot write),
// stays in memory, in a Buffer outside the JS heap: holding every line there cost about 4.8 KiB of RSS per 1 KiB
// event (473 MiB for a ring of 100,000, measured). Without a listener the list fields wait until first read.
// The list fields (format, summary, decodeError) are derived from the body once; the receiver does it right after
// the ack. Outside this folder a StoredEvent is an ordinary ReceivedEvent: JSON.stringify (exports, the viewer's
// messages) goes through `toJSON`, which returns the plain object.
import { checkReceived, type EventCheck } from './check';
import { decodeBody, listFieldsOf, SHALLOW_LIST_FIELDS_BYTES, type DecodedBody } from './decode';
import * as fs from 'node:fs';
import type { DecodedPayload, EventSummary, ForwardResult, PayloadFormat, ReceivedEvent } from './types';

/** A request as the receiver got it: everything that has to be stored before the answer. */
export interface ReceivedRequest {
  receivedAt: string;
  method: string;
  path: string;
  /** Names and values alternating, like Node's `IncomingMessage.rawHeaders`. */
  rawHeaders: readonly string[];
  remoteAddress: string;
  contentType: string;
  body: Buffer;
  responseStatus: number;
  simulated: boolean;
}

/**
 * The fields of an `add` history record; the derived ones (format, decoded, decodeError, summary) are not saved.
 * The headers are saved as received, names and values alternating (`rawHeaders`): one JSON.stringify per event
 * rather than two per header. Lines written before December 2026 have the `headers` pairs instead; both load.
 */
export type PersistedEvent = Omit<ReceivedEvent, 'format' | 'decoded' | 'decodeError' | 'summary' | 'forward' | 'headers'> & { rawHeaders: string[] };

/**
 * The last few decoded payloads read, so that a viewer reading one event several times decodes it once. Bounded by
 * count and by the body bytes behind them (a decoded tree weighs many times its body), the last one always kept.
 */
export class DecodedCache {
  private readonly entries = new Map<StoredEvent, DecodedBody>();
  private bytes = 0;

  constructor(private readonly limit: number, private readonly limitBytes = 16 * 1024 * 1024) {}

  lookup(event: StoredEvent): DecodedBody | undefined {
    const found = this.entries.get(event);
    if (found !== undefined) {
      this.entries.delete(event); // most recently used last
      this.entries.set(event, found);
    }
    return found;
  }

  remember(event: StoredEvent, decoded: DecodedBody): void {
    this.forget(event);
    this.entries.set(event, decoded);
    this.bytes += event.size;
    while (this.entries.size > this.limit || (this.bytes > this.limitBytes && this.entries.size > 1)) {
      this.forget(this.entries.keys().next().value as StoredEvent);
    }
  }

  forget(event: StoredEvent): void {
    if (this.entries.delete(event)) this.bytes -= event.size;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

/**
 * A history file held open so that the lines of its events can be read back. The store appends to the current
 * generation and keeps the previous one open while events live in it. An open descriptor reads the same file after
 * a rename (rotation) and, on POSIX, after another window's store deletes it (this one being read-only then).
 */
export class HistoryFile {
  #fd: number | undefined;

  constructor(fd: number) {
    this.#fd = fd;
  }

  /** The descriptor, also the one the store appends with while this is the current generation. */
  get fd(): number {
    if (this.#fd === undefined) throw new Error('The event store is closed: the event\'s bytes are no longer readable.');
    return this.#fd;
  }

  read(position: number, length: number): Buffer {
    const bytes = Buffer.allocUnsafe(length);
    for (let done = 0; done < length;) {
      const read = fs.readSync(this.fd, bytes, done, length - done, position + done);
      if (read === 0) throw new Error('The event history file is shorter than the store wrote it; another program changed it.');
      done += read;
    }
    return bytes;
  }

  close(): void {
    if (this.#fd === undefined) return;
    const fd = this.#fd;
    this.#fd = undefined; // a closed number may be reused by another file: never read through it again
    fs.closeSync(fd);
  }
}

/** Where a line read from a history file lies in it, for an event to read its bytes from there later. */
export interface LinePlace {
  file: HistoryFile;
  offset: number;
  /** The line's bytes without its newline. */
  line: Buffer;
  /** False for a last line that lacks one (cut by a crash): such a line cannot be copied as it is. */
  terminated: boolean;
}

/** The fields a StoredEvent keeps as JS values. */
interface ListFields {
  seq: number;
  receivedAt: string;
  method: string;
  contentType: string;
  size: number;
  responseStatus: number;
  simulated: boolean;
}

const BODY_KEY = Buffer.from('"bodyBase64":"', 'latin1');
/** The summary of every event that is not a Penpot event: one shared object rather than one each. */
const NO_SUMMARY: EventSummary = Object.freeze({});
/**
 * One copy of each recent summary value (event name, profile, team, project and file ids): deliveries repeat the
 * same few, and 100,000 events would otherwise hold 100,000 copies of each (56 bytes per id). Bounded: cleared
 * when full.
 */
const internedValues = new Map<string, string>();
const MAX_INTERNED_VALUES = 10_000;
const QUOTE = 0x22;

export class StoredEvent implements ReceivedEvent {
  readonly seq: number;
  readonly receivedAt: string;
  readonly method: string;
  readonly contentType: string;
  readonly size: number;
  readonly responseStatus: number;
  readonly simulated: true | undefined;
  forward: ForwardResult | undefined = undefined;
  /** The `add` history record, newline included, while it is in memory (see the top of this file). */
  #line: Buffer | undefined;
  /** Once written: the file that holds the line, and where. */
  #file: HistoryFile | undefined = undefined;
  #offset = 0;
  /** The line's length, newline included, and where the base64 body starts and ends in it. */
  readonly #length: number;
  readonly #bodyStart: number;
  readonly #bodyEnd: number;
  readonly #cache: DecodedCache;
  /** The bytes as received, kept only until the list fields are derived from them. */
  #received: Buffer | undefined;
  /** Undefined until derived from the body. */
  #format: PayloadFormat | undefined = undefined;
  #summary: EventSummary = NO_SUMMARY;
  #decodeError: string | undefined = undefined;
  /** Derived with the list fields (undefined for a large Transit body until it is decoded in full). */
  #check: EventCheck | undefined = undefined;
  /** The check is still to be made from the decoded body (see `ensureDerived`). */
  #checkPending = false;
  /** The decoded body, held from the list fields until the listeners were told, for a check they read. */
  #heldDecode: DecodedBody | undefined = undefined;

  private constructor(fields: ListFields, record: RecordBytes, received: Buffer | undefined, cache: DecodedCache) {
    this.seq = fields.seq;
    this.receivedAt = fields.receivedAt;
    this.method = fields.method;
    this.contentType = fields.contentType;
    this.size = fields.size;
    this.responseStatus = fields.responseStatus;
    this.simulated = fields.simulated ? true : undefined;
    this.#line = record.line;
    this.#length = record.length;
    this.#bodyStart = record.bodyStart;
    this.#bodyEnd = record.bodyEnd;
    this.#received = received;
    this.#cache = cache;
    if (record.place !== undefined) {
      this.#file = record.place.file;
      this.#offset = record.place.offset;
    }
  }

  /** The receiver's path: `request` is what arrived. */
  static received(seq: number, request: ReceivedRequest, cache: DecodedCache): StoredEvent {
    const fields: ListFields = {
      seq, receivedAt: request.receivedAt, method: request.method, contentType: request.contentType,
      size: request.body.length, responseStatus: request.responseStatus, simulated: request.simulated,
    };
    const record = recordBytes(fields, request.path, JSON.stringify(request.rawHeaders), request.remoteAddress, request.body.toString('base64'));
    return new StoredEvent(fields, record, request.body, cache);
  }

  /**
   * An `add` record read back from the history file, or undefined when it is not one this module wrote. The
   * derived fields are rebuilt from the bytes when first read. With `place` (the line it was parsed from), the
   * event reads its bytes from there, unless the line is not in the form `recordBytes` writes (an older or damaged
   * one): then a line in that form is made and kept in memory until the store writes it.
   */
  static fromRecord(saved: unknown, cache: DecodedCache, place?: LinePlace): StoredEvent | undefined {
    if (typeof saved !== 'object' || saved === null) return undefined;
    const e = saved as Record<string, unknown>;
    const seq = e.seq;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || e.id !== String(seq) || typeof e.bodyBase64 !== 'string') {
      return undefined;
    }
    const body = Buffer.from(e.bodyBase64, 'base64');
    const fields: ListFields = {
      seq, receivedAt: text(e.receivedAt), method: text(e.method), contentType: text(e.contentType), size: body.length,
      responseStatus: Number.isInteger(e.responseStatus) ? e.responseStatus as number : 0, simulated: e.simulated === true,
    };
    const canonical = body.toString('base64');
    const onDisk = place === undefined ? undefined : recordInPlace(place, canonical);
    const record = onDisk
      ?? recordBytes(fields, text(e.path), JSON.stringify(savedHeaders(e).flat()), text(e.remoteAddress), canonical);
    return new StoredEvent(fields, record, undefined, cache);
  }

  /** A caller's draft (`EventStore.add`): its derived fields are taken as given, its decoded payload cached. */
  static fromDraft(seq: number, draft: Omit<ReceivedEvent, 'id' | 'seq'>, cache: DecodedCache): StoredEvent {
    const event = StoredEvent.fromRecord({ ...draft, id: String(seq), seq }, cache);
    if (event === undefined) throw new TypeError('An event draft needs bodyBase64 as a string.');
    const { format, decoded, decodeError, summary } = draft;
    event.#format = format;
    event.#summary = summary;
    event.#decodeError = decodeError;
    event.#check = draft.check ?? checkReceived(draft);
    cache.remember(event, { format, decoded, decodeError, summary });
    return event;
  }

  get id(): string {
    return String(this.seq);
  }

  /** The `add` history record, newline included: what the store writes (and copies when it rewrites the history). */
  get line(): Buffer {
    return this.#line ?? this.checked(this.readLine(0, this.#length), 0);
  }

  /** The history file the line is read from; undefined while it is in memory. */
  get file(): HistoryFile | undefined {
    return this.#line === undefined ? this.#file : undefined;
  }

  /** The store wrote the line to `file` at `offset`: from now on it is read from there, and the memory freed. */
  writtenAt(file: HistoryFile, offset: number): void {
    this.#file = file;
    this.#offset = offset;
    this.#line = undefined;
  }

  get path(): string {
    return this.saved().path;
  }

  get headers(): [string, string][] {
    return this.saved().headers;
  }

  get remoteAddress(): string {
    return this.saved().remoteAddress;
  }

  get bodyBase64(): string {
    if (this.#line !== undefined) return this.#line.toString('latin1', this.#bodyStart, this.#bodyEnd);
    // The quotes around it are read too, as a check that the file still holds this line there.
    const quoted = this.checked(this.readLine(this.#bodyStart - 1, this.#bodyEnd + 1), this.#bodyStart - 1);
    return quoted.toString('latin1', 1, quoted.length - 1);
  }

  /** The exact bytes received. */
  get body(): Buffer {
    return this.#received ?? Buffer.from(this.bodyBase64, 'base64');
  }

  get format(): PayloadFormat {
    if (this.#format === undefined) this.deriveListFields();
    return this.#format ?? 'binary';
  }

  get summary(): EventSummary {
    if (this.#format === undefined) this.deriveListFields();
    return this.#summary;
  }

  get decodeError(): string | undefined {
    if (this.#format === undefined) this.deriveListFields();
    return this.#decodeError;
  }

  get check(): EventCheck | undefined {
    if (this.#format === undefined) this.deriveListFields();
    if (this.#checkPending) {
      const decoded = this.#heldDecode ?? this.#cache.lookup(this);
      if (decoded === undefined) this.derive(); // it makes the check
      else this.#check = checkReceived(decoded);
      this.#checkPending = false;
      this.#heldDecode = undefined;
    }
    return this.#check;
  }

  /** Decoded in full when read (the last few are cached): the list fields never need it. */
  get decoded(): DecodedPayload | undefined {
    let result = this.#cache.lookup(this);
    if (result === undefined) {
      result = this.#heldDecode ?? this.derive();
      this.#cache.remember(this, result);
    }
    return result.decoded;
  }

  /**
   * Derives the list fields unless that is done already; the store calls it right after the ack. With `checkLater`
   * (the store, before telling listeners) the contract check, about two thirds of the cost, waits until `check` is
   * read: `listen` never reads it; the viewer does. The decoded body is held for it until `releaseHeldDecode`.
   */
  ensureDerived(checkLater = false): void {
    if (this.#format !== undefined) return;
    if (!checkLater || this.size > SHALLOW_LIST_FIELDS_BYTES) {
      this.deriveListFields();
      return;
    }
    const result = decodeBody(this.body, this.contentType); // what listFieldsOf decodes for a body this size
    this.#format = result.format;
    this.#summary = compactSummary(result.summary);
    this.#decodeError = result.decodeError;
    this.#checkPending = true;
    this.#heldDecode = result;
    this.#received = undefined;
  }

  /** The listeners were told: a check read from now on decodes the body again (from the line). */
  releaseHeldDecode(): void {
    this.#heldDecode = undefined;
  }

  /** Drops the bytes as received: the list fields will be derived from the line when first read. */
  releaseReceived(): void {
    this.#received = undefined;
  }

  /** The list fields only: a large Transit body is read shallowly (decode.ts), not decoded in full. */
  private deriveListFields(): void {
    const result = listFieldsOf(this.body, this.contentType);
    this.#format = result.format;
    this.#summary = compactSummary(result.summary);
    this.#decodeError = result.decodeError;
    this.#check = result.check;
    this.#received = undefined; // from now on the bytes are read back from `line`
  }

  /** The plain ReceivedEvent, in the interface's field order. */
  toJSON(): ReceivedEvent {
    const saved = this.saved();
    return {
      id: this.id, seq: this.seq, receivedAt: this.receivedAt, method: this.method, path: saved.path, headers: saved.headers,
      remoteAddress: saved.remoteAddress, contentType: this.contentType, size: this.size, bodyBase64: this.bodyBase64,
      format: this.format, decoded: this.decoded, decodeError: this.decodeError, summary: this.summary,
      responseStatus: this.responseStatus, forward: this.forward, simulated: this.simulated,
    };
  }

  /** Decodes the body and keeps the list fields (the first time). */
  private derive(): DecodedBody {
    const result = decodeBody(this.body, this.contentType);
    if (this.#format === undefined) {
      this.#format = result.format;
      this.#summary = compactSummary(result.summary);
      this.#decodeError = result.decodeError;
    }
    this.#check ??= checkReceived(result);
    this.#checkPending = false;
    this.#heldDecode = undefined;
    this.#received = undefined; // from now on the bytes are read back from `line`
    return result;
  }

  /** Bytes `start` to `end` of the written line. */
  private readLine(start: number, end: number): Buffer {
    return (this.#file as HistoryFile).read(this.#offset + start, end - start);
  }

  /**
   * `bytes` (read from the line at `from`) must show the line's landmarks that fall in them: the opening brace, the
   * quotes around the body, the newline. Otherwise the file was changed under the store, and its bytes are not this
   * event's.
   */
  private checked(bytes: Buffer, from: number): Buffer {
    const at = (position: number): number | undefined => (position >= from && position < from + bytes.length ? bytes[position - from] : undefined);
    const landmarks: [number, number][] = [[0, 0x7b], [this.#bodyStart - 1, QUOTE], [this.#bodyEnd, QUOTE], [this.#length - 1, 0x0a]];
    for (const [position, expected] of landmarks) {
      const found = at(position);
      if (found !== undefined && found !== expected) {
        throw new Error(`The event history no longer holds event ${this.seq} where the store wrote it; another program changed the file.`);
      }
    }
    return bytes;
  }

  private saved(): SavedFields {
    const e = (JSON.parse(this.line.toString('utf8')) as { e: Record<string, unknown> }).e;
    // A line read back as it was on disk may come from an older version: its fields are checked like fromRecord's.
    return { path: text(e.path), headers: savedHeaders(e), remoteAddress: text(e.remoteAddress) };
  }
}

/** The stored request fields kept only in the line. */
interface SavedFields {
  path: string;
  headers: [string, string][];
  remoteAddress: string;
}

/** The bytes of any ReceivedEvent, without a base64 round trip for the store's own events. */
export function bodyBytes(event: Pick<ReceivedEvent, 'bodyBase64'>): Buffer {
  return event instanceof StoredEvent ? event.body : Buffer.from(event.bodyBase64, 'base64');
}

interface RecordBytes {
  /** The line, newline included, when it is to be kept in memory (until written). */
  line: Buffer | undefined;
  /** Where a line read from a file lies in it. */
  place?: { file: HistoryFile; offset: number };
  length: number;
  /** Where the base64 body starts and ends in the line. */
  bodyStart: number;
  bodyEnd: number;
}

/**
 * A line read from a history file, used in place when it is in the form `recordBytes` writes: newline-terminated,
 * with `canonical` (the body, base64 as Node writes it) as the value of its first `"bodyBase64":"` key. A JSON
 * string cannot contain that sequence unescaped, so only a key can match, and the check settles which one.
 */
function recordInPlace(place: LinePlace, canonical: string): RecordBytes | undefined {
  if (!place.terminated) return undefined;
  const key = place.line.indexOf(BODY_KEY);
  if (key === -1) return undefined;
  const bodyStart = key + BODY_KEY.length;
  const bodyEnd = bodyStart + canonical.length;
  if (place.line[bodyEnd] !== QUOTE || place.line.toString('latin1', bodyStart, bodyEnd) !== canonical) return undefined;
  return { line: undefined, place: { file: place.file, offset: place.offset }, length: place.line.length + 1, bodyStart, bodyEnd };
}

/**
 * The `add` line of an event, written straight into one Buffer: strings that come from the request go through
 * JSON.stringify; base64, numbers and the fixed keys need no escaping. Twice as fast as JSON.stringify of a copy.
 */
function recordBytes(fields: ListFields, path: string, rawHeadersJson: string, remoteAddress: string, bodyBase64: string): RecordBytes {
  const head = `{"t":"add","e":{"id":"${fields.seq}","seq":${fields.seq},"receivedAt":${JSON.stringify(fields.receivedAt)}`
    + `,"method":${JSON.stringify(fields.method)},"path":${JSON.stringify(path)},"rawHeaders":${rawHeadersJson}`
    + `,"remoteAddress":${JSON.stringify(remoteAddress)},"contentType":${JSON.stringify(fields.contentType)}`
    + `,"size":${fields.size},"bodyBase64":"`;
  const tail = `","responseStatus":${fields.responseStatus}${fields.simulated ? ',"simulated":true' : ''}}}\n`;
  const bodyStart = Buffer.byteLength(head);
  const bodyEnd = bodyStart + bodyBase64.length;
  const line = Buffer.allocUnsafe(bodyEnd + tail.length);
  line.write(head, 0, 'utf8');
  line.write(bodyBase64, bodyStart, 'latin1');
  line.write(tail, bodyEnd, 'latin1');
  return { line, length: line.length, bodyStart, bodyEnd };
}

/** `summary` as kept for the list: the shared empty one, or its values interned. */
function compactSummary(summary: EventSummary): EventSummary {
  const keys = Object.keys(summary) as (keyof EventSummary)[];
  if (keys.length === 0) return NO_SUMMARY;
  const compact: EventSummary = {};
  for (const key of keys) {
    const value = summary[key];
    if (value !== undefined) compact[key] = interned(value);
  }
  return compact;
}

function interned(value: string): string {
  const known = internedValues.get(value);
  if (known !== undefined) return known;
  if (internedValues.size >= MAX_INTERNED_VALUES) internedValues.clear();
  internedValues.set(value, value);
  return value;
}

/** A saved record's headers as pairs: from `rawHeaders`, or from the `headers` pairs of a line in the older form. */
function savedHeaders(e: Record<string, unknown>): [string, string][] {
  const raw: unknown = e.rawHeaders;
  if (!Array.isArray(raw)) return headerPairs(e.headers);
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name: unknown = raw[i];
    const value: unknown = raw[i + 1];
    if (typeof name === 'string' && typeof value === 'string') pairs.push([name, value]);
  }
  return pairs;
}

function headerPairs(value: unknown): [string, string][] {
  const pairs: [string, string][] = [];
  if (Array.isArray(value)) {
    for (const pair of value) {
      if (Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string') pairs.push([pair[0], pair[1]]);
    }
  }
  return pairs;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
