// Issue 13 point 1: an event's bytes live in the history file and are read back on demand. Bodies read back equal
// what was received through rotation, reload, a second (read-only) window, compaction and a failed write; the
// memory kept per event does not grow with its size. Real files in a temp dir, real HTTP on loopback.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test, type TestContext } from 'node:test';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { EventStore, type NewEvent } from '../../../src/receiver';
import { post, startTestReceiver } from './helpers';

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

function tempFile(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'receiver-ondisk-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'events.jsonl');
}

function draft(body: Buffer | string): NewEvent {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return {
    receivedAt: new Date().toISOString(), method: 'POST', path: '/hooks/{secret}', headers: [['content-type', 'application/octet-stream']],
    remoteAddress: '127.0.0.1', contentType: 'application/octet-stream', size: bytes.length, bodyBase64: bytes.toString('base64'),
    format: 'binary', summary: {}, responseStatus: 204,
  };
}

/** Bytes held in ArrayBuffers (Buffers) once garbage is collected: where the store kept lines in memory. */
function bufferBytes(): number {
  for (let i = 0; i < 3; i++) collectGarbage();
  return process.memoryUsage().arrayBuffers;
}

function bodyOf(event: { bodyBase64: string }): Buffer {
  return Buffer.from(event.bodyBase64, 'base64');
}

/** Every kept event's body, by id. */
function bodiesOf(store: EventStore): Map<string, Buffer> {
  return new Map(store.list().map((e) => [e.id, bodyOf(e)]));
}

function assertBodies(store: EventStore, sent: Map<string, Buffer>, what: string): void {
  const kept = bodiesOf(store);
  assert.ok(kept.size > 0, `${what}: events kept`);
  for (const [id, body] of kept) assert.ok(body.equals(sent.get(id) ?? Buffer.alloc(0)) && sent.has(id), `${what}: event ${id}`);
}

test('bodies received over HTTP read back byte for byte from the history, across rotations, a reload and a removal', async (t) => {
  const file = tempFile(t);
  const store = EventStore.open({ file, capacity: 8 });
  const receiver = await startTestReceiver(t, { store });
  const sent = new Map<string, Buffer>();
  for (let i = 0; i < 30; i++) {
    // Arbitrary bytes (not valid UTF-8), empty bodies, and text with multi-byte characters.
    const body = i % 5 === 0 ? Buffer.alloc(0) : i % 2 === 0 ? randomBytes(1 + i * 37) : Buffer.from(`{"name":"café ${i}","π":"${'é'.repeat(i)}"}`);
    const answer = await post(receiver.url, body, { 'content-type': i % 2 === 0 ? 'application/octet-stream' : 'application/json' });
    assert.equal(answer.status, 204);
    sent.set(store.list().at(-1)!.id, body);
  }
  // Three rotations happened: the ring (23–30) spans `.old` (23, 24) and the current file.
  assert.deepEqual(store.list().map((e) => e.seq), [23, 24, 25, 26, 27, 28, 29, 30]);
  assert.match(fs.readFileSync(`${file}.old`, 'utf8'), /"seq":23,/);
  assertBodies(store, sent, 'after rotations');
  assert.equal(store.get('24')?.size, sent.get('24')?.length);
  store.remove(['26']); // compaction: the lines are copied to a new file and read from there
  assert.equal(fs.existsSync(`${file}.old`), false);
  assertBodies(store, sent, 'after a removal');
  await receiver.close();
  store.close();

  const reopened = EventStore.open({ file, capacity: 8 });
  t.after(() => reopened.close());
  assert.deepEqual(reopened.list().map((e) => e.seq), [23, 24, 25, 27, 28, 29, 30]);
  assertBodies(reopened, sent, 'after a reload');
  for (let i = 0; i < 12; i++) sent.set(reopened.add(draft(`more ${i}`)).id, Buffer.from(`more ${i}`)); // rotates again
  assertBodies(reopened, sent, 'after a reload and another rotation');
});

test('the bytes are read from the file when asked for, and a line moved under the store is refused, not misread', (t) => {
  const file = tempFile(t);
  const store = EventStore.open({ file });
  t.after(() => store.close());
  const event = store.add(draft('AAAAAAAAA'));
  const line = fs.readFileSync(file, 'latin1');
  const at = line.indexOf('"bodyBase64":"') + '"bodyBase64":"'.length;
  assert.equal(line.slice(at, at + 12), 'QUFBQUFBQUFB');
  const fd = fs.openSync(file, 'r+');
  t.after(() => fs.closeSync(fd));
  fs.writeSync(fd, 'QkJC', at, 'latin1'); // "BBB" in place of the first three bytes
  assert.equal(bodyOf(event).toString(), 'BBBAAAAAA', 'read from the file, not from a copy in memory');
  fs.writeSync(fd, 'x', at - 1, 'latin1'); // the quote that opens the body
  assert.throws(() => event.bodyBase64, /no longer holds event 1 where the store wrote it/);
});

