// Full decodes of large bodies, off the event loop that answers Penpot: a small pool of worker threads, each bounded
// in time (a deadline, after which the worker is stopped) and in memory (V8 heap limits on the worker). A decode that
// fails either way gives a `decodeError`, never an exception; the raw body stays stored. Small bodies are decoded
// in place: a worker round trip costs more than their decode.
//
// This file is also the worker's entry: bundled on its own as dist/decodeWorker.js (esbuild.js), next to the CLI's
// and the extension's bundles, which start it from there.
import * as path from 'node:path';
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { toPlainJson } from '../transit';
import { decodeBody, messageOf, type DecodedBody } from './decode';
import { bodyBytes } from './event';
import { recognizeShape, type ShapeLabel } from './shape';
import type { DecodedPayload, EventSummary, PayloadFormat, ReceivedEvent } from './types';

/**
 * Bodies up to this size are decoded on the caller's thread. Measured: 64 KiB of deeply nested Transit decodes in
 * about 3 ms (and stringifies in 1 ms), under the cost of starting a worker and copying the body and the result;
 * 5 MiB takes 300 ms to a few seconds, which the event loop must not wait for.
 */
export const IN_PLACE_DECODE_BYTES = 64 * 1024;

/**
 * A decode still running after this long is stopped (the worker is terminated and replaced). 5 MiB of Transit nested
 * 998 deep, the worst input within the body and nesting limits, decoded in 0.3 to 1 s on 2 cores shared with other
 * work; the margin is for slower machines.
 */
export const DECODE_DEADLINE_MS = 15_000;

/**
 * The V8 heap (old generation) of a decode worker, in MiB. Measured: the largest body within the limits (5 MiB of
 * Transit nested 998 deep) decodes, as a tree or as JSON text, in 48 MiB; 32 MiB is too little. A body that needs
 * more than this is refused as too large to decode.
 */
export const DECODE_WORKER_HEAP_MB = 128;

/** An idle worker is stopped after this long, so the memory of its last decode goes back to the system. */
export const DECODE_WORKER_IDLE_MS = 10_000;

export function decodeTooSlow(deadlineMs: number): string {
  return `The payload took too long to decode (over ${deadlineMs / 1000} s); the raw body is kept.`;
}
export const DECODE_TOO_LARGE = 'The payload is too large to decode in the memory allowed; the raw body is kept.';

/** What `decodeTextAsync` gives: the list fields, the shape label, and the decoded payload as JSON text. */
export interface DecodedText {
  format: PayloadFormat;
  decodeError?: string;
  summary: EventSummary;
  shape: ShapeLabel;
  /** JSON text of the DecodedPayload (`form: 'payload'`) or of its plain JSON value (`'plain'`); absent when not decoded. */
  text?: string;
}

export interface KnownListFields {
  /** The event's list fields, already derived: a decode that fails then needs no second read of the body. */
  listFields?: Pick<DecodedBody, 'format' | 'summary'>;
}

export interface DecodeTextOptions extends KnownListFields {
  /** 'payload' (default): `{"kind":…,"value":…}` as `listen --json` prints it; 'plain': the value as plain JSON (Transit types flattened). */
  form?: 'payload' | 'plain';
  /** JSON.stringify's indent (the editor's tab size, or '\t'). */
  indent?: number | string;
}

export interface DecodePoolOptions {
  /** Default: one less than the cores, at least 1, at most 2 (the event loop keeps a core). */
  workers?: number;
  deadlineMs?: number;
  heapMb?: number;
  idleMs?: number;
  /** Bodies up to this size are decoded on the caller's thread. */
  inPlaceBytes?: number;
}

type Job = ({ kind: 'tree' } | { kind: 'text'; form: 'payload' | 'plain'; indent?: number | string })
  & { body: Uint8Array; contentType: string } & KnownListFields;

interface Pending {
  job: Job;
  settle(result: DecodedBody | DecodedText): void;
}

interface Slot {
  worker: Worker;
  busy?: Pending;
  deadline?: NodeJS.Timeout;
  idle?: NodeJS.Timeout;
}

