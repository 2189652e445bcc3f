// The viewer phase of `npm run bench` (BENCH_ONLY=viewer): the payload viewer in a real VS Code (code-server +
// headless Chromium, test/harness) with N = 10,000 and 100,000 stored events of 1,000 bytes. Per N: open → count
// shown, one search input → filtered count, a 1,000-event burst at a full ring → all shown (measured from the last
// answer), the webview's frame-time p95 during the burst, and the extension host's memory above idle.
//
// Timing is read inside the webview (Date.now() when the count text changes, requestAnimationFrame deltas), so the
// figures do not include Playwright's polling. The extension host's heap is read through its inspector (SIGUSR1
// opens it, as for any Node process; nothing in the extension helps): a full GC (HeapProfiler.collectGarbage), then
// `process.memoryUsage().heapUsed`, at idle and after the burst. Its RSS from /proc (heap plus Buffers, code,
// allocator slack) is reported beside it.
// BENCH_VIEWER_SIZES=10000 runs one size.
//
// Open is measured against a baseline in the same run: a bare webview panel (src/extension/viewer/barePanel.ts:
// the viewer's webview options and CSP, a page that posts `ready` and shows the count the host answers), opened
// the same way (a palette command). BENCH_VIEWER_ROUNDS rounds (default 5) alternate the two, each closed again
// before the next; the figures are medians, "above a bare webview" the median of each round's difference.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { request, WebSocket } from 'undici';
import { buildPenpotEvent, encodePenpotEvent } from '../src/penpot/events';
import { runCommand, waitUntil } from '../test/harness/ui';
import { openWorkbench, type Workbench } from '../test/harness/workbench';
import type { BenchFigure } from './types';

const SIZES = (process.env.BENCH_VIEWER_SIZES ?? '10000,100000').split(',').map(Number).filter((n) => n > 0);
const BURST = 1000;
const CONNECTIONS = 24;
/** One event in TAG_EVERY carries the searched tag. */
const TAG_EVERY = 100;
const ROUNDS = Math.max(1, Number(process.env.BENCH_VIEWER_ROUNDS ?? 5));
/** The search is timed this many times (each followed by clearing it); the median is reported. */
const SEARCH_ROUNDS = 3;
const GOALS = { openMs: 500, searchMs: 150, burstMs: 500, frameP95Ms: 50, heapMiB: 64 };

function body(name: string, i: number): { body: string; contentType: string } {
  const props = { tag: i % TAG_EVERY === 0 ? 'needle-tag' : `tag-${i % 977}`, revn: i, pad: '' };
  const first = encodePenpotEvent(buildPenpotEvent(name, { props, now: new Date('2026-07-24T12:08:41.650Z') }), 'json');
  // 1,000 bytes: 100,000 of them fit the store's 96 MiB of bodies (1,024 would evict the oldest 1,700).
  props.pad = 'p'.repeat(Math.max(0, 1000 - Buffer.byteLength(first.body)));
  return encodePenpotEvent(buildPenpotEvent(name, { props, now: new Date('2026-07-24T12:08:41.650Z') }), 'json');
}

/** Posts `count` events named `name` with CONNECTIONS in flight; resolves with the time of the last answer. */
async function send(url: string, name: string, count: number, offset = 0): Promise<number> {
  let next = 0;
  let last = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = offset + next++;
      const { body: payload, contentType } = body(name, i);
      const answer = await request(url, { method: 'POST', body: payload, headers: { 'content-type': contentType } });
      await answer.body.dump();
      if (answer.statusCode !== 204) throw new Error(`the receiver answered ${answer.statusCode}`);
      last = Date.now();
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return last;
}

/** The extension host of this workbench session: the process whose HOME is inside the session folder. */
function extensionHostPid(workbench: Workbench): number {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmdline.includes('--type=extensionHost')) continue;
      const environ = fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (environ.includes(`HOME=${workbench.server.sessionDir}/home`)) return Number(entry);
    } catch {
      // gone, or not ours
    }
  }
  throw new Error('no extension host found for the bench session');
}

