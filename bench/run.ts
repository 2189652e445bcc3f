// `npm run bench`: the receiver's and the codec's speed and memory figures, written to bench/results/latest.json.
// Not a test: goals are reported (pass/fail per figure), never asserted. All traffic goes to 127.0.0.1, and every
// phase is bounded by a duration or a request count. About 3–4 minutes on 2 cores, the viewer phase apart.
//
// The machine may be shared, so every comparison with the bare server is made in the same run, in alternating
// rounds (bare first, then receiver first, …), and reported as the median over the rounds. The load generator
// (this process) and each server run in separate processes, which the OS spreads over the cores; pinning them with
// taskset was tried and lowered the receiver's figure, since it also confines V8's GC helper threads.
import type autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { load as loadWith, pacedLoad, typicalRequests } from './load';
import type { ServerStats } from './server-process';
import { benchListenMemory } from './listen-memory';
import { bundleServer } from './server-bundle';
import { benchTransitDecode } from './transit-decode';
import { benchStoreMemory } from './store-memory';
import type { BenchFigure } from './types';
import { benchViewer } from './viewer';

const WARMUP_SECONDS = 3;
const THROUGHPUT_SECONDS = 5;
const THROUGHPUT_ROUNDS = 5;
const THROUGHPUT_CONNECTIONS = 10;
const BURST_REQUESTS = 100_000;
const BURST_CONNECTIONS = 50;
const LATENCY_RATE = 2000;
const LATENCY_SECONDS = 10;
/** The LATENCY_SECONDS per server are split into this many rounds, alternating with the other server. */
const LATENCY_ROUNDS = 2;
const MEMORY_EVENTS = 1000;

interface ServerHandle {
  url: string;
  /** 'memory' collects garbage first; 'clear' empties the store, then collects garbage. */
  stats(kind?: 'stats' | 'memory' | 'clear'): Promise<ServerStats>;
  close(): Promise<void>;
}

const benchDir = __dirname;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'penpot-receiver-bench-'));

let shippedServer: Promise<string> | undefined;

/**
 * One benchmark server in its own process. `shipped`: the server bundled as esbuild.js bundles the product
 * (server-bundle.ts), for the speed figures; otherwise run from source under tsx.
 */
