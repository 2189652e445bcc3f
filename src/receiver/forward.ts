// Forward (every accepted event, after the ack, to a target URL) and replay (one stored event, on demand).
// Both send the exact stored bytes with the original headers minus hop-by-hop ones, like the Stripe CLI and
// unlike smee-client, which re-serialises the body and forces a JSON content type.
import { bodyBytes } from './event';
import { resendHeaders, sendHttp, type OutboundResult } from './outbound';
import type { Disposable, EventStore } from './store';
import type { ForwardResult, ReceivedEvent } from './types';

/**
 * Added to every forwarded or replayed request. A receiver of this project that gets a request carrying it stores and
 * answers it but never forwards it again, so two receivers forwarding to each other cannot loop.
 */
export const FORWARDED_HEADER = 'x-penpot-integrations-forwarded';

export interface ForwarderOptions {
  store: EventStore;
  /** Where to forward; undefined = forwarding off. Can be changed at run time through `target`. */
  target?: string;
  timeoutMs?: number;
  /** Forwards in flight at once. Default 4. */
  concurrency?: number;
  /** Events waiting beyond those in flight; further ones are recorded as not forwarded. Default 1,000. */
  maxQueue?: number;
}

export interface ReplayOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Sends a stored event's bytes and headers to `url` and returns what the target answered. */
export function replayEvent(event: ReceivedEvent, url: string, options: ReplayOptions = {}): Promise<OutboundResult> {
  return sendHttp({
    url,
    method: event.method,
    headers: [...resendHeaders(event), [FORWARDED_HEADER, '1']],
    body: bodyBytes(event),
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  });
}

/**
 * Forwards events off the request path: `enqueue` returns at once, the result lands on the event as `forward`
 * (through `store.recordForward`, so listeners see an 'updated' change). A slow or dead target never delays acks.
 */
export class Forwarder {
  target: string | undefined;
  private readonly store: EventStore;
  private readonly timeoutMs: number | undefined;
  private readonly concurrency: number;
  private readonly maxQueue: number;
  private readonly queue: { event: ReceivedEvent; target: string }[] = [];
  private readonly stop = new AbortController();
  private readonly resultListeners = new Set<(event: ReceivedEvent, result: ForwardResult) => void>();
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(options: ForwarderOptions) {
    this.store = options.store;
    this.target = options.target;
    this.timeoutMs = options.timeoutMs;
    this.concurrency = options.concurrency ?? 4;
    this.maxQueue = options.maxQueue ?? 1000;
  }

  /** Queues `event` for the current target (no-op when forwarding is off or the forwarder is closed). */
  enqueue(event: ReceivedEvent): void {
    const target = this.target;
    if (target === undefined || this.stop.signal.aborted) return;
    if (this.queue.length >= this.maxQueue) {
      this.finish(event, {
        target, ms: 0, at: new Date().toISOString(),
        error: `Not forwarded: ${this.maxQueue} events were already waiting for the target`,
      });
      return;
    }
    this.queue.push({ event, target });
    this.pump();
  }

  /**
   * Every forward outcome, including those the store can no longer record (event evicted meanwhile) and those
   * cancelled by `close` (error "Cancelled").
   */
  onResult(listener: (event: ReceivedEvent, result: ForwardResult) => void): Disposable {
    this.resultListeners.add(listener);
    return { dispose: () => { this.resultListeners.delete(listener); } };
  }

  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops the queue and cancels forwards in flight (their results reach `onResult` only, not the store). */
  close(): Promise<void> {
    this.queue.length = 0;
    this.stop.abort();
    return this.idle();
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      void replayEvent(job.event, job.target, { timeoutMs: this.timeoutMs, signal: this.stop.signal })
        .then((result) => this.finish(job.event, result))
        .finally(() => {
          this.running--;
          this.pump();
          if (this.running === 0 && this.queue.length === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
        });
    }
  }

  private finish(event: ReceivedEvent, result: ForwardResult): void {
    // After close the store may be closed too: the outcome then only goes to the listeners.
    if (!this.stop.signal.aborted) {
      try {
        this.store.recordForward(event.id, result);
      } catch {
        // the store was closed under a running receiver: there is nowhere left to record it
      }
    }
    for (const listener of [...this.resultListeners]) {
      try {
        listener(event, result);
      } catch {
        // a listener's failure must not stop the queue
      }
    }
  }
}
