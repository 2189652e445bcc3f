// The store's memory at 100,000 events: heap and RSS above an empty store after the ring is filled with typical
// JSON+Transit deliveries of about 1 KiB, through the receiver's own way in (`addReceived`, batched per event-loop
// turn) with a listener that reads every event's list fields, as the extension does. Run in a child process with
// --expose-gc, so that nothing else shares its heap. `npx tsx bench/store-memory.ts child <file>` is that child.
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventStore } from '../src/receiver';
import { typicalRequests } from './load';
import type { BenchFigure } from './types';

const EVENTS = 100_000;
const BODY_BYTES = 1024;
const HEAP_GOAL_MIB = 64;

interface Measured { events: number; heapBytes: number; rssBytes: number; bodyBytes: number; seconds: number }

export async function benchStoreMemory(details: Record<string, unknown>): Promise<BenchFigure> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'penpot-store-memory-'));
  try {
    const child = fork(__filename, ['child', path.join(dir, 'history.jsonl')], { execArgv: ['--import', 'tsx', '--expose-gc'] });
    const measured = await new Promise<Measured>((resolve, reject) => {
      child.once('message', (m: Measured) => resolve(m));
      child.once('exit', (code) => reject(new Error(`store memory child exited (${code})`)));
    });
    details.storeMemory = measured;
    const mib = (bytes: number): number => Math.round(bytes / 1024 ** 2 * 10) / 10;
    return {
      name: `Store memory at ${measured.events.toLocaleString('en')} events of ${measured.bodyBytes} bytes (history on, list fields derived; RSS +${mib(measured.rssBytes)} MiB)`,
      value: mib(measured.heapBytes), unit: 'MiB',
      goal: `heap ≤ ${HEAP_GOAL_MIB} MiB above an empty store (issue 13's extension-host goal at 100k)`,
      pass: measured.events === EVENTS && mib(measured.heapBytes) <= HEAP_GOAL_MIB,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Typical deliveries padded to BODY_BYTES: a JSON one gets a padding property; Transit ones are used as they are. */
function deliveries(): { contentType: string; body: Buffer }[] {
  return typicalRequests().map((r) => {
    let body = r.body;
    if (r.headers['content-type'].includes('json') && !r.headers['content-type'].includes('transit') && body.length < BODY_BYTES) {
      const parsed = JSON.parse(body) as Record<string, unknown>;
      parsed.padding = 'x'.repeat(BODY_BYTES - body.length - 14);
      body = JSON.stringify(parsed);
    }
    return { contentType: r.headers['content-type'], body: Buffer.from(body) };
  });
}

async function child(file: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const settle = (): NodeJS.MemoryUsage => { for (let i = 0; i < 3; i++) gc(); return process.memoryUsage(); };
  const requests = deliveries();
  const store = EventStore.open({ file, capacity: EVENTS, maxBytes: 1024 ** 3 });
  let listed = 0;
  store.onEvent((event) => { if (event.summary.eventName !== undefined) listed++; });
  const before = settle();
  const started = performance.now();
  let bodyBytes = 0;
  for (let i = 0; i < EVENTS; i++) {
    const { contentType, body } = requests[i % requests.length];
    bodyBytes += body.length;
    store.addReceived({
      receivedAt: new Date().toISOString(), method: 'POST', path: '/hooks/{secret}', remoteAddress: '127.0.0.1',
      rawHeaders: ['Host', '127.0.0.1:8787', 'Content-Type', contentType, 'User-Agent', 'penpot/2.17', 'Content-Length', String(body.length)],
      contentType, body: Buffer.from(body), responseStatus: 204, simulated: false,
    }, () => undefined);
    if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve)); // a turn of the event loop per 100, as under load
  }
  await new Promise((resolve) => setImmediate(resolve));
  const seconds = (performance.now() - started) / 1000;
  const after = settle();
  if (listed === 0) throw new Error('the listener saw no Penpot event');
  const measured: Measured = {
    events: store.size, heapBytes: after.heapUsed - before.heapUsed, rssBytes: after.rss - before.rss,
    bodyBytes: Math.round(bodyBytes / EVENTS), seconds: Math.round(seconds * 10) / 10,
  };
  store.close();
  process.send?.(measured);
}

if (process.argv[2] === 'child') void child(process.argv[3]);
