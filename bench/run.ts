// `npm run bench`: the receiver's and the codec's speed and memory figures, written to bench/results/latest.json.
// Not a test: goals are reported (pass/fail per figure), never asserted. All traffic goes to 127.0.0.1, and every
// phase is bounded by a duration or a request count. About 1.5–2.5 minutes on 2 cores.
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PENPOT_EVENTS, buildPenpotEvent, encodePenpotEvent } from '../src/penpot/events';
import type { ServerStats } from './server-process';
import { benchTransitDecode } from './transit-decode';
import type { BenchFigure } from './types';

const THROUGHPUT_SECONDS = 6;
const THROUGHPUT_ROUNDS = 2;
const THROUGHPUT_CONNECTIONS = 10;
const BURST_REQUESTS = 100_000;
const BURST_CONNECTIONS = 50;
const LATENCY_RATE = 2000;
const LATENCY_SECONDS = 10;
const MEMORY_EVENTS = 1000;

interface ServerHandle {
  url: string;
  /** 'memory' collects garbage first; 'clear' empties the store, then collects garbage. */
  stats(kind?: 'stats' | 'memory' | 'clear'): Promise<ServerStats>;
  close(): Promise<void>;
}

const benchDir = __dirname;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'penpot-receiver-bench-'));

/** One typical delivery per Penpot event, half JSON, half Transit, as Penpot writes them (§4.1 step 4). */
function typicalRequests(): { method: string; path: string; headers: Record<string, string>; body: string }[] {
  const now = new Date('2026-07-24T12:08:41.650Z');
  return PENPOT_EVENTS.flatMap((info) => (['json', 'transit'] as const).map((format) => {
    const { body, contentType } = encodePenpotEvent(buildPenpotEvent(info.name, { now }), format);
    return { method: 'POST', path: '', headers: { 'content-type': contentType, 'user-agent': 'penpot/2.17' }, body };
  }));
}

async function startServer(mode: 'bare' | 'receiver', env: Record<string, string> = {}): Promise<ServerHandle> {
  const child: ChildProcess = fork(path.join(benchDir, 'server-process.ts'), [mode], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { type: string; url: string }) => resolve(m.url));
    child.once('exit', (code) => reject(new Error(`${mode} server exited (${code})`)));
  });
  return {
    url,
    stats: (kind = 'stats') => new Promise((resolve) => {
      child.once('message', (m: ServerStats) => resolve(m));
      child.send({ type: kind });
    }),
    close: () => new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => { clearTimeout(timer); resolve(); });
      child.send({ type: 'close' });
    }),
  };
}

interface LoadResult {
  result: autocannon.Result;
  /** Per-request response times in ms, when collected. */
  times: number[];
}

function load(url: string, options: Omit<autocannon.Options, 'url' | 'requests'>, collectTimes = false): Promise<LoadResult> {
  const pathname = new URL(url).pathname;
  const requests = typicalRequests().map((r) => ({ ...r, path: pathname }));
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    const instance = autocannon({ url, requests, timeout: 10, ...options }, (error, result) => {
      if (error) reject(error); else resolve({ result, times });
    });
    if (collectTimes) instance.on('response', (_client, _status, _bytes, ms) => { times.push(ms); });
  });
}

