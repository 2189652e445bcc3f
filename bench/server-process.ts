// The server side of the receiver benchmarks, run in its own process so that the load generator and the server
// do not share one event loop: `bare` is a plain Node http server that reads the body and answers 204, `receiver`
// is the real receiver with a history file. Talks to bench/run.ts over the IPC channel.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { EventStore, generateReceiverSecret, startReceiver } from '../src/receiver';

type Request = { type: 'stats' } | { type: 'memory' } | { type: 'clear' } | { type: 'close' };

export interface ServerStats {
  /** Events the store accepted (receiver mode), or non-empty bodies read (bare mode). */
  accepted: number;
  kept: number;
  /** Events the BENCH_LISTENER listener saw with a Penpot event name. */
  listed: number;
  heapUsed: number;
  rss: number;
  /** CPU time used by the server process so far (user + system), in µs. */
  cpuMicros: number;
  /** Event-loop delay since the previous stats request (then reset), in ms: how long the server itself blocked. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();

let bodiesRead = 0;
let listed = 0;

async function main(): Promise<void> {
  const mode = process.argv[2];
  const reply = (message: unknown): void => { process.send?.(message); };
  if (mode === 'bare') {
    // Reads the body into one Buffer, as any receiver must before it can keep it; nothing more.
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => { chunks.push(chunk); });
      req.on('end', () => {
        const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        if (body.length > 0) bodiesRead++;
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    process.on('message', (message: Request) => {
      if (message.type === 'close') { server.closeAllConnections(); server.close(() => process.exit(0)); }
      else reply({ type: 'stats', ...stats(bodiesRead, 0) });
    });
    reply({ type: 'ready', url: `http://127.0.0.1:${port}/hooks/bare` });
    return;
  }
  const store = EventStore.open({
    file: process.env.BENCH_HISTORY_FILE || undefined,
    capacity: Number(process.env.BENCH_CAPACITY ?? 1000),
    maxBytes: Number(process.env.BENCH_MAX_BYTES ?? 256 * 1024 * 1024),
  });
  const receiver = await startReceiver({ secret: generateReceiverSecret(), port: 0, store });
  // BENCH_LISTENER=1: a listener that reads the summary of each event, like `listen`; =check: its contract check too,
  // like the viewer's list.
  const readCheck = process.env.BENCH_LISTENER === 'check';
  if (process.env.BENCH_LISTENER === '1' || readCheck) {
    store.onEvent((event) => { listed += event.summary.eventName === undefined || (readCheck && event.check === undefined) ? 0 : 1; });
  }
  process.on('message', (message: Request) => {
    if (message.type === 'close') {
      void receiver.close().then(() => { store.close(); process.exit(0); });
      return;
    }
    if (message.type === 'clear') store.clear();
    if (message.type === 'memory' || message.type === 'clear') collectGarbage();
    reply({ type: 'stats', ...stats(store.lastSeq, store.size) });
  });
  reply({ type: 'ready', url: receiver.url });
}

function stats(accepted: number, kept: number): ServerStats {
  const { heapUsed, rss } = process.memoryUsage();
  const cpu = process.cpuUsage();
  const delay = { loopDelayP99Ms: loopDelay.percentile(99) / 1e6, loopDelayMaxMs: loopDelay.max / 1e6 };
  loopDelay.reset();
  return { accepted, kept, listed, heapUsed, rss, cpuMicros: cpu.user + cpu.system, ...delay };
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) gc();
}

void main();