const WORKER_ROLE = 'penpot-integrations-decode';

/** Runs decodes in worker threads; `close` stops them. One shared pool: `sharedDecodePool()`. */
export class DecodePool {
  private readonly size: number;
  private readonly deadlineMs: number;
  private readonly heapMb: number;
  private readonly idleMs: number;
  private readonly inPlaceBytes: number;
  private readonly queue: Pending[] = [];
  private readonly slots = new Set<Slot>();
  private closed = false;

  constructor(options: DecodePoolOptions = {}) {
    this.size = options.workers ?? Math.min(2, Math.max(1, availableParallelism() - 1));
    this.deadlineMs = options.deadlineMs ?? DECODE_DEADLINE_MS;
    this.heapMb = options.heapMb ?? DECODE_WORKER_HEAP_MB;
    this.idleMs = options.idleMs ?? DECODE_WORKER_IDLE_MS;
    this.inPlaceBytes = options.inPlaceBytes ?? IN_PLACE_DECODE_BYTES;
  }

  /** The body decoded in full, like `decodeBody`, without blocking the event loop on a large one. */
  decode(body: Uint8Array, contentType: string, options: KnownListFields = {}): Promise<DecodedBody> {
    const job: Job = { kind: 'tree', body, contentType, listFields: options.listFields };
    return body.length <= this.inPlaceBytes ? Promise.resolve(runJob(job) as DecodedBody) : this.submit(job);
  }

  /**
   * The decoded payload as JSON text, made in the worker: the caller never holds the decoded tree, only one string
   * (the lighter choice for printing, copying, exporting or searching a large payload).
   */
  decodeText(body: Uint8Array, contentType: string, options: DecodeTextOptions = {}): Promise<DecodedText> {
    const job: Job = {
      kind: 'text', body, contentType, form: options.form ?? 'payload', indent: options.indent, listFields: options.listFields,
    };
    return body.length <= this.inPlaceBytes ? Promise.resolve(runJob(job) as DecodedText) : this.submit(job) as Promise<DecodedText>;
  }

  /** Stops the workers; decodes waiting or running are settled with a decode error. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.settle(failure(pending.job, 'The decoder was stopped.'));
    await Promise.all([...this.slots].map((slot) => this.retire(slot, 'The decoder was stopped.')));
  }

  private submit(job: Job): Promise<DecodedBody | DecodedText> {
    if (this.closed) return Promise.resolve(failure(job, 'The decoder was stopped.'));
    return new Promise((resolve) => {
      this.queue.push({ job, settle: resolve });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = [...this.slots].find((s) => s.busy === undefined);
      if (slot === undefined && this.slots.size < this.size) slot = this.spawn();
      if (slot === undefined) return;
      const pending = this.queue.shift()!;
      clearTimeout(slot.idle);
      slot.busy = pending;
      slot.worker.ref();
      const busySlot = slot;
      slot.deadline = setTimeout(() => { void this.retire(busySlot, decodeTooSlow(this.deadlineMs)); }, this.deadlineMs);
      // The worker gets its own copy, moved rather than cloned; the caller's bytes may be a view into a larger buffer.
      const body = new Uint8Array(pending.job.body);
      slot.worker.postMessage({ ...pending.job, body, listFields: undefined }, [body.buffer]);
    }
  }

  private spawn(): Slot {
    const worker = startWorker(this.heapMb);
    const slot: Slot = { worker };
    this.slots.add(slot);
    worker.on('message', (result: DecodedBody | DecodedText) => {
      const pending = slot.busy;
      clearTimeout(slot.deadline);
      slot.busy = undefined;
      // An idle worker must not keep the process alive, and goes away after a while.
      worker.unref();
      slot.idle = setTimeout(() => { void this.retire(slot, 'idle'); }, this.idleMs);
      slot.idle.unref();
      pending?.settle(result);
      this.pump();
    });
    worker.on('error', (error: Error & { code?: string }) => {
      void this.retire(slot, error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? DECODE_TOO_LARGE : `The decoder failed: ${messageOf(error)}`);
    });
    worker.on('exit', () => { void this.retire(slot, 'The decoder stopped unexpectedly.'); });
    return slot;
  }

  /** Takes `slot` out of the pool, settles its decode (if any) with `reason`, and lets the queue go on. */
  private async retire(slot: Slot, reason: string): Promise<void> {
    if (!this.slots.delete(slot)) return;
    clearTimeout(slot.deadline);
    clearTimeout(slot.idle);
    const pending = slot.busy;
    slot.busy = undefined;
    pending?.settle(failure(pending.job, reason));
    if (!this.closed) this.pump();
    await slot.worker.terminate();
  }
}

