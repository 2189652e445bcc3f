// The local webhook receiver: Node's `http` on 127.0.0.1 (by default), accepting only `/hooks/<secret>`.
// Penpot's rules it is shaped by: HEAD on create and on a URI change must get 200/204 within 3 s (§3.6);
// deliveries are POSTs with a 4 s timeout where only 200/204 count, and 3 failures disable the hook (§4.1).
// So the ack never waits for decoding, listeners, the viewer or a forward: it waits only for the raw request to be
// written to the history (src/receiver/store.ts), and the body is decoded right after it.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { messageOf } from './decode';
import { FORWARDED_HEADER, Forwarder, replayEvent } from './forward';
import type { OutboundResult } from './outbound';
import { pathMatchesSecret, RECEIVER_PATH_PREFIX, isValidReceiverSecret } from './secret';
import { RECEIVER_ID_HEADER, receiverIdFor } from './identity';
import { SIMULATED_HEADER, SIMULATE_NONCE, simulateEvent, type SimulateOptions, type SimulateResult } from './simulate';
import { EventStore, type Disposable, type StoreChange } from './store';
import type { ForwardResult, ReceivedEvent } from './types';

export const DEFAULT_RECEIVER_HOST = '127.0.0.1';
export const DEFAULT_RECEIVER_PORT = 8787;
export const DEFAULT_RESPONSE_STATUS = 204;
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 128;
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_CONNECTIONS = 1024;
/** A connection that has sent nothing this long after opening is closed. */
export const DEFAULT_SILENT_CONNECTION_MS = 2_000;

export interface ReceiverOptions {
  /** The path secret, e.g. from `generateReceiverSecret()`; at least 128 bits, URL-safe. */
  secret: string;
  /** Interface to bind; default 127.0.0.1. Anything else exposes the receiver beyond this machine. */
  host?: string;
  /** Default 8787; 0 = any free port (read it back from `port`/`url`). */
  port?: number;
  /** Answer to HEAD and to every stored POST; default 204. Settable later through `status`. */
  status?: number;
  /** Larger bodies get 413 and are not stored. Default 5 MiB. */
  maxBodyBytes?: number;
  /** Requests handled at once; more get 503. Default 128. */
  maxConcurrentRequests?: number;
  /**
   * Open sockets. Default 1,024. At the cap a new connection takes the place of the longest-idle one (no request in
   * progress), so idle or silent sockets cannot lock deliveries out; only when every socket is busy is it refused.
   */
  maxConnections?: number;
  /** A socket that has sent nothing this long after opening is closed. Default 2 s (Penpot sends at once). */
  silentConnectionMs?: number;
  /** Time allowed to send the request headers (408 after). Default 10 s. */
  headersTimeoutMs?: number;
  /** Time allowed to send the whole request (408 after). Default 30 s. */
  requestTimeoutMs?: number;
  /** Larger request headers get 431. Default 16 KiB, Node's own default. */
  maxHeaderBytes?: number;
  /** Where events go; default a memory-only store with default limits. The receiver does not close a store it was given. */
  store?: EventStore;
  /** Forward every stored event to this URL (settable later through `forwardTo`). */
  forwardTo?: string;
  forwardTimeoutMs?: number;
}

export interface Receiver {
  /** The URL to give Penpot: `http://<host>:<port>/hooks/<secret>`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly store: EventStore;
  /** The answer to HEAD and POST (200–599); changing it affects the next request. */
  status: number;
  /** Forward target; undefined turns forwarding off. */
  forwardTo: string | undefined;
  onEvent(listener: (event: ReceivedEvent) => void): Disposable;
  onDidChange(listener: (change: StoreChange) => void): Disposable;
  /** Every forward outcome (also recorded on the event as `forward` while it is still stored). */
  onForwarded(listener: (event: ReceivedEvent, result: ForwardResult) => void): Disposable;
  /** Sends a stored event again to `to`, or to the forward target. Rejects when neither exists or the id is unknown. */
  replay(id: string, to?: string): Promise<OutboundResult>;
  /** Builds a Penpot event and POSTs it to this receiver (or `options.to`). */
  simulate(options: SimulateOptions): Promise<SimulateResult>;
  /** Resolves when every queued forward has finished. */
  forwardsSettled(): Promise<void>;
  /** Stops listening, drops open connections and queued forwards; closes the store only if the receiver made it. */
  close(): Promise<void>;
}

