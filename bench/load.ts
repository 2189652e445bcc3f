// The load generator shared by the benchmarks (bench/run.ts, bench/profile.ts): autocannon over loopback with
// typical Penpot deliveries.
import autocannon from 'autocannon';
import { PENPOT_EVENTS, buildPenpotEvent, encodePenpotEvent } from '../src/penpot/events';

export interface Delivery {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** One typical delivery per Penpot event, half JSON, half Transit, as Penpot writes them (§4.1 step 4). */
export function typicalRequests(): Delivery[] {
  const now = new Date('2026-07-24T12:08:41.650Z');
  return PENPOT_EVENTS.flatMap((info) => (['json', 'transit'] as const).map((format) => {
    const { body, contentType } = encodePenpotEvent(buildPenpotEvent(info.name, { now }), format);
    return { method: 'POST', path: '', headers: { 'content-type': contentType, 'user-agent': 'penpot/2.17' }, body };
  }));
}

export interface LoadResult {
  result: autocannon.Result;
}

export function load(url: string, options: Omit<autocannon.Options, 'url' | 'requests'>, deliveries: Delivery[]): Promise<LoadResult> {
  const pathname = new URL(url).pathname;
  const requests = deliveries.map((r) => ({ ...r, path: pathname }));
  return new Promise((resolve, reject) => {
    autocannon({ url, requests, timeout: 10, ...options }, (error, result) => {
      if (error) reject(error); else resolve({ result });
    });
  });
}

export interface PacedResult {
  /** Per-request ack times in ms, from the moment the request was due to its answer's end. */
  times: number[];
  /** Non-2xx answers and transport errors. */
  failures: number;
  /** Requests answered per second over the run. */
  achievedRate: number;
  /** How late this process's timer sent each request (ms): the load generator's own share of the times. */
  senderLagsMs: number[];
}

/**
 * An open-loop load at an even `rate`: request i is due at start + i / rate and is handed to a pool of
 * `connections` keep-alive connections then (queued there while every connection is busy). autocannon's
 * `overallRate` cannot measure this: each of its connections sends its quota for the second back to back when the
 * second starts, then waits (lib/httpClient.js resets `reqsMadeThisSecond` every 1,000 ms), so its "2,000 req/s"
 * is a burst of 2,000 requests at full concurrency each second, and its p99 is that burst's queueing.
 * The time counts from when a request was due, so a late timer or a full pool counts against the server measured
 * (no coordinated omission); `senderLagsMs` says how much of it was this process.
 */
export async function pacedLoad(
  url: string, options: { rate: number; seconds: number; connections: number }, deliveries: Delivery[],
): Promise<PacedResult> {
  const { Pool } = await import('undici');
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: options.connections, pipelining: 1 });
  const total = Math.round(options.rate * options.seconds);
  const times: number[] = [];
  const lags: number[] = [];
  let failures = 0;
  let sent = 0;
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  const dueAt = (index: number): number => start + (index * 1000) / options.rate;
  const sendOne = (due: number): void => {
    const delivery = deliveries[sent % deliveries.length];
    sent++;
    lags.push(performance.now() - due);
    inFlight.push(pool.request({ path: target.pathname, method: 'POST', headers: delivery.headers, body: delivery.body })
      .then(async ({ statusCode, body }) => {
        await body.dump();
        times.push(performance.now() - due);
        if (statusCode < 200 || statusCode > 299) failures++;
      }, () => { failures++; }));
  };
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      while (sent < total && dueAt(sent) <= now) sendOne(dueAt(sent));
      if (sent < total) setTimeout(tick, 1); else resolve();
    };
    tick();
  });
  await Promise.all(inFlight);
  const elapsedSeconds = (performance.now() - start) / 1000;
  await pool.close();
  return { times, failures, achievedRate: (total - failures) / elapsedSeconds, senderLagsMs: lags };
}
