// `listen` and `trigger` through the bundled CLI (dist/cli.js, built here with `node esbuild.js`), as child processes.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { before, test, type TestContext } from 'node:test';
import { EventStore } from '../../../src/receiver';
import { closedPort, post, startTarget } from './helpers';

const root = resolve(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Promise<Finished> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH }, timeout: 30_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk; });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** A running `listen` whose stdout is read line by line. */
interface Listener {
  child: ChildProcessWithoutNullStreams;
  nextLine(): Promise<string>;
  stop(): Promise<Finished>;
}

function listen(t: TestContext, args: string[]): Listener {
  const child = spawn(process.execPath, [cli, 'listen', ...args], { env: { PATH: process.env.PATH } });
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffered = '';
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk; });
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) !== -1) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      const waiter = waiting.shift();
      if (waiter) waiter(line); else lines.push(line);
    }
  });
  const exited = new Promise<number | null>((done) => child.on('close', done));
  return {
    child,
    nextLine: () => {
      const line = lines.shift();
      if (line !== undefined) return Promise.resolve(line);
      return Promise.race([
        new Promise<string>((done) => waiting.push(done)),
        exited.then((code) => { throw new Error(`listen exited (${code}) before printing a line: ${stderr}`); }),
      ]);
    },
    stop: async () => {
      child.kill('SIGINT');
      const code = await exited;
      return { code, stdout, stderr };
    },
  };
}

before(() => {
  const started = Date.now();
  const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  // esbuild.js builds every entry; only the CLI bundle matters here, so judge by its file.
  assert.ok(existsSync(cli) && statSync(cli).mtimeMs >= started - 1000, `dist/cli.js was not built:\n${build.stderr}`);
});

test('listen --json prints its URL, then one JSON line per event; trigger sends one and prints the status', async (t) => {
  const listener = listen(t, ['--json', '--port', '0']);
  const listening = JSON.parse(await listener.nextLine());
  assert.equal(listening.type, 'listening');
  assert.match(listening.url, /^http:\/\/127\.0\.0\.1:\d+\/hooks\/[A-Za-z0-9_-]{32}$/);

  const sent = await run(['trigger', 'rename-file', '--to', listening.url, '--format', 'transit']);
  assert.equal(sent.code, 0, sent.stderr);
  assert.match(sent.stdout, /^204 from http:\/\/127\.0\.0\.1:\d+\/hooks\/\S+ in \d+ ms \(rename-file, transit, Penpot 2\.15\+ shape\)$/m);
  const event = JSON.parse(await listener.nextLine());
  assert.equal(event.type, 'event');
  assert.equal(event.name, 'rename-file');
  assert.equal(event.contentType, 'application/transit+json');
  assert.equal(event.format, 'transit');
  assert.equal(event.status, 204);
  assert.equal(event.simulated, undefined, 'only this process\'s own simulate marks an event (issue 14 row 16)');
  assert.ok(event.size > 100);
  assert.equal(event.decoded.kind, 'transit');
  assert.equal(event.decoded.value.name, 'rename-file');
  assert.equal(event.decodeError, undefined);
  assert.equal(event.shape, '2.15+');

  assert.equal((await post(listening.url, '{"name": ', { 'content-type': 'application/json' })).status, 204);
  const malformed = JSON.parse(await listener.nextLine());
  assert.equal(malformed.name, null);
  assert.match(malformed.decodeError, /^Invalid JSON/);
  assert.equal(malformed.decoded, undefined);

  const stopped = await listener.stop();
  assert.equal(stopped.code, 0, stopped.stderr);
});

test('trigger --penpot-version sends that version\'s payload shape; listen --json names it', async (t) => {
  const listener = listen(t, ['--json', '--port', '0']);
  const listening = JSON.parse(await listener.nextLine());
  for (const [version, shape] of [['2.13', '2.2–2.13'], ['2.14', '2.14'], ['2.1', '2.0–2.1']]) {
    const sent = await run(['trigger', 'create-file', '--to', listening.url, '--penpot-version', version]);
    assert.equal(sent.code, 0, sent.stderr);
    assert.ok(sent.stdout.includes(`Penpot ${shape} shape`), sent.stdout);
    assert.equal(JSON.parse(await listener.nextLine()).shape, shape);
  }
  const bad = await run(['trigger', 'create-file', '--to', listening.url, '--penpot-version', '1.19']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--penpot-version must be a Penpot version from 2\.0 on/);
  assert.equal((await listener.stop()).code, 0);
});