/** Starts listening; rejects with a readable message when the address is taken or an option is invalid. */
export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  if (!isValidReceiverSecret(options.secret)) {
    throw new Error('The receiver secret must be URL-safe base64 of at least 128 bits (use generateReceiverSecret()).');
  }
  const host = options.host ?? DEFAULT_RECEIVER_HOST;
  const requestedPort = options.port ?? DEFAULT_RECEIVER_PORT;
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new Error(`The receiver port must be 0–65535, got ${requestedPort}.`);
  }
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxConcurrent = options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS;
  const headersTimeout = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, headersTimeout);
  let status = checkStatus(options.status ?? DEFAULT_RESPONSE_STATUS);
  const initialTarget = checkTarget(options.forwardTo);
  const ownsStore = options.store === undefined;
  const store = options.store ?? EventStore.open();
  const forwarder = new Forwarder({ store, timeoutMs: options.forwardTimeoutMs });
  const expectedPath = Buffer.from(RECEIVER_PATH_PREFIX + options.secret, 'utf8');
  const receiverId = receiverIdFor(options.secret);
  let active = 0;
  function onResponseClosed(this: http.ServerResponse): void {
    active--;
    const socket = this.req.socket ?? this.socket;
    if (socket !== null) markDone(socket);
  }

  const server = http.createServer({
    maxHeaderSize: options.maxHeaderBytes,
    headersTimeout,
    requestTimeout,
    // Node only checks the two timeouts above this often (default 30 s), which would let slow clients linger.
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4))),
    keepAliveTimeout: 5000,
  }, (req, res) => {
    if (active >= maxConcurrent) {
      res.writeHead(503, { 'Retry-After': '1', Connection: 'close', 'Content-Type': 'text/plain' });
      res.end('Too many requests at once.\n');
      return;
    }
    active++;
    markBusy(req);
    res.on('close', onResponseClosed);
    req.on('error', ignore); // a client that vanishes mid-body: nothing is stored, nothing to answer

    const requestUrl = req.url ?? '';
    const queryAt = requestUrl.indexOf('?');
    const pathname = queryAt === -1 ? requestUrl : requestUrl.slice(0, queryAt);
    if (!pathMatchesSecret(pathname, expectedPath)) {
      answerText(res, 404, 'Not found.\n');
      return;
    }
    if (req.method === 'HEAD') {
      // Lets the doctor's probe recognise this receiver through a tunnel (src/receiver/identity.ts).
      res.writeHead(status, { [RECEIVER_ID_HEADER]: receiverId }).end();
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'HEAD, POST');
      answerText(res, 405, 'Only HEAD and POST are accepted here.\n');
      return;
    }
    const head = scanHeaders(req.rawHeaders);
    if (head.contentLength > maxBodyBytes) {
      rejectTooLarge(req, res, maxBodyBytes);
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      received += chunk.length;
      if (received > maxBodyBytes) {
        tooLarge = true;
        chunks.length = 0;
        rejectTooLarge(req, res, maxBodyBytes);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge || res.headersSent) return;
      // Answered once the raw request is written (the store batches the writes of one event-loop turn).
      try {
        store.addReceived({
          receivedAt: isoNow(),
          method: 'POST',
          // The secret stays out of the history file and the viewer; the URL itself is shown elsewhere.
          path: queryAt === -1 ? STORED_PATH : STORED_PATH + requestUrl.slice(queryAt),
          rawHeaders: req.rawHeaders,
          remoteAddress: req.socket.remoteAddress ?? '',
          contentType: head.contentType,
          body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received),
          responseStatus: status,
          simulated: head.simulated,
        }, (event) => {
          res.writeHead(event.responseStatus).end();
          // A request one of our receivers forwarded is never forwarded again: no loop through two of them.
          if (!head.forwarded) forwarder.enqueue(event);
        });
      } catch (error) {
        // Only a store closed under a running receiver gets here; the sender must not believe it was kept.
        answerText(res, 503, `The receiver is shutting down; nothing was stored (${messageOf(error)}).\n`);
      }
    });
  });
  // Every header is stored (the byte limit bounds their number); Node would silently keep only the first 1,023 of them.
  server.maxHeadersCount = 0;
  const connections = new ConnectionRoom(options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    options.silentConnectionMs ?? DEFAULT_SILENT_CONNECTION_MS);
  server.on('connection', (socket: Socket) => connections.admit(socket));
  server.on('clientError', onClientError);

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(new Error(error.code === 'EADDRINUSE'
        ? `Port ${requestedPort} on ${host} is already in use; choose another port, or 0 for any free one.`
        : `The receiver cannot listen on ${host}:${requestedPort}: ${error.message}`));
    };
    server.once('error', onError);
    server.listen(requestedPort, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${hostForUrl(host)}:${port}${RECEIVER_PATH_PREFIX}${options.secret}`;
  const checkForwardTarget = (value: string | undefined): string | undefined => refuseSelf(checkTarget(value), host, port);
  try {
    forwarder.target = checkForwardTarget(initialTarget);
  } catch (error) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (ownsStore) store.close();
    throw error;
  }
  let closing: Promise<void> | undefined;

  return {
    url,
    host,
    port,
    store,
    get status() { return status; },
    set status(value: number) { status = checkStatus(value); },
    get forwardTo() { return forwarder.target; },
    set forwardTo(value: string | undefined) { forwarder.target = checkForwardTarget(value); },
    onEvent: (listener) => store.onEvent(listener),
    onDidChange: (listener) => store.onDidChange(listener),
    onForwarded: (listener) => forwarder.onResult(listener),
    async replay(id, to) {
      const event = store.get(id);
      if (event === undefined) throw new Error(`No stored event with id ${id}.`);
      const target = checkTarget(to ?? forwarder.target);
      if (target === undefined) throw new Error('No replay target: give a URL or set a forward target.');
      return replayEvent(event, target, { timeoutMs: options.forwardTimeoutMs });
    },
    simulate: (simulateOptions) => simulateEvent({ ...simulateOptions, to: simulateOptions.to ?? url }),
    forwardsSettled: () => forwarder.idle(),
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        // Events already stored are answered first (their write is batched to the end of this loop turn).
        await new Promise((resolve) => setImmediate(resolve));
        server.closeAllConnections();
        connections.close();
        await Promise.all([stopped, forwarder.close()]);
        if (ownsStore) store.close();
      })();
      return closing;
    },
  };
}

/** 413 without storing anything. The connection is closed after the answer; what is still arriving is discarded. */
function rejectTooLarge(req: http.IncomingMessage, res: http.ServerResponse, limit: number): void {
  req.resume();
  res.setHeader('Connection', 'close');
  answerText(res, 413, `The body is larger than the receiver's limit of ${limit} bytes; nothing was stored.\n`);
}