function rate(r: autocannon.Result): number {
  return r['2xx'] / r.duration;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

async function throughput(details: Record<string, unknown>): Promise<BenchFigure> {
  const bare = await startServer('bare');
  const receiver = await startServer('receiver', { BENCH_HISTORY_FILE: path.join(scratch, 'throughput.jsonl') });
  try {
    const options = { connections: THROUGHPUT_CONNECTIONS };
    await load(bare.url, { ...options, duration: 2 }); // warm-up, JIT
    await load(receiver.url, { ...options, duration: 2 });
    const bareRates: number[] = [];
    const receiverRates: number[] = [];
    let failures = 0;
    // Alternating rounds, so a noisy neighbour on the shared cores hits both sides alike.
    const bareCpu: number[] = [];
    const receiverCpu: number[] = [];
    /** Server CPU time per answered request, in µs: less sensitive than req/s to other load on the machine. */
    const run = async (server: ServerHandle, rates: number[], cpu: number[]): Promise<void> => {
      const before = await server.stats();
      const { result } = await load(server.url, { ...options, duration: THROUGHPUT_SECONDS });
      const after = await server.stats();
      rates.push(rate(result));
      cpu.push(round((after.cpuMicros - before.cpuMicros) / result['2xx'], 1));
      failures += result.non2xx + result.errors;
    };
    for (let round = 0; round < THROUGHPUT_ROUNDS; round++) {
      await run(bare, bareRates, bareCpu);
      await run(receiver, receiverRates, receiverCpu);
    }
    const value = receiverRates.reduce((a, b) => a + b) / receiverRates.length;
    const baseline = bareRates.reduce((a, b) => a + b) / bareRates.length;
    details.throughput = {
      bareRates: bareRates.map(Math.round), receiverRates: receiverRates.map(Math.round),
      bareServerCpuMicrosPerRequest: bareCpu, receiverServerCpuMicrosPerRequest: receiverCpu,
      failures, connections: THROUGHPUT_CONNECTIONS, secondsPerRound: THROUGHPUT_SECONDS,
    };
    const ratio = value / baseline;
    return {
      name: 'Receiver ingest throughput (typical JSON+Transit deliveries, history file on)',
      value: Math.round(value), unit: 'req/s', baseline: Math.round(baseline), ratio: round(ratio),
      goal: '≥ 0.8× a bare node:http server answering 204', pass: ratio >= 0.8 && failures === 0,
    };
  } finally {
    await Promise.all([bare.close(), receiver.close()]);
  }
}

async function burst(details: Record<string, unknown>): Promise<BenchFigure> {
  const history = path.join(scratch, 'burst.jsonl');
  // Capacity above the burst, so the kept count can be checked too, not only the accepted one.
  const server = await startServer('receiver', {
    BENCH_HISTORY_FILE: history, BENCH_CAPACITY: String(BURST_REQUESTS), BENCH_MAX_BYTES: String(4 * 1024 ** 3),
  });
  let acked: number;
  let stats: ServerStats;
  let result: autocannon.Result;
  try {
    ({ result } = await load(server.url, { connections: BURST_CONNECTIONS, amount: BURST_REQUESTS }));
    acked = result['2xx'];
    stats = await server.stats();
  } finally {
    await server.close();
  }
  // The history is two generations (see src/receiver/store.ts): count the additions in both.
  const persisted = [history, `${history}.old`]
    .filter((file) => fs.existsSync(file))
    .reduce((sum, file) => sum + fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.startsWith('{"t":"add"')).length, 0);
  const lost = acked - Math.min(stats.accepted, stats.kept, persisted);
  details.burst = {
    sent: BURST_REQUESTS, acked2xx: acked, non2xx: result.non2xx, errors: result.errors, accepted: stats.accepted,
    kept: stats.kept, persistedLines: persisted, seconds: result.duration, rate: Math.round(rate(result)),
  };
  return {
    name: `Events lost in a ${BURST_REQUESTS.toLocaleString('en')}-request burst (${BURST_CONNECTIONS} connections)`,
    value: lost, unit: 'events',
    goal: '0 (stored = persisted = 2xx answers)',
    pass: lost === 0 && acked === BURST_REQUESTS && stats.accepted === acked && persisted === acked,
  };
}

async function latency(details: Record<string, unknown>): Promise<BenchFigure> {
  const measure = async (server: ServerHandle) => {
    const options = { connections: 20, overallRate: LATENCY_RATE };
    await load(server.url, { ...options, duration: 2 }); // warm-up
    await server.stats(); // resets the server's event-loop delay histogram
    const { result, times } = await load(server.url, { ...options, duration: LATENCY_SECONDS }, true);
    const { loopDelayP99Ms, loopDelayMaxMs } = await server.stats();
    return {
      p99: percentile(times, 99),
      summary: {
        requests: times.length, achievedRate: Math.round(rate(result)), p50: round(percentile(times, 50), 3),
        p99: round(percentile(times, 99), 3), p999: round(percentile(times, 99.9), 3), max: round(Math.max(...times), 3),
        autocannonP99CorrectedMs: result.latency.p99, non2xx: result.non2xx, errors: result.errors,
        serverLoopDelayP99Ms: round(loopDelayP99Ms, 3), serverLoopDelayMaxMs: round(loopDelayMaxMs, 3),
      },
      failures: result.non2xx + result.errors,
    };
  };
  // The bare server under the same rate shows what the machine itself adds (scheduling, the load generator).
  const bare = await startServer('bare');
  let baseline: Awaited<ReturnType<typeof measure>>;
  try {
    baseline = await measure(bare);
  } finally {
    await bare.close();
  }
  const server = await startServer('receiver', { BENCH_HISTORY_FILE: path.join(scratch, 'latency.jsonl') });
  try {
    const receiver = await measure(server);
    details.latency = { receiver: receiver.summary, bare: baseline.summary };
    return {
      name: `p99 ack latency at ${LATENCY_RATE} req/s (20 connections, ${LATENCY_SECONDS} s, history file on)`,
      value: round(receiver.p99, 3), unit: 'ms', baseline: round(baseline.p99, 3), ratio: round(receiver.p99 / baseline.p99),
      goal: '≤ 5 ms', pass: receiver.p99 <= 5 && receiver.failures === 0,
    };
  } finally {
    await server.close();
  }
}