/** The inspector of a Node process, opened with SIGUSR1 (default port 9229; one bench runs at a time). */
class Inspector {
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: unknown };
      if (message.id !== undefined) this.pending.get(message.id)?.(message.error ? Promise.reject(new Error(JSON.stringify(message.error))) : message.result);
    });
  }

  static async open(pid: number): Promise<Inspector> {
    process.kill(pid, 'SIGUSR1');
    let targets: { webSocketDebuggerUrl: string }[] = [];
    for (let attempt = 0; attempt < 50 && targets.length === 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      targets = await request('http://127.0.0.1:9229/json/list').then((r) => r.body.json() as Promise<typeof targets>).catch(() => []);
    }
    if (targets.length === 0) throw new Error(`the inspector of ${pid} did not open on 127.0.0.1:9229`);
    const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve);
      socket.addEventListener('error', reject);
    });
    return new Inspector(socket);
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** heapUsed after a full GC: what the extension host keeps alive. */
  async liveHeapBytes(): Promise<number> {
    await this.send('HeapProfiler.collectGarbage');
    const answer = await this.send('Runtime.evaluate', { expression: 'process.memoryUsage().heapUsed', returnByValue: true }) as { result: { value: number } };
    return answer.result.value;
  }

  close(): void {
    this.socket.close();
  }
}

/** BENCH_VIEWER_PROFILE=dir: the extension host's CPU profile of each phase is written there (open it in DevTools). */
const PROFILE_DIR = process.env.BENCH_VIEWER_PROFILE;

/** Something that speaks the DevTools protocol: the extension host's inspector, or the page's CDP session. */
interface Profilable {
  send(method: 'Profiler.enable' | 'Profiler.start' | 'Profiler.stop'): Promise<unknown>;
}

/** Runs `run`, writing the CPU profiles of the extension host and of the page (the workbench and the webview). */
async function profiled<T>(targets: Record<string, Profilable>, name: string, run: () => Promise<T>): Promise<T> {
  if (!PROFILE_DIR) return run();
  for (const target of Object.values(targets)) {
    await target.send('Profiler.enable');
    await target.send('Profiler.start');
  }
  try {
    return await run();
  } finally {
    fs.mkdirSync(PROFILE_DIR, { recursive: true });
    for (const [where, target] of Object.entries(targets)) {
      const { profile } = await target.send('Profiler.stop') as { profile: unknown };
      fs.writeFileSync(path.join(PROFILE_DIR, `${name}-${where}.cpuprofile`), JSON.stringify(profile));
    }
  }
}

function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

/** The webview content frame holding the element `#id` (the viewer's #count, the bare panel's #bare-count). */
async function frameWith(page: Page, id: string): Promise<Frame> {
  return waitUntil(page, `the frame holding #${id}`, async () => {
    for (const frame of page.frames()) if (await frame.$(`#${id}`).catch(() => null)) return frame;
    return undefined;
  }, 60_000);
}

/** Inside the webview: resolves with Date.now() once #`id`'s text matches `pattern`. */
function whenText(frame: Frame, id: string, pattern: string, timeoutMs: number): Promise<number> {
  return frame.evaluate(([elementId, source, timeout]) => new Promise<number>((resolve, reject) => {
    const re = new RegExp(source);
    const count = document.getElementById(elementId)!;
    const check = (): boolean => {
      if (!re.test(count.textContent ?? '')) return false;
      resolve(Date.now());
      return true;
    };
    if (check()) return;
    const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
    observer.observe(count, { childList: true, characterData: true, subtree: true });
    setTimeout(() => { observer.disconnect(); reject(new Error(`#${elementId} stayed "${count.textContent}"`)); }, timeout);
  }), [id, pattern, timeoutMs] as const);
}

/** The two panels timed from the palette to their first drawn count (the page's own performance mark). */
const PANELS = {
  viewer: { title: 'Penpot: Open Webhook Viewer', countId: 'count', mark: 'viewer-count-shown' },
  bare: { title: 'Penpot: Open Bare Webview (benchmark)', countId: 'bare-count', mark: 'bare-count-shown' },
} as const;
type PanelKind = keyof typeof PANELS;
const ORDER: PanelKind[] = ['viewer', 'bare'];

/**
 * The workbench page's time of the last mouse press on a palette row (the user choosing the command): the start of
 * "open". runCommand returns only once it has seen the palette close, which can be after the panel drew its count.
 */