function answerText(res: http.ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
}

/** The stored form of the request path. */
const STORED_PATH = RECEIVER_PATH_PREFIX + '{secret}';

function ignore(): void {}

let isoMillis = Number.NaN;
let isoText = '';

/** `new Date().toISOString()`, formatted once per millisecond (a burst receives several requests in one). */
function isoNow(): string {
  const now = Date.now();
  if (now !== isoMillis) {
    isoMillis = now;
    isoText = new Date(now).toISOString();
  }
  return isoText;
}

interface RequestHead {
  contentType: string;
  contentLength: number;
  simulated: boolean;
  forwarded: boolean;
}

/** One pass over the raw headers (cheaper than letting Node build `req.headers` as well). */
function scanHeaders(raw: string[]): RequestHead {
  const head: RequestHead = { contentType: '', contentLength: 0, simulated: false, forwarded: false };
  let seenType = false;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i];
    const value = raw[i + 1];
    if (name.length === 12 && !seenType && name.toLowerCase() === 'content-type') {
      head.contentType = value; // like Node's req.headers: the first one counts
      seenType = true;
    } else if (name.length === 14 && name.toLowerCase() === 'content-length') {
      head.contentLength = Number(value) || 0;
    } else if (name.length === SIMULATED_HEADER.length && name.toLowerCase() === SIMULATED_HEADER) {
      head.simulated = value === SIMULATE_NONCE;
    } else if (name.length === FORWARDED_HEADER.length && name.toLowerCase() === FORWARDED_HEADER) {
      head.forwarded = true;
    }
  }
  return head;
}

function checkStatus(value: number): number {
  if (!Number.isInteger(value) || value < 200 || value > 599) {
    throw new RangeError(`The receiver's answer status must be 200–599, got ${value}.`);
  }
  return value;
}