type AsyncDecodable = Pick<ReceivedEvent, 'bodyBase64' | 'contentType' | 'format' | 'summary'>;

let shared: DecodePool | undefined;

/** The process's decode pool, made on first use; its workers stop when idle, so it needs no closing. */
export function sharedDecodePool(): DecodePool {
  shared ??= new DecodePool();
  return shared;
}

/** The full decode of a stored event, off the event loop when its body is large (for the viewer's detail and exports). */
export async function decodeAsync(event: AsyncDecodable): Promise<DecodedBody> {
  return sharedDecodePool().decode(bodyBytes(event), event.contentType, { listFields: event });
}

/** `event.decoded`, off the event loop when its body is large. */
export async function decodedAsync(event: AsyncDecodable): Promise<DecodedPayload | undefined> {
  return (await decodeAsync(event)).decoded;
}

/** An event's decoded payload as JSON text (see DecodePool.decodeText), off the event loop when its body is large. */
export function decodeTextAsync(event: AsyncDecodable, options: DecodeTextOptions = {}): Promise<DecodedText> {
  return sharedDecodePool().decodeText(bodyBytes(event), event.contentType, { listFields: event, ...options });
}

function runJob(job: Job): DecodedBody | DecodedText {
  const result = decodeBody(job.body, job.contentType);
  if (job.kind === 'tree') return result;
  const { format, decodeError, summary, decoded } = result;
  const text = decoded === undefined ? undefined : JSON.stringify(
    job.form === 'plain' ? plainValue(decoded) : decoded, null, job.indent,
  );
  return {
    format, summary, shape: recognizeShape(decoded),
    ...(decodeError === undefined ? {} : { decodeError }),
    ...(text === undefined ? {} : { text }),
  };
}

function plainValue(decoded: DecodedPayload): unknown {
  return decoded.kind === 'json' ? decoded.value : toPlainJson(decoded.value);
}

/** A decode that did not finish: the list fields come from the cheap read the receiver already made. */
function failure(job: Job, reason: string): DecodedBody | DecodedText {
  const { format, summary } = job.listFields ?? decodeBody(job.body, job.contentType, true);
  return job.kind === 'tree' ? { format, summary, decodeError: reason } : { format, summary, decodeError: reason, shape: 'unknown' };
}

function startWorker(heapMb: number): Worker {
  const options = {
    workerData: { role: WORKER_ROLE },
    resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: Math.min(32, Math.max(4, heapMb / 8)) },
    stdout: false,
    stderr: false,
  };
  // Run from source (the unit tests, through tsx), this file is TypeScript: the worker registers tsx first. The
  // bundles (dist/cli.js, dist/extension.js) load dist/decodeWorker.js next to them.
  if (__filename.endsWith('.ts')) {
    return new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, { ...options, eval: true });
  }
  return new Worker(path.join(__dirname, 'decodeWorker.js'), options);
}

function serveDecodes(): void {
  parentPort!.on('message', (job: Job) => {
    let result: DecodedBody | DecodedText;
    try {
      result = runJob(job);
    } catch (error) {
      // decodeBody does not throw; a RangeError (stack, string length) while stringifying still must not kill the worker.
      result = failure(job, `The payload could not be decoded: ${messageOf(error)}`);
    }
    parentPort!.postMessage(result);
  });
}

if (!isMainThread && (workerData as { role?: unknown } | null)?.role === WORKER_ROLE) serveDecodes();
