// Feeds a `listen --json` child process (the bundled CLI) large Transit deliveries and measures it: its peak
// resident memory (VmHWM, Linux) and whether small deliveries sent meanwhile were answered before the large ones
// were printed. Shared by the row 5 test (60 MiB) and the 200 MiB figure of `npm run bench`.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { largestDeepTransit } from './deepTransit';

/** Enough of an event line to hold every field before the payload (the `listening` line is shorter). */
const HEAD_CHARS = 4096;

export interface ListenLoadResult {
  /** The child's peak resident set, in MiB. */
  peakRssMiB: number;
  /** Event lines printed, in order, reduced to what the checks read. */
  lines: { name: string | null; size: number; decodedKind?: string; decodeError?: string }[];
  /** Large event lines already printed when the last small delivery was answered. */
  largePrintedWhenSmallAnswered: number;
  /** From the first large delivery sent to the last line printed. */
  ms: number;
}

export interface LoadOptions {
  /** Read none of listen's output until every delivery is answered, like a consumer that stalls. */
  stallOutput?: boolean;
}

/** `largeCount` bodies of 5 MiB nested 998 deep, all sent at once, and `smallCount` small ones one after another meanwhile. */
export async function loadListen(cli: string, largeCount: number, smallCount = 5, options: LoadOptions = {}): Promise<ListenLoadResult> {
  const child = spawn(process.execPath, [cli, 'listen', '--json', '--port', '0'], {
    env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  try {
    const lines: ListenLoadResult['lines'] = [];
    const waiters: { count: number; resolve(): void }[] = [];
    let url: string | undefined;
    let urlReady: () => void = () => undefined;
    const listening = new Promise<void>((resolve) => { urlReady = resolve; });
    // Only the head of each line is kept and read: parsing megabytes of JSON here would hold up this process, whose
    // uploads the receiver then sees stall.
    let head = '';
    const onLine = (): void => {
      if (url === undefined) {
        url = (JSON.parse(head) as { url: string }).url;
        if (options.stallOutput) child.stdout.pause();
        urlReady();
        return;
      }
      const decodeError = /"decodeError":("(?:[^"\\]|\\.)*")/.exec(head)?.[1];
      lines.push({
        name: JSON.parse(/"name":(null|"(?:[^"\\]|\\.)*")/.exec(head)?.[1] ?? 'null') as string | null,
        size: Number(/"size":(\d+)/.exec(head)?.[1]),
        ...(/"decoded":\{"kind":"(\w+)"/.exec(head) ? { decodedKind: /"decoded":\{"kind":"(\w+)"/.exec(head)![1] } : {}),
        ...(decodeError === undefined ? {} : { decodeError: JSON.parse(decodeError) as string }),
      });
      for (const waiter of waiters.filter((w) => lines.length >= w.count)) waiter.resolve();
    };
    child.stdout.on('data', (chunk: Buffer) => {
      let start = 0;
      let newline: number;
      while ((newline = chunk.indexOf(10, start)) !== -1) {
        if (head.length < HEAD_CHARS) head += chunk.toString('utf8', start, Math.min(newline, start + HEAD_CHARS));
        onLine();
        head = '';
        start = newline + 1;
      }
      if (head.length < HEAD_CHARS) head += chunk.toString('utf8', start, Math.min(chunk.length, start + HEAD_CHARS));
    });
    await Promise.race([listening, exited.then(() => { throw new Error(`listen exited: ${stderr}`); })]);

    const large = Buffer.from(largestDeepTransit());
    const started = performance.now();
    const send = async (body: Buffer | string, contentType: string): Promise<void> => {
      try {
        const answer = await request(url!, { method: 'POST', body, headers: { 'content-type': contentType } });
        await answer.body.dump();
        if (answer.statusCode !== 204) throw new Error(`answered ${answer.statusCode}`);
      } catch (error) {
        const what = `${body.length}-byte delivery after ${Math.round(performance.now() - started)} ms`;
        throw new Error(`${what}: ${(error as Error).message}; stderr: ${stderr}`, { cause: error });
      }
    };
    const largeSent = Array.from({ length: largeCount }, () => send(large, 'application/transit+json'));
    const allLargeSent = Promise.all(largeSent);
    allLargeSent.catch(() => undefined); // awaited below; meanwhile a failure must not go unhandled
    // The small ones go while the large ones are still arriving and being decoded.
    await Promise.race(largeSent);
    for (let i = 0; i < smallCount; i++) await send(`{"name":"rename-file","n":${i}}`, 'application/json');
    const largePrintedWhenSmallAnswered = lines.filter((line) => line.size === large.length).length;
    await allLargeSent;
    child.stdout.resume();

    const total = largeCount + smallCount;
    if (lines.length < total) await new Promise<void>((resolve) => waiters.push({ count: total, resolve }));
    const ms = performance.now() - started;
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return { peakRssMiB: Number(hwm?.[1]) / 1024, lines, largePrintedWhenSmallAnswered, ms };
  } finally {
    child.kill('SIGINT');
    await exited;
  }
}