const LAST_PALETTE_PRESS = `(() => {
  if (!globalThis.benchPressListening) {
    globalThis.benchPressListening = true;
    document.addEventListener('mousedown', (e) => {
      if (e.target instanceof Element && e.target.closest('.quick-input-list')) globalThis.benchPressedAt = performance.timeOrigin + e.timeStamp;
    }, { capture: true });
  }
  return globalThis.benchPressedAt ?? 0;
})()`;

/** Opens a panel from the palette; its frame, and the ms from choosing the command to the count drawn. */
async function timeOpen(page: Page, kind: PanelKind, n: number): Promise<{ frame: Frame; ms: number; steps: Record<string, number> }> {
  const { title, countId, mark } = PANELS[kind];
  const pressedBefore = await page.evaluate<number>(LAST_PALETTE_PRESS);
  await runCommand(page, title);
  const openedAt = await page.evaluate<number>(LAST_PALETTE_PRESS);
  if (openedAt === pressedBefore) throw new Error(`no press on the palette's "${title}" row was seen`);
  const frame = await frameWith(page, countId);
  // tsx names inner functions through a `__name` helper that the page does not have (a string is not compiled).
  await frame.evaluate('globalThis.__name = globalThis.__name || ((f) => f)');
  await whenText(frame, countId, `^${n} events$`, 60_000);
  // The page marks when it first drew the count (the frame may be found after that).
  const shownAt = await frame.evaluate((name) => performance.timeOrigin + performance.getEntriesByName(name)[0].startTime, mark);
  return { frame, ms: Math.round(shownAt - openedAt), steps: await openSteps(frame, openedAt) };
}

/**
 * Where the page's part of an open went, in ms from choosing the command: when the page started, when each of its
 * resources (stylesheets, script, font) arrived, and its own marks (its `ready` posted, the host's first message
 * received, the count drawn).
 * VS Code's webview host holds messages for the page until the page's `load` event.
 */
function openSteps(frame: Frame, openedAt: number): Promise<Record<string, number>> {
  return frame.evaluate((start) => {
    const at = (t: number): number => Math.round(performance.timeOrigin + t - start);
    // The page's own navigation timing is of VS Code's placeholder document, which the page's HTML is written into.
    const steps: Record<string, number> = { pageStart: at(0) };
    for (const entry of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) steps[new URL(entry.name).pathname.split('/').pop() ?? entry.name] = at(entry.responseEnd);
    for (const entry of performance.getEntriesByType('mark')) steps[entry.name] = at(entry.startTime);
    return steps;
  }, openedAt);
}

/** Resolves once the viewer has every row (the older ones come in chunks after the first screen): Date.now(). */
function allRowsLoaded(frame: Frame): Promise<number> {
  return frame.waitForFunction(() => !document.getElementById('count')!.hasAttribute('aria-busy') ? Date.now() : false,
    undefined, { timeout: 120_000, polling: 'raf' }).then((h) => h.jsonValue() as Promise<number>);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
};

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

const round = (v: number, digits = 1): number => Math.round(v * 10 ** digits) / 10 ** digits;