test('listen --status and --forward: the answer is the chosen status and each line carries the forward result', async (t) => {
  const target = await startTarget(t, (_req, res) => { res.writeHead(200).end('thanks'); });
  const listener = listen(t, ['--port', '0', '--status', '500', '--forward', target.url]);
  const first = await listener.nextLine();
  const url = /^Listening on (\S+)$/.exec(first)?.[1];
  assert.ok(url, first);
  assert.equal(await listener.nextLine(), `Answering 500, forwarding to ${target.url}.`);

  const sent = await run(['trigger', 'create-project', '--to', url]);
  assert.equal(sent.code, 1, 'a 500 is not a delivery Penpot counts');
  assert.match(sent.stdout, /^500 from /);
  assert.match(sent.stderr, /Not 200\/204\. Penpot as it runs \(2\.15-2\.17\) still does not count an answered delivery/);
  const line = await listener.nextLine();
  assert.match(line, /^\d\d:\d\d:\d\d\.\d{3} {2}POST {2}create-project +json +\d+ B {2}→ 500 {2}forward 200 in \d+ ms$/);
  assert.equal(target.requests[0].headers['content-type'], 'application/json');
  assert.equal((await listener.stop()).code, 0);
});

test('trigger reports an unreachable target with exit code 1', async () => {
  const result = await run(['trigger', 'create-file', '--to', `http://127.0.0.1:${await closedPort()}/hook`]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Connection refused/);
  assert.equal(result.stdout, '');
});

test('listen and trigger refuse bad arguments with exit code 2 and their usage', async () => {
  const cases: [string[], RegExp][] = [
    [['listen', '--port', 'eighty'], /--port must be a number from 0 to 65535/],
    [['listen', '--status', '99'], /--status must be a number from 200 to 599/],
    [['listen', '--forward', 'ftp://x'], /--forward must be an http\(s\) URL/],
    [['listen', '--secret', 'short'], /--secret must be URL-safe base64/],
    [['trigger', 'no-such-event', '--to', 'http://127.0.0.1:1/'], /Unknown event "no-such-event"\. Valid events: create-file/],
    [['trigger', 'create-file'], /--to is required/],
    [['trigger', 'create-file', '--to', 'http://127.0.0.1:1/', '--format', 'xml'], /--format must be json or transit/],
    [['trigger'], /Missing EVENT/],
  ];
  for (const [args, message] of cases) {
    const result = await run(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message, args.join(' '));
    assert.match(result.stderr, /Usage: penpot-integrations (listen|trigger)/);
  }
});

test('listen on a port that is taken exits 1 with a readable message', async (t) => {
  const target = await startTarget(t);
  const result = await run(['listen', '--port', String(target.port)]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Port \d+ on 127\.0\.0\.1 is already in use/);
});

test('listen in human mode prints an event name with terminal escapes as visible text (issue 14 row 7)', async (t) => {
  const listener = listen(t, ['--port', '0']);
  const url = /^Listening on (\S+)$/.exec(await listener.nextLine())?.[1];
  assert.ok(url);
  await listener.nextLine(); // "Answering 204."
  const name = 'evil\x1b[2J\x1b]52;c;ZXZpbA==\x07\u009b';
  assert.equal((await post(url, JSON.stringify({ name }), { 'content-type': 'application/json' })).status, 204);
  const line = await listener.nextLine();
   
  assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f]/);
  assert.ok(line.includes('evil\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07\\x9b'), line);
  assert.equal((await listener.stop()).code, 0);
});

test('listen --history keeps the events in a file, bounded by --max-events, for the next run', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'listen-history-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'events.jsonl');
  for (const run of [1, 2]) {
    const listener = listen(t, ['--json', '--port', '0', '--history', file, '--max-events', '2']);
    const { url } = JSON.parse(await listener.nextLine()) as { url: string };
    for (let i = 0; i < 2; i++) {
      assert.equal((await post(url, JSON.stringify({ name: `run${run}-${i}` }), { 'content-type': 'application/json' })).status, 204);
      await listener.nextLine();
    }
    assert.equal((await listener.stop()).code, 0);
  }
  const store = EventStore.open({ file, capacity: 2 });
  t.after(() => store.close());
  assert.deepEqual(store.list().map((e) => e.summary.eventName), ['run2-0', 'run2-1']);
  assert.deepEqual(store.list().map((e) => e.id), ['3', '4'], 'ids continue across runs');
});