async function memory(details: Record<string, unknown>): Promise<BenchFigure> {
  const server = await startServer('receiver', { BENCH_HISTORY_FILE: path.join(scratch, 'memory.jsonl') });
  try {
    await load(server.url, { connections: 4, amount: 200 }); // warm-up: code, JIT and sockets
    const before = await server.stats('clear');
    // Twice the ring, so it is full and has evicted (the steady state of a long session).
    await load(server.url, { connections: 4, amount: 2 * MEMORY_EVENTS });
    const after = await server.stats('memory');
    const heap = after.heapUsed - before.heapUsed;
    const rss = after.rss - before.rss;
    const bodies = typicalRequests().map((r) => Buffer.byteLength(r.body));
    const averageBody = bodies.reduce((sum, size) => sum + size, 0) / bodies.length;
    details.memory = {
      events: after.kept, heapDeltaBytes: heap, rssDeltaBytes: rss, heapPerEventBytes: Math.round(heap / after.kept),
      averageBodyBytes: Math.round(averageBody),
    };
    const mib = heap / 1024 ** 2;
    return {
      name: `Heap of a full ring (${after.kept} typical events, ${Math.round(heap / after.kept / 1024 * 10) / 10} KiB each; RSS +${round(rss / 1024 ** 2, 1)} MiB)`,
      value: round(mib, 1), unit: 'MiB', goal: '≤ 32 MiB for the default ring of 1,000', pass: after.kept === MEMORY_EVENTS && mib <= 32,
    };
  } finally {
    await server.close();
  }
}

function print(figure: BenchFigure): void {
  const vs = figure.baseline === undefined ? '' : `  (baseline ${figure.baseline} ${figure.unit}, ratio ${figure.ratio}×)`;
  console.log(`${figure.pass ? 'PASS' : 'FAIL'}  ${figure.name}: ${figure.value} ${figure.unit}${vs}  goal ${figure.goal}`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const details: Record<string, unknown> = {};
  const figures: BenchFigure[] = [];
  const phases: [string, () => Promise<BenchFigure | BenchFigure[]>][] = [
    ['throughput', () => throughput(details)],
    ['burst', () => burst(details)],
    ['latency', () => latency(details)],
    ['transit decode', () => benchTransitDecode()],
    ['memory', () => memory(details)],
  ];
  // BENCH_ONLY=burst,latency runs a subset (while working on one figure); latest.json is then not rewritten.
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
  try {
    for (const [name, phase] of phases) {
      if (only && !only.includes(name)) continue;
      console.error(`… ${name}`);
      const produced = await phase();
      for (const figure of Array.isArray(produced) ? produced : [produced]) {
        figures.push(figure);
        print(figure);
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  if (only) {
    console.log(JSON.stringify(details, null, 2));
    return;
  }
  const report = {
    runAt: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 1000), node: process.version,
    platform: `${os.platform()} ${os.arch()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, figures, details,
  };
  const out = path.join(benchDir, 'results', 'latest.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(`${out}.tmp`, JSON.stringify(report, null, 2) + '\n');
  fs.renameSync(`${out}.tmp`, out);
  console.log(`${figures.filter((f) => f.pass).length}/${figures.length} goals met in ${report.seconds} s; details in bench/results/latest.json`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