test('the memory kept per event does not grow with its body when the history is on; a memory-only store keeps the bytes', (t) => {
  const body = randomBytes(4096);
  const count = 10_000; // 40 MiB of bodies, about 55 MiB of lines
  const measure = (file: string | undefined): number => {
    const before = bufferBytes();
    const store = EventStore.open({ file, capacity: count, maxBytes: 1024 ** 3 });
    for (let i = 0; i < count; i++) store.add(draft(body));
    const kept = bufferBytes() - before;
    assert.ok(store.list().every((e) => e.size === body.length));
    assert.ok(bodyOf(store.get(String(count))!).equals(body));
    store.close();
    return kept;
  };
  const withHistory = measure(tempFile(t));
  const memoryOnly = measure(undefined);
  assert.ok(withHistory < 4 * 1024 * 1024, `with a history file: ${withHistory} bytes of buffers for ${count} events`);
  assert.ok(memoryOnly > count * body.length, `memory only: ${memoryOnly} bytes of buffers (the bytes stay in memory)`);
});

test('a ring of 100,000 events reloads exactly, every body read back from the file, without holding the lines', (t) => {
  const file = tempFile(t);
  const count = 100_000;
  const writer = EventStore.open({ file, capacity: count });
  for (let i = 0; i < count + 250; i++) writer.add(draft(`event ${i} ${'x'.repeat(i % 300)}`));
  const ids = writer.list().map((e) => e.id);
  writer.close();
  const before = bufferBytes();
  const restored = EventStore.open({ file, capacity: count });
  t.after(() => restored.close());
  assert.ok(bufferBytes() - before < 8 * 1024 * 1024, 'the lines stay in the file');
  assert.deepEqual(restored.list().map((e) => e.id), ids);
  let index = 250;
  for (const event of restored.list()) {
    const expected = `event ${index} ${'x'.repeat(index % 300)}`;
    assert.equal(bodyOf(event).toString(), expected, `event ${event.id}`);
    index++;
  }
});

test('lines in another form (an older version, a missing newline) load, read back right and are rewritten in the usual form', (t) => {
  const file = tempFile(t);
  const record = (seq: number, e: Record<string, unknown>): string => JSON.stringify({ t: 'add', e: { id: String(seq), seq, method: 'POST', ...e } });
  fs.writeFileSync(file, [
    record(1, { bodyBase64: 'aGk' }), // unpadded base64
    record(2, { decoded: { bodyBase64: 'bm8=' }, bodyBase64: 'eWVz', headers: 'not pairs' }), // the key also nested, earlier
    record(3, { bodyBase64: 'bGFzdA==' }), // the last line, its newline lost
  ].join('\n'));
  const store = EventStore.open({ file });
  assert.deepEqual(store.list().map((e) => bodyOf(e).toString()), ['hi', 'yes', 'last']);
  assert.deepEqual(store.get('2')?.headers, []);
  store.close();
  const rewritten = fs.readFileSync(file, 'utf8');
  assert.ok(rewritten.endsWith('\n') && rewritten.includes('"bodyBase64":"aGk="') && !rewritten.includes('"decoded"'));
  const reopened = EventStore.open({ file });
  t.after(() => reopened.close());
  assert.deepEqual(reopened.list().map((e) => bodyOf(e).toString()), ['hi', 'yes', 'last']);
});

test('a history written with the headers as pairs (before rawHeaders) loads with its headers, and new lines have rawHeaders', (t) => {
  const file = tempFile(t);
  // Byte for byte what the receiver wrote until December 2026.
  const oldLine = '{"t":"add","e":{"id":"1","seq":1,"receivedAt":"2026-07-24T12:08:41.650Z","method":"POST","path":"/hooks/{secret}",'
    + '"headers":[["Host","127.0.0.1:4100"],["Content-Type","application/json"],["X-Note","say \\"hi\\""]],"remoteAddress":"127.0.0.1",'
    + '"contentType":"application/json","size":2,"bodyBase64":"e30=","responseStatus":204}}\n';
  fs.writeFileSync(file, oldLine);
  const store = EventStore.open({ file });
  const old = store.get('1');
  assert.ok(old);
  const oldHeaders = [['Host', '127.0.0.1:4100'], ['Content-Type', 'application/json'], ['X-Note', 'say "hi"']];
  assert.deepEqual(old.headers, oldHeaders);
  assert.deepEqual([old.path, old.remoteAddress, bodyOf(old).toString()], ['/hooks/{secret}', '127.0.0.1', '{}']);
  store.add(draft('new'));
  store.close();
  const adds = fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.startsWith('{"t":"add"'));
  assert.equal(adds[0] + '\n', oldLine, 'the old line is kept as it was, not rewritten');
  assert.match(adds[1], /"rawHeaders":\["content-type","application\/octet-stream"\]/);
  const reopened = EventStore.open({ file });
  t.after(() => reopened.close());
  assert.deepEqual(reopened.list().map((e) => e.headers), [oldHeaders, [['content-type', 'application/octet-stream']]]);
});