async function measure(n: number, details: Record<string, unknown>): Promise<BenchFigure[]> {
  const workbench = await openWorkbench({ settings: { 'penpot.receiver.port': 0, 'penpot.receiver.maxEvents': n } });
  const page = workbench.page;
  try {
    await waitUntil(page, 'the extension to activate', async () =>
      (await page.locator('.statusbar-item', { hasText: 'Penpot' }).count()) > 0 ? true : undefined, 60_000);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(workbench.url).origin });
    await runCommand(page, 'Penpot: Start Webhook Receiver');
    await waitUntil(page, 'the receiver to listen', async () =>
      (await page.locator('.statusbar-item', { hasText: '127.0.0.1:' }).count()) > 0 ? true : undefined);
    await runCommand(page, 'Penpot: Copy Receiver URL');
    const url = await waitUntil(page, 'the receiver URL on the clipboard', async () => {
      const text = await page.evaluate(() => navigator.clipboard.readText());
      return /^http:\/\/127\.0\.0\.1:\d+\/hooks\//.test(text) ? text : undefined;
    });
    const pid = extensionHostPid(workbench);
    await send(url, 'update-file', 200, 10_000_000); // warm-up: code paths and sockets
    await page.waitForTimeout(2000);
    const inspector = await Inspector.open(pid);
    const targets: Record<string, Profilable> = { host: inspector };
    if (PROFILE_DIR) targets.page = await page.context().newCDPSession(page);
    const idleHeap = await inspector.liveHeapBytes();
    const idle = rssBytes(pid);

    const fillStarted = Date.now();
    await send(url, 'update-file', n);
    const fillSeconds = (Date.now() - fillStarted) / 1000;

    // Alternating rounds, the order swapped each round; every panel is closed (and the viewer fully loaded, so
    // its chunks do not run into the next open) before the next one opens.
    const opens: Record<PanelKind, number[]> = { viewer: [], bare: [] };
    const openStepsOf: Record<PanelKind, Record<string, number>[]> = { viewer: [], bare: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const kind of r % 2 === 0 ? ORDER : [...ORDER].reverse()) {
        const { frame: opened, ms, steps } = await profiled(targets, `open-${n}-${kind}-${r}`, () => timeOpen(page, kind, n));
        opens[kind].push(ms);
        openStepsOf[kind].push(steps);
        if (kind === 'viewer') await allRowsLoaded(opened);
        await runCommand(page, 'View: Close All Editors');
        await page.waitForTimeout(1000);
      }
    }
    const openMs = median(opens.viewer);
    const bareMs = median(opens.bare);
    const aboveBareMs = median(opens.viewer.map((ms, r) => ms - opens.bare[r]));
    // Opened once more for the rest (search, burst), not timed.
    const openedAt = Date.now();
    const { frame } = await timeOpen(page, 'viewer', n);
    const loadedAt = await allRowsLoaded(frame);

    // Types into the search box and waits, inside the webview, for the count to match: the elapsed time.
    const search = (text: string, pattern: string): Promise<number> => frame.evaluate(([value, source]) => new Promise<number>((resolve, reject) => {
      const re = new RegExp(source);
      const count = document.getElementById('count')!;
      const input = document.getElementById('search') as HTMLInputElement;
      const started = performance.now();
      const observer = new MutationObserver(() => {
        if (!re.test(count.textContent ?? '')) return;
        observer.disconnect();
        resolve(performance.now() - started);
      });
      observer.observe(count, { childList: true, characterData: true, subtree: true });
      input.value = value;
      input.dispatchEvent(new Event('input'));
      setTimeout(() => { observer.disconnect(); reject(new Error(`count stayed "${count.textContent}"`)); }, 120_000);
    }), [text, pattern] as const);
    // The first search may wait for the index to be filled; the second one is what typing costs.
    const firstSearchMs = await search('tag-1"', `^\\d+ of ${n} events$`);
    await search('', `^${n} events$`);
    const expected = Math.ceil(n / TAG_EVERY);
    const searches: number[] = [];
    for (let r = 0; r < SEARCH_ROUNDS; r++) {
      searches.push(await profiled(targets, `search-${n}-${r}`, () => search('needle-tag', `^${expected} of ${n} events$`)));
      await search('', `^${n} events$`);
    }
    const searchMs = Math.round(median(searches));

    // Burst at a full ring: the event menu's rename-file count reaches BURST once all are listed.
    await frame.evaluate(() => {
      const w = window as unknown as { benchFrames: number[]; benchStop: boolean };
      w.benchFrames = [];
      w.benchStop = false;
      let last = performance.now();
      const tick = (now: number): void => {
        w.benchFrames.push(now - last);
        last = now;
        if (!w.benchStop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const shown = frame.evaluate((burst) => new Promise<number>((resolve, reject) => {
      const select = document.getElementById('event-filter')!;
      const check = (): boolean => {
        const option = Array.from((select as HTMLSelectElement).options).find((o) => o.value === 'rename-file');
        if (option?.textContent !== `rename-file (${burst})`) return false;
        resolve(Date.now());
        return true;
      };
      const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
      observer.observe(select, { childList: true, characterData: true, subtree: true });
      setTimeout(() => { observer.disconnect(); reject(new Error('the burst was not all shown within 60 s')); }, 60_000);
    }), BURST);
    const [lastAnswer, burstShownAt] = await profiled(targets, `burst-${n}`, async () => {
      const answered = await send(url, 'rename-file', BURST);
      return [answered, await shown] as const;
    });
    await page.waitForTimeout(300);
    const frames = await frame.evaluate(() => {
      const w = window as unknown as { benchFrames: number[]; benchStop: boolean };
      w.benchStop = true;
      return w.benchFrames.slice(1);
    });
    const burstMs = Math.max(0, burstShownAt - lastAnswer);
    const frameP95 = percentile(frames, 95);
    await page.waitForTimeout(1000);
    const heapMiB = (await inspector.liveHeapBytes() - idleHeap) / 1024 ** 2;
    const memoryMiB = (rssBytes(pid) - idle) / 1024 ** 2;
    inspector.close();

    details[`viewer${n}`] = {
      fillSeconds: round(fillSeconds), fillRate: Math.round(n / fillSeconds), openMs, bareMs, aboveBareMs, opens, openSteps: openStepsOf, allRowsMs: loadedAt - openedAt, firstSearchMs: Math.round(firstSearchMs), searchMs, searches: searches.map(Math.round),
      burstMs, frames: frames.length, frameP50Ms: round(percentile(frames, 50)), frameP95Ms: round(frameP95), frameMaxMs: round(Math.max(...frames)),
      idleHeapMiB: round(idleHeap / 1024 ** 2), heapAboveIdleMiB: round(heapMiB), idleRssMiB: round(idle / 1024 ** 2), rssAboveIdleMiB: round(memoryMiB),
    };
    const at = `${n.toLocaleString('en')} events`;
    return [
      { name: `Viewer open → count shown, ${at} (median of ${ROUNDS})`, value: openMs, unit: 'ms', goal: `≤ ${GOALS.openMs} ms`, pass: openMs <= GOALS.openMs },
      { name: `Bare webview open → count shown (VS Code's own part, the baseline), ${at}`, value: bareMs, unit: 'ms', goal: 'reported', pass: true },
      { name: `Viewer open above a bare webview, ${at}`, value: aboveBareMs, unit: 'ms', goal: 'reported', pass: true },
      { name: `Viewer search input → filtered count, ${at} (median of ${SEARCH_ROUNDS}; first search: ${Math.round(firstSearchMs)} ms)`, value: searchMs, unit: 'ms', goal: `≤ ${GOALS.searchMs} ms`, pass: searchMs <= GOALS.searchMs },
      { name: `Viewer 1,000-event burst at a full ring → all shown, after the last answer, ${at}`, value: burstMs, unit: 'ms', goal: `≤ ${GOALS.burstMs} ms`, pass: burstMs <= GOALS.burstMs },
      { name: `Viewer frame time p95 during the burst, ${at}`, value: round(frameP95), unit: 'ms', goal: `≤ ${GOALS.frameP95Ms} ms`, pass: frameP95 <= GOALS.frameP95Ms },
      {
        name: `Extension host heap above idle (live, after a full GC), ${at} of ~1 KiB, viewer open`,
        value: round(heapMiB), unit: 'MiB', goal: n >= 100_000 ? `≤ ${GOALS.heapMiB} MiB at 100k` : 'reported',
        pass: n >= 100_000 ? heapMiB <= GOALS.heapMiB : true,
      },
      { name: `Extension host RSS above idle (heap, Buffers, code, allocator), ${at}`, value: round(memoryMiB), unit: 'MiB', goal: 'reported', pass: true },
    ];
  } finally {
    await workbench.close();
  }
}

/** Runs every size; also writes bench/results/viewer.json (so `BENCH_ONLY=viewer` leaves its figures too). */
export async function benchViewer(details: Record<string, unknown>): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const own: Record<string, unknown> = {};
  for (const n of SIZES) figures.push(...await measure(n, own));
  Object.assign(details, own);
  const out = path.join(__dirname, 'results', 'viewer.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ runAt: new Date().toISOString(), cpus: os.cpus().length, figures, details: own }, null, 2) + '\n');
  return figures;
}
