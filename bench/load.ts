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
  /** Per-request response times in ms, when collected. */
  times: number[];
}

export function load(url: string, options: Omit<autocannon.Options, 'url' | 'requests'>, deliveries: Delivery[], collectTimes = false): Promise<LoadResult> {
  const pathname = new URL(url).pathname;
  const requests = deliveries.map((r) => ({ ...r, path: pathname }));
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    const instance = autocannon({ url, requests, timeout: 10, ...options }, (error, result) => {
      if (error) reject(error); else resolve({ result, times });
    });
    if (collectTimes) instance.on('response', (_client, _status, _bytes, ms) => { times.push(ms); });
  });
}