async function startServer(mode: 'bare' | 'receiver', env: Record<string, string> = {}, shipped = false): Promise<ServerHandle> {
  const script = shipped ? await (shippedServer ??= bundleServer(scratch)) : path.join(benchDir, 'server-process.ts');
  const child: ChildProcess = fork(script, [mode], {
    execArgv: shipped ? ['--expose-gc'] : ['--import', 'tsx', '--expose-gc'],
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

/** Load with the typical deliveries. */
function load(url: string, options: Omit<autocannon.Options, 'url' | 'requests'>): ReturnType<typeof loadWith> {
  return loadWith(url, options, typicalRequests());
}

function rate(r: autocannon.Result): number {
  return r['2xx'] / r.duration;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Round `i` starts with another of `items` than round `i - 1`, so that drift in the machine's load hits them all. */
function inTurn<T>(items: T[], roundIndex: number): T[] {
  const start = roundIndex % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

async function throughput(details: Record<string, unknown>): Promise<BenchFigure[]> {
  const bare = await startServer('bare', {}, true);
  const receiver = await startServer('receiver', { BENCH_HISTORY_FILE: path.join(scratch, 'throughput.jsonl') }, true);
  // The same receiver with a listener that reads each event's summary, as `listen` does: the list fields are then
  // derived on the event loop right after each batch of answers (without a listener, when read); and with one that
  // reads the contract check too, as the viewer's list does (the check is made only when read).
  const watched = await startServer('receiver', { BENCH_HISTORY_FILE: path.join(scratch, 'throughput-watched.jsonl'), BENCH_LISTENER: '1' }, true);
  const viewed = await startServer('receiver', { BENCH_HISTORY_FILE: path.join(scratch, 'throughput-viewed.jsonl'), BENCH_LISTENER: 'check' }, true);
  const servers = [bare, receiver, watched, viewed];
  try {
    const options = { connections: THROUGHPUT_CONNECTIONS };
    for (const server of servers) await load(server.url, { ...options, duration: WARMUP_SECONDS }); // warm-up: JIT, sockets, heap sizing
    interface Round { rate: number; serverCpu: number; loadCpu: number }
    let failures = 0;
    const measure = async (server: ServerHandle): Promise<Round> => {
      const before = await server.stats();
      const loadBefore = process.cpuUsage();
      const { result } = await load(server.url, { ...options, duration: THROUGHPUT_SECONDS });
      const loadCpu = process.cpuUsage(loadBefore);
      const after = await server.stats();
      failures += result.non2xx + result.errors;
      const answered = Math.max(1, result['2xx']);
      return {
        rate: rate(result),
        // CPU time per answered request, in µs: what each side costs, less sensitive to other load than req/s.
        serverCpu: round((after.cpuMicros - before.cpuMicros) / answered, 1),
        loadCpu: round((loadCpu.user + loadCpu.system) / answered, 1),
      };
    };
    const rounds = new Map<ServerHandle, Round[]>(servers.map((server) => [server, []]));
    for (let index = 0; index < THROUGHPUT_ROUNDS; index++) {
      for (const server of inTurn(servers, index)) rounds.get(server)!.push(await measure(server));
    }
    const bareRounds = rounds.get(bare)!;
    const ratiosOf = (server: ServerHandle): number[] => rounds.get(server)!.map((r, i) => round(r.rate / bareRounds[i].rate));
    const describe = (server: ServerHandle) => ({
      rates: rounds.get(server)!.map((r) => Math.round(r.rate)), ratios: ratiosOf(server),
      serverCpuMicrosPerRequest: rounds.get(server)!.map((r) => r.serverCpu),
      loadGeneratorCpuMicrosPerRequest: rounds.get(server)!.map((r) => r.loadCpu),
    });
    details.throughput = {
      bare: describe(bare), receiver: describe(receiver), receiverWithListener: describe(watched),
      receiverWithCheckingListener: describe(viewed),
      failures, connections: THROUGHPUT_CONNECTIONS, secondsPerRound: THROUGHPUT_SECONDS, rounds: THROUGHPUT_ROUNDS,
    };
    const figure = (server: ServerHandle, name: string): BenchFigure => {
      const ratio = median(ratiosOf(server));
      return {
        name, value: Math.round(median(rounds.get(server)!.map((r) => r.rate))), unit: 'req/s',
        baseline: Math.round(median(bareRounds.map((r) => r.rate))), ratio,
        goal: '≥ 0.8× a bare node:http server (reading the body, answering 204)', pass: ratio >= 0.8 && failures === 0,
      };
    };
    return [
      figure(receiver, `Receiver ingest throughput (typical JSON+Transit deliveries, history file on; median of ${THROUGHPUT_ROUNDS} alternating rounds)`),
      figure(watched, 'The same with a listener reading every event\'s summary (as `listen` does)'),
      figure(viewed, 'The same with a listener reading every event\'s summary and contract check (as the viewer\'s list does)'),
    ];
  } finally {
    await Promise.all(servers.map((server) => server.close()));
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
  // The bare server under the same rate shows what the machine itself adds (scheduling, the load generator); its
  // rounds alternate with the receiver's so that both see the same conditions.
  const bare = await startServer('bare', {}, true);
  // With the listener the viewer and `listen` always attach: list fields derived after each batch of answers.
  const receiver = await startServer('receiver', { BENCH_HISTORY_FILE: path.join(scratch, 'latency.jsonl'), BENCH_LISTENER: '1' }, true);
  try {
    const options = { connections: 20, rate: LATENCY_RATE };
    const deliveries = typicalRequests();
    interface Side { times: number[]; achieved: number[]; failures: number; loopDelayP99Ms: number[]; loopDelayMaxMs: number; senderLagP99Ms: number[] }
    const sides = new Map<ServerHandle, Side>();
    for (const server of [bare, receiver]) {
      await pacedLoad(server.url, { ...options, seconds: 2 }, deliveries); // warm-up
      sides.set(server, { times: [], achieved: [], failures: 0, loopDelayP99Ms: [], loopDelayMaxMs: 0, senderLagP99Ms: [] });
    }
    for (let index = 0; index < LATENCY_ROUNDS; index++) {
      for (const server of inTurn([bare, receiver], index)) {
        const side = sides.get(server)!;
        await server.stats(); // resets the server's event-loop delay histogram
        const result = await pacedLoad(server.url, { ...options, seconds: LATENCY_SECONDS / LATENCY_ROUNDS }, deliveries);
        const { loopDelayP99Ms, loopDelayMaxMs } = await server.stats();
        side.times.push(...result.times);
        side.achieved.push(result.achievedRate);
        side.failures += result.failures;
        side.senderLagP99Ms.push(round(percentile(result.senderLagsMs, 99), 3));
        side.loopDelayP99Ms.push(round(loopDelayP99Ms, 3));
        side.loopDelayMaxMs = Math.max(side.loopDelayMaxMs, round(loopDelayMaxMs, 3));
      }
    }
    const summary = ({ times, achieved, failures, loopDelayP99Ms, loopDelayMaxMs, senderLagP99Ms }: Side) => ({
      requests: times.length, achievedRate: Math.round(median(achieved)), p50: round(percentile(times, 50), 3),
      p99: round(percentile(times, 99), 3), p999: round(percentile(times, 99.9), 3), max: round(Math.max(...times), 3),
      failures, serverLoopDelayP99Ms: loopDelayP99Ms, serverLoopDelayMaxMs: loopDelayMaxMs, senderLagP99Ms,
    });
    const receiverSide = summary(sides.get(receiver)!);
    const bareSide = summary(sides.get(bare)!);
    details.latency = { receiver: receiverSide, bare: bareSide, rounds: LATENCY_ROUNDS };
    return {
      name: `p99 ack latency at ${LATENCY_RATE} req/s paced evenly (20 connections, ${LATENCY_SECONDS} s in ${LATENCY_ROUNDS} rounds alternating with the bare server, history file on, a listener)`,
      value: receiverSide.p99, unit: 'ms', baseline: bareSide.p99, ratio: round(receiverSide.p99 / bareSide.p99),
      goal: '≤ 5 ms', pass: receiverSide.p99 <= 5 && receiverSide.failures === 0,
    };
  } finally {
    await Promise.all([bare.close(), receiver.close()]);
  }
}

async function memory(details: Record<string, unknown>): Promise<BenchFigure> {
  // With a listener, so that every event's list fields (its summary) are derived and held, as in the extension.
  const server = await startServer('receiver', { BENCH_HISTORY_FILE: path.join(scratch, 'memory.jsonl'), BENCH_LISTENER: '1' });
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
      name: `Heap of a full ring (${after.kept} typical events with their list fields, ${Math.round(heap / after.kept / 1024 * 10) / 10} KiB each; RSS +${round(rss / 1024 ** 2, 1)} MiB)`,
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
    ['store memory', () => benchStoreMemory(details)],
    ['memory', () => memory(details)],
    ['listen memory', () => benchListenMemory(details)],
    ['viewer', () => benchViewer(details)],
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
