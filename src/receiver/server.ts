// The local webhook receiver: Node's `http` on 127.0.0.1 (by default), accepting only `/hooks/<secret>`.
// Penpot's rules it is shaped by: HEAD on create and on a URI change must get 200/204 within 3 s (§3.6);
// deliveries are POSTs with a 4 s timeout where only 200/204 count, and 3 failures disable the hook (§4.1).
// So the ack never waits for decoding, listeners, the viewer or a forward: it waits only for the raw request to be
// written to the history (src/receiver/store.ts), and the body is decoded right after it.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { messageOf } from './decode';
import { Forwarder, replayEvent } from './forward';
import type { OutboundResult } from './outbound';
import { pathMatchesSecret, RECEIVER_PATH_PREFIX, isValidReceiverSecret } from './secret';
import { RECEIVER_ID_HEADER, receiverIdFor } from './identity';
import { SIMULATED_HEADER, simulateEvent, type SimulateOptions, type SimulateResult } from './simulate';
import { EventStore, type Disposable, type StoreChange } from './store';
import type { ForwardResult, ReceivedEvent } from './types';

export const DEFAULT_RECEIVER_HOST = '127.0.0.1';
export const DEFAULT_RECEIVER_PORT = 8787;
export const DEFAULT_RESPONSE_STATUS = 204;
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 128;
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

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
  /** Open sockets; Node drops the rest. Default 1,024. */
  maxConnections?: number;
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
  const ownsStore = options.store === undefined;
  const store = options.store ?? EventStore.open();
  const forwarder = new Forwarder({ store, target: checkTarget(options.forwardTo), timeoutMs: options.forwardTimeoutMs });
  const expectedPath = Buffer.from(RECEIVER_PATH_PREFIX + options.secret, 'utf8');
  const receiverId = receiverIdFor(options.secret);
  let active = 0;
  const onResponseClosed = (): void => { active--; };

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
          forwarder.enqueue(event);
        });
      } catch (error) {
        // Only a store closed under a running receiver gets here; the sender must not believe it was kept.
        answerText(res, 503, `The receiver is shutting down; nothing was stored (${messageOf(error)}).\n`);
      }
    });
  });
  server.maxConnections = options.maxConnections ?? 1024;

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
  let closing: Promise<void> | undefined;

  return {
    url,
    host,
    port,
    store,
    get status() { return status; },
    set status(value: number) { status = checkStatus(value); },
    get forwardTo() { return forwarder.target; },
    set forwardTo(value: string | undefined) { forwarder.target = checkTarget(value); },
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
}

/** One pass over the raw headers (cheaper than letting Node build `req.headers` as well). */
function scanHeaders(raw: string[]): RequestHead {
  const head: RequestHead = { contentType: '', contentLength: 0, simulated: false };
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
      head.simulated = true;
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

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
