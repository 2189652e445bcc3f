// How the store keeps an event in memory: as the bytes of its history record (the `add` line: UTF-8 JSON with the
// body in base64) in a Buffer outside the JS heap, plus the few fields the event list reads on every change. The
// rest (headers, path, remote address, the body) is read back from those bytes when asked for, and `decoded` is
// rebuilt from the body (the last few are cached). Holding the decoded tree, the base64 string and the header pairs
// as JS objects instead meant dozens of objects per event (2.7 KiB of heap for a typical 370-byte delivery, 1 KiB
// now) that every young-generation GC copied during a burst, and a large Transit file weighed many times its size.
// The list fields (format, summary, decodeError) are derived from the body once; the receiver does it right after
// the ack. Outside this folder a StoredEvent is an ordinary ReceivedEvent: JSON.stringify (exports, the viewer's
// messages) goes through `toJSON`, which returns the plain object.
import { checkReceived, type EventCheck } from './check';
import { decodeBody, listFieldsOf, type DecodedBody } from './decode';
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

/** The fields of an `add` history record; the derived ones (format, decoded, decodeError, summary) are not saved. */
export type PersistedEvent = Omit<ReceivedEvent, 'format' | 'decoded' | 'decodeError' | 'summary' | 'forward'>;

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

export class StoredEvent implements ReceivedEvent {
  readonly seq: number;
  readonly receivedAt: string;
  readonly method: string;
  readonly contentType: string;
  readonly size: number;
  readonly responseStatus: number;
  readonly simulated: true | undefined;
  forward: ForwardResult | undefined = undefined;
  /** The `add` history record, newline included. */
  readonly #line: Buffer;
  readonly #bodyStart: number;
  readonly #bodyEnd: number;
  readonly #cache: DecodedCache;
  /** The bytes as received, kept only until the list fields are derived from them. */
  #received: Buffer | undefined;
  /** Undefined until derived from the body. */
  #format: PayloadFormat | undefined = undefined;
  #summary: EventSummary = {};
  #decodeError: string | undefined = undefined;
  /** Derived with the list fields (undefined for a large Transit body until it is decoded in full). */
  #check: EventCheck | undefined = undefined;

  private constructor(fields: ListFields, record: RecordBytes, received: Buffer | undefined, cache: DecodedCache) {
    this.seq = fields.seq;
    this.receivedAt = fields.receivedAt;
    this.method = fields.method;
    this.contentType = fields.contentType;
    this.size = fields.size;
    this.responseStatus = fields.responseStatus;
    this.simulated = fields.simulated ? true : undefined;
    this.#line = record.line;
    this.#bodyStart = record.bodyStart;
    this.#bodyEnd = record.bodyEnd;
    this.#received = received;
    this.#cache = cache;
  }

  /** The receiver's path: `request` is what arrived. */
  static received(seq: number, request: ReceivedRequest, cache: DecodedCache): StoredEvent {
    const fields: ListFields = {
      seq, receivedAt: request.receivedAt, method: request.method, contentType: request.contentType,
      size: request.body.length, responseStatus: request.responseStatus, simulated: request.simulated,
    };
    const raw = request.rawHeaders;
    const pairs: [string, string][] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i], raw[i + 1]]);
    const record = recordBytes(fields, request.path, JSON.stringify(pairs), request.remoteAddress, request.body.toString('base64'));
    return new StoredEvent(fields, record, request.body, cache);
  }

  /**
   * An `add` record read back from the history file, or undefined when it is not one this module wrote. The
   * derived fields are rebuilt from the bytes when first read.
   */
  static fromRecord(saved: unknown, cache: DecodedCache): StoredEvent | undefined {
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
    const record = recordBytes(fields, text(e.path), JSON.stringify(headerPairs(e.headers)), text(e.remoteAddress), body.toString('base64'));
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

  /** The `add` history record, newline included: what the store writes. */
  get line(): Buffer {
    return this.#line;
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
    return this.#line.toString('latin1', this.#bodyStart, this.#bodyEnd);
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
    return this.#check;
  }

  /** Decoded in full when read (the last few are cached): the list fields never need it. */
  get decoded(): DecodedPayload | undefined {
    let result = this.#cache.lookup(this);
    if (result === undefined) {
      result = this.derive();
      this.#cache.remember(this, result);
    }
    return result.decoded;
  }

  /** Derives the list fields unless that is done already; the store calls it right after the ack. */
  ensureDerived(): void {
    if (this.#format === undefined) this.deriveListFields();
  }

  /** The list fields only: a large Transit body is read shallowly (decode.ts), not decoded in full. */
  private deriveListFields(): void {
    const result = listFieldsOf(this.body, this.contentType);
    this.#format = result.format;
    this.#summary = result.summary;
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
      this.#summary = result.summary;
      this.#decodeError = result.decodeError;
    }
    this.#check ??= checkReceived(result);
    this.#received = undefined; // from now on the bytes are read back from `line`
    return result;
  }

  private saved(): PersistedEvent {
    return (JSON.parse(this.#line.toString('utf8')) as { e: PersistedEvent }).e;
  }
}

/** The bytes of any ReceivedEvent, without a base64 round trip for the store's own events. */
export function bodyBytes(event: Pick<ReceivedEvent, 'bodyBase64'>): Buffer {
  return event instanceof StoredEvent ? event.body : Buffer.from(event.bodyBase64, 'base64');
}

interface RecordBytes {
  line: Buffer;
  /** Where the base64 body starts and ends in `line`. */
  bodyStart: number;
  bodyEnd: number;
}

/**
 * The `add` line of an event, written straight into one Buffer: strings that come from the request go through
 * JSON.stringify; base64, numbers and the fixed keys need no escaping. Twice as fast as JSON.stringify of a copy.
 */
function recordBytes(fields: ListFields, path: string, headersJson: string, remoteAddress: string, bodyBase64: string): RecordBytes {
  const head = `{"t":"add","e":{"id":"${fields.seq}","seq":${fields.seq},"receivedAt":${JSON.stringify(fields.receivedAt)}`
    + `,"method":${JSON.stringify(fields.method)},"path":${JSON.stringify(path)},"headers":${headersJson}`
    + `,"remoteAddress":${JSON.stringify(remoteAddress)},"contentType":${JSON.stringify(fields.contentType)}`
    + `,"size":${fields.size},"bodyBase64":"`;
  const tail = `","responseStatus":${fields.responseStatus}${fields.simulated ? ',"simulated":true' : ''}}}\n`;
  const bodyStart = Buffer.byteLength(head);
  const bodyEnd = bodyStart + bodyBase64.length;
  const line = Buffer.allocUnsafe(bodyEnd + tail.length);
  line.write(head, 0, 'utf8');
  line.write(bodyBase64, bodyStart, 'latin1');
  line.write(tail, bodyEnd, 'latin1');
  return { line, bodyStart, bodyEnd };
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