test('a read-only second window reads its events while the writer rotates, compacts and deletes the files it loaded', (t) => {
  if (process.platform === 'win32') return t.skip('POSIX: an open file outlives its deletion');
  const file = tempFile(t);
  const writer = EventStore.open({ file, capacity: 10 });
  t.after(() => writer.close());
  const sent = new Map<string, Buffer>();
  for (let i = 0; i < 15; i++) sent.set(writer.add(draft(`first ${i}`)).id, Buffer.from(`first ${i}`));
  const errors: Error[] = [];
  const reader = EventStore.open({ file, capacity: 10, onError: (e) => errors.push(e) });
  t.after(() => reader.close());
  assert.equal(reader.persistent, false);
  assert.match(errors[0]?.message ?? '', /being written by another process/);
  const readerIds = reader.list().map((e) => e.id);
  assert.equal(readerIds.length, 10);
  // The writer replaces both generations: two rotations, then a removal rewrites the file and deletes `.old`.
  for (let i = 0; i < 25; i++) writer.add(draft(`second ${i}`));
  writer.remove([writer.list()[0].id]);
  assert.equal(fs.readFileSync(file, 'utf8').includes('first '), false, 'the lines the reader loaded are gone from the directory');
  assertBodies(reader, sent, 'the read-only store');
  const own = reader.add(draft('kept in memory'));
  assert.equal(bodyOf(own).toString(), 'kept in memory');
});

test('after a failed write the store goes on in memory, and every event (written or not) reads back right', (t) => {
  if (process.platform === 'win32') return t.skip('needs ulimit -f');
  const file = tempFile(t);
  // A separate process with a file size limit (RLIMIT_FSIZE, 64 × 512 bytes): past it write(2) fails with EFBIG
  // (Node ignores SIGXFSZ), as on a full disk.
  const script = `
    const { EventStore } = require('./src/receiver');
    const errors = [];
    const store = EventStore.open({ file: process.env.HISTORY_FILE, onError: (e) => errors.push(e.message) });
    const bodies = [];
    for (let i = 0; i < 100; i++) {
      const body = Buffer.from('body ' + i + ' ' + 'y'.repeat(500));
      bodies.push(body);
      store.add({ receivedAt: '', method: 'POST', path: '/', headers: [], remoteAddress: '', contentType: 'text/plain',
        size: body.length, bodyBase64: body.toString('base64'), format: 'text', summary: {}, responseStatus: 204 });
    }
    const wrong = store.list().filter((e, i) => !e.body.equals(bodies[i])).map((e) => e.id);
    process.stdout.write(JSON.stringify({ persistent: store.persistent, kept: store.size, wrong, errors }));
    store.close();`;
  const run = spawnSync('sh', ['-c', 'ulimit -f 64 && exec "$0" "$@"', process.execPath, '--import', 'tsx', '-e', script], {
    cwd: path.resolve(__dirname, '../../..'), env: { ...process.env, HISTORY_FILE: file }, encoding: 'utf8', timeout: 60_000,
  });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { persistent: boolean; kept: number; wrong: string[]; errors: string[] };
  assert.equal(result.persistent, false);
  assert.equal(result.errors.length, 1);
  assert.match(result.errors[0], /can no longer be written .*new events are kept in memory only/);
  assert.equal(result.kept, 100);
  assert.deepEqual(result.wrong, []);
  const written = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('{"t":"add"')).length;
  assert.ok(written > 10 && written < 100, `${written} events were written before the limit`);
});

test('eviction takes the oldest kept event, whatever was removed or reloaded in between', async (t) => {
  const file = tempFile(t);
  const store = EventStore.open({ file, capacity: 5 });
  for (let i = 1; i <= 5; i++) store.add(draft(`e${i}`));
  store.remove(['1', '3']);
  const changes: string[][] = [];
  store.onDidChange((change) => { if (change.kind === 'added') changes.push(change.evictedIds); });
  for (let i = 6; i <= 9; i++) store.add(draft(`e${i}`));
  assert.deepEqual(store.list().map((e) => e.id), ['5', '6', '7', '8', '9']);
  await new Promise((resolve) => setImmediate(resolve)); // listeners hear of changes after the call that made them
  store.close();
  assert.deepEqual(changes, [[], [], ['2'], ['4']]);
  // A history holding a duplicate (a rewrite cut short) and a clear: the ring is rebuilt in order all the same.
  const line = (seq: number): string => JSON.stringify({ t: 'add', e: { id: String(seq), seq, method: 'POST', bodyBase64: Buffer.from(`d${seq}`).toString('base64') } });
  fs.writeFileSync(file, [line(1), line(2), JSON.stringify({ t: 'clear' }), line(3), line(4), line(5), line(3), line(6), line(7), ''].join('\n'));
  const reloaded = EventStore.open({ file, capacity: 3 });
  t.after(() => reloaded.close());
  assert.deepEqual(reloaded.list().map((e) => e.id), ['3', '6', '7']);
  assert.deepEqual(reloaded.list().map((e) => bodyOf(e).toString()), ['d3', 'd6', 'd7']);
  reloaded.add(draft('new'));
  assert.deepEqual(reloaded.list().map((e) => e.id), ['6', '7', '8']);
});
