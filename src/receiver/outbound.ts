// The one outbound HTTP helper shared by forward, replay, simulate and the CLI's `trigger`: undici with a
// deadline, never throws, and reports what a person needs (status, time, the start of the answer).
import { request, type Dispatcher } from 'undici';
import { errorMessage } from '../common/errors';
import type { ForwardResult, ReceivedEvent } from './types';

export const DEFAULT_OUTBOUND_TIMEOUT_MS = 10_000;
/** How much of a target's answer is kept on the event (the rest is discarded). */
export const FORWARD_BODY_LIMIT = 64 * 1024;

/**
 * Headers that describe one connection rather than the message (RFC 9110 §7.6.1), plus the ones the
 * outbound client must compute itself (`host`, `content-length`). `http2-settings`/`upgrade` come with
 * Penpot's JDK client (§4.1 step 4).
 */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'http2-settings', 'expect', 'host', 'content-length',
]);

export interface OutboundRequest {
  url: string;
  /** Default POST. */
  method?: string;
  /** Pairs in sending order; a name may repeat. */
  headers?: [string, string][];
  body?: Uint8Array | string;
  /** Deadline for the whole exchange: connect, answer and the kept part of its body. */
  timeoutMs?: number;
  /** Bytes of the answer kept as `body`; default 64 KiB. */
  maxResponseBytes?: number;
  /** Cancels the exchange early (e.g. the receiver is closing). */
  signal?: AbortSignal;
  dispatcher?: Dispatcher;
}

/** Same shape as the `forward` record kept on an event. */
export type OutboundResult = ForwardResult;

/** Sends one request. Never throws: an unreachable target or a timeout comes back as `error`. */
export async function sendHttp(req: OutboundRequest): Promise<OutboundResult> {
  const at = new Date().toISOString();
  const started = performance.now();
  const timeoutMs = req.timeoutMs ?? DEFAULT_OUTBOUND_TIMEOUT_MS;
  const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
  let url: URL;
  try {
    url = new URL(req.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported scheme ${url.protocol}`);
  } catch (error) {
    return { target: req.url, ms: 0, error: `Invalid target URL: ${errorMessage(error)}`, at };
  }
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = req.signal ? AbortSignal.any([deadline, req.signal]) : deadline;
  try {
    const answer = await request(url, {
      method: (req.method ?? 'POST'),
      headers: req.headers?.flat(),
      body: req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : Buffer.from(req.body),
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      dispatcher: req.dispatcher,
    });
    const { text, truncated } = await readPrefix(answer.body, req.maxResponseBytes ?? FORWARD_BODY_LIMIT);
    const result: OutboundResult = { target: req.url, status: answer.statusCode, ms: elapsed(), at };
    if (text.length > 0) result.body = text;
    if (truncated) result.bodyTruncated = true;
    return result;
  } catch (error) {
    const reason = req.signal?.aborted ? 'Cancelled' : describeFailure(error, deadline, timeoutMs);
    return { target: req.url, ms: elapsed(), error: reason, at };
  }
}

/** Not resent: the marks only this project's own sends carry (simulate's nonce, the forwarded mark). */
const PROJECT_MARK_HEADERS: ReadonlySet<string> = new Set(['x-penpot-integrations-simulated', 'x-penpot-integrations-forwarded']);

/**
 * The stored headers worth sending again: everything but hop-by-hop ones, those named in `Connection` and the
 * project's own marks.
 */
export function resendHeaders(event: Pick<ReceivedEvent, 'headers'>): [string, string][] {
  const named = new Set<string>();
  for (const [name, value] of event.headers) {
    if (name.toLowerCase() === 'connection') {
      for (const token of value.split(',')) named.add(token.trim().toLowerCase());
    }
  }
  return event.headers.filter(([name]) => {
    const lower = name.toLowerCase();
    return !HOP_BY_HOP_HEADERS.has(lower) && !named.has(lower) && !PROJECT_MARK_HEADERS.has(lower);
  });
}

async function readPrefix(body: Dispatcher.ResponseData['body'], limit: number): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let truncated = false;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const room = limit - kept;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      kept = limit;
      truncated = true;
      break;
    }
    chunks.push(chunk);
    kept += chunk.length;
  }
  if (truncated) body.destroy(); // stop reading the rest; the connection is dropped rather than drained
  return { text: Buffer.concat(chunks).toString('utf8'), truncated };
}

function describeFailure(error: unknown, deadline: AbortSignal, timeoutMs: number): string {
  if (deadline.aborted || isCode(error, 'UND_ERR_HEADERS_TIMEOUT') || isCode(error, 'UND_ERR_BODY_TIMEOUT')
    || isCode(error, 'UND_ERR_CONNECT_TIMEOUT')) {
    return `Timed out after ${timeoutMs} ms`;
  }
  const code = errorCode(error);
  switch (code) {
    case 'ECONNREFUSED': return 'Connection refused (nothing listens at the target)';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'Host not found';
    case 'ECONNRESET': case 'UND_ERR_SOCKET': return 'The target closed the connection';
    default: return code ? `${errorMessage(error)} (${code})` : errorMessage(error);
  }
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && !code.startsWith('UND_ERR_')) return code;
    if (typeof code === 'string' && current.cause === undefined) return code;
    current = current.cause;
  }
  return undefined;
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