function checkTarget(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error(`Not a valid URL: ${value}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`Only http and https URLs can be targets, got ${value}`);
  return value;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '0.0.0.0', '::', '']);

/** Refuses a forward target that is this receiver itself (one delivery would come back forever). */
function refuseSelf(target: string | undefined, host: string, port: number): string | undefined {
  if (target === undefined) return undefined;
  const url = new URL(target);
  const targetHost = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const targetPort = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const local = LOCAL_HOSTS.has(targetHost) || targetHost.endsWith('.localhost') || /^127\./.test(targetHost)
    || targetHost === host.toLowerCase();
  if (local && targetPort === port) {
    throw new Error(`The forward target ${target} is this receiver itself; every event would be forwarded back to it forever.`);
  }
  return target;
}

// ---------------------------------------------------------------------------------------------------------------
// Connections

/** What the receiver tracks on each socket (plain properties: cheaper than maps on the hot path). */
interface TrackedSocket extends Socket {
  /** Requests whose answers are not finished yet. */
  [kBusy]?: number;
  /** The latest request parsed on it (HTTP/1.1 answers in order, so it is the one an answer may still be owed to). */
  [kLatest]?: http.IncomingMessage;
  /** The parser failed while an answer was owed: close once it is sent. */
  [kCloseAfterAnswer]?: boolean;
}
const kBusy = Symbol('busy');
const kLatest = Symbol('latest request');
const kCloseAfterAnswer = Symbol('close after answer');

function isBusy(socket: Socket): boolean {
  return ((socket as TrackedSocket)[kBusy] ?? 0) > 0;
}

function markBusy(req: http.IncomingMessage): void {
  const socket = req.socket as TrackedSocket;
  socket[kBusy] = (socket[kBusy] ?? 0) + 1;
  socket[kLatest] = req;
}

function markDone(socket: Socket): void {
  const tracked = socket as TrackedSocket;
  const left = (tracked[kBusy] ?? 1) - 1;
  tracked[kBusy] = left;
  if (left <= 0) {
    tracked[kLatest] = undefined;
    if (tracked[kCloseAfterAnswer] === true) socket.destroySoon();
  }
}

/** True when a request on `socket` has fully arrived and its answer is still to be sent. */
function answerOwed(socket: Socket): boolean {
  const tracked = socket as TrackedSocket;
  return isBusy(socket) && tracked[kLatest]?.complete === true;
}

/**
 * Bytes the parser cannot read. When they follow a complete request whose answer is still owed (stored, waiting for
 * its history write), that answer is sent first and the connection closed after it: an event is stored only when
 * answered (a 400 here would make the sender retry a delivery already kept). Otherwise Node's own 400.
 */
function onClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (answerOwed(socket)) {
    (socket as TrackedSocket)[kCloseAfterAnswer] = true;
    return;
  }
  // Like Node's default: an answer only where none was written yet on this connection.
  if (socket.writable && socket.bytesWritten === 0 && error.code !== 'ECONNRESET') {
    const code = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    socket.end(`HTTP/1.1 ${code} ${http.STATUS_CODES[code]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }
  socket.destroySoon();
}

/**
 * Keeps the number of open sockets at or under `max` without locking deliveries out: a new socket beyond it evicts
 * the oldest one that has no request in progress, and a socket that has sent nothing `silentMs` after it opened is
 * closed by a sweep (one that sent part of a request is judged by the headers/request timeouts; an idle keep-alive
 * one by the keep-alive timeout). Node's own `maxConnections` would instead refuse the newcomer, so 1,024 idle
 * sockets from anyone (no secret needed) would stop every delivery.
 */
class ConnectionRoom {
  /** Open sockets by the time they opened; Map order = oldest first. */
  private readonly openedAt = new Map<Socket, number>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly max: number, private readonly silentMs: number) {
    this.sweeper = setInterval(() => this.sweep(), Math.max(50, Math.floor(silentMs / 2)));
    this.sweeper.unref();
  }

  admit(socket: Socket): void {
    if (this.openedAt.size >= this.max && !this.evictOneIdle()) {
      socket.destroy(); // every socket is in the middle of a request: refused, like Node's maxConnections
      return;
    }
    this.openedAt.set(socket, performance.now());
    socket.once('close', () => this.openedAt.delete(socket));
  }

  close(): void {
    clearInterval(this.sweeper);
    this.openedAt.clear();
  }

  private evictOneIdle(): boolean {
    for (const socket of this.openedAt.keys()) {
      if (!isBusy(socket)) {
        this.openedAt.delete(socket);
        socket.destroy();
        return true;
      }
    }
    return false;
  }

  private sweep(): void {
    const cutoff = performance.now() - this.silentMs;
    for (const [socket, at] of this.openedAt) {
      if (at > cutoff) break; // the rest are newer
      if (socket.bytesRead === 0) {
        this.openedAt.delete(socket);
        socket.destroy();
      }
    }
  }
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
