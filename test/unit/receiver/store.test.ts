// The event store: the ring's bounds, the history file (restart, compaction, torn lines, a crash after the ack)
// and change notifications.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test, type TestContext } from 'node:test';
import { EventStore, type NewEvent, type StoreChange } from '../../../src/receiver';
import { pathOf, post, rawExchange, startTestReceiver } from './helpers';

function tempFile(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'receiver-store-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'events.jsonl');
}

function draft(body: string, extra: Partial<NewEvent> = {}): NewEvent {
  const bytes = Buffer.from(body);
  return {
    receivedAt: new Date().toISOString(), method: 'POST', path: '/hooks/{secret}', headers: [['content-type', 'application/json']],
    remoteAddress: '127.0.0.1', contentType: 'application/json', size: bytes.length, bodyBase64: bytes.toString('base64'),
    format: 'json', decoded: { kind: 'json', value: JSON.parse(body) }, summary: {}, responseStatus: 204, ...extra,
  };
}

test('a restart keeps the history: ids, bytes, decoded bodies and forward results', async (t) => {
  const file = tempFile(t);
  const first = EventStore.open({ file });
  const receiver = await startTestReceiver(t, { store: first });
  await post(receiver.url, '{"name":"rename-file","profileId":"p1","props":{"teamId":"t1"}}', { 'content-type': 'application/json' });
  await post(receiver.url, 'not json', { 'content-type': 'application/json' });
  first.recordForward(first.list()[0].id, { target: 'http://127.0.0.1:1/x', status: 200, ms: 3, body: 'ok', at: new Date().toISOString() });
  await receiver.close();
  // Plain copies: a closed store's events no longer read their bytes from the history.
  const before = first.list().map((e) => JSON.parse(JSON.stringify(e)) as typeof e);
  first.close();
  assert.throws(() => first.list()[0].bodyBase64, /The event store is closed/);

  const second = EventStore.open({ file });
  t.after(() => second.close());
  const after = second.list();
  assert.deepEqual(after.map((e) => e.id), before.map((e) => e.id));
  assert.deepEqual(after.map((e) => e.bodyBase64), before.map((e) => e.bodyBase64));
  assert.deepEqual(after[0].decoded, before[0].decoded);
  assert.deepEqual(after[0].summary, { eventName: 'rename-file', profileId: 'p1', teamId: 't1' });
  assert.equal(after[0].forward?.status, 200);
  assert.match(after[1].decodeError ?? '', /^Invalid JSON/);
  assert.equal(second.add(draft('{}')).seq, 3, 'numbering continues after a restart');
  const mode = fs.statSync(file).mode & 0o777;
  if (process.platform !== 'win32') assert.equal(mode, 0o600);
});

test('compaction keeps the newest N and the file stays bounded', (t) => {
  const file = tempFile(t);
  const store = EventStore.open({ file, capacity: 5 });
  const lineCount = (name: string): number => (fs.existsSync(name) ? fs.readFileSync(name, 'utf8').split('\n').filter(Boolean).length : 0);
  for (let i = 1; i <= 300; i++) {
    store.add(draft(JSON.stringify({ i })));
    // Two generations of at most one ring each (plus the meta line of the rewrite made when opening).
    const lines = lineCount(file) + lineCount(`${file}.old`);
    assert.ok(lines <= 2 * 5 + 1, `after ${i} events the history holds ${lines} lines`);
  }
  store.close();
  const reopened = EventStore.open({ file, capacity: 5 });
  t.after(() => reopened.close());
  assert.deepEqual(reopened.list().map((e) => e.seq), [296, 297, 298, 299, 300]);
  assert.deepEqual(reopened.list().map((e) => (e.decoded?.value as { i: number }).i), [296, 297, 298, 299, 300]);
  assert.equal(lineCount(file), 6, 'opening rewrites the history: meta + 5 events');
  assert.equal(fs.existsSync(`${file}.old`), false);
});

test('reopening with a smaller capacity keeps the newest', (t) => {
  const file = tempFile(t);
  const store = EventStore.open({ file, capacity: 10 });
  for (let i = 0; i < 10; i++) store.add(draft('{}'));
  store.close();
  const smaller = EventStore.open({ file, capacity: 3 });
  t.after(() => smaller.close());
  assert.deepEqual(smaller.list().map((e) => e.seq), [8, 9, 10]);
});

test('a line torn by a crash mid-write is skipped and the rest loads', (t) => {
  const file = tempFile(t);
  const store = EventStore.open({ file });
  store.add(draft('{"a":1}'));
  store.add(draft('{"a":2}'));
  store.close();
  fs.appendFileSync(file, '{"t":"add","e":{"id":"3","seq":3,"bodyBa');
  const reopened = EventStore.open({ file });
  t.after(() => reopened.close());
  assert.deepEqual(reopened.list().map((e) => e.id), ['1', '2']);
  assert.equal(reopened.add(draft('{}')).id, '3');
});

test('remove and clear are persisted; ids are never reused after a clear', (t) => {
  const file = tempFile(t);
  const store = EventStore.open({ file });
  for (let i = 0; i < 4; i++) store.add(draft('{}'));
  store.add(draft('{"secret":"remove me"}'));
  assert.deepEqual(store.remove(['2', '5', '9']), ['2', '5']);
  const onDisk = [file, `${file}.old`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f, 'utf8')).join('');
  assert.ok(!onDisk.includes(Buffer.from('{"secret":"remove me"}').toString('base64')), 'a removed payload leaves the disk at once');
  store.close();
  const reopened = EventStore.open({ file });
  assert.deepEqual(reopened.list().map((e) => e.id), ['1', '3', '4']);
  reopened.clear();
  reopened.close();
  const cleared = EventStore.open({ file });
  t.after(() => cleared.close());
  assert.equal(cleared.size, 0);
  assert.equal(cleared.add(draft('{}')).id, '6');
});

test('the byte budget evicts the oldest but always keeps the newest', () => {
  const store = EventStore.open({ capacity: 100, maxBytes: 10 });
  store.add(draft('{"x":"1234"}')); // 12 bytes: alone over budget, still kept
  assert.equal(store.size, 1);
  store.add(draft('{}'));
  store.add(draft('[]'));
  assert.deepEqual(store.list().map((e) => e.seq), [2, 3]);
  store.close();
});

test('listeners get added (with evictions), updated, removed and cleared, after the call returns', async () => {
  const store = EventStore.open({ capacity: 1 });
  const changes: StoreChange[] = [];
  const subscription = store.onDidChange((c) => changes.push(c));
  const first = store.add(draft('{}'));
  assert.equal(changes.length, 0, 'nothing is delivered inside add()');
  const second = store.add(draft('{}'));
  store.recordForward(second.id, { target: 'http://127.0.0.1:1/', ms: 1, error: 'Connection refused', at: new Date().toISOString() });
  assert.equal(store.recordForward(first.id, { target: 'x', ms: 0, at: '' }), undefined, 'evicted events are not updated');
  store.remove([second.id]);
  store.clear();
  await Promise.resolve();
  assert.deepEqual(changes.map((c) => c.kind), ['added', 'added', 'updated', 'removed', 'cleared']);
  assert.deepEqual((changes[1] as { evictedIds: string[] }).evictedIds, [first.id]);
  subscription.dispose();
  store.add(draft('{}'));
  await Promise.resolve();
  assert.equal(changes.length, 5);
  store.close();
  assert.throws(() => store.add(draft('{}')), /closed/);
});

test('a second store on the same history (another window) reads it but leaves the writing to the first', (t) => {
  const file = tempFile(t);
  const errors: Error[] = [];
  const writer = EventStore.open({ file });
  writer.add(draft('{"from":"writer","n":1}'));
  const reader = EventStore.open({ file, onError: (e) => errors.push(e) });
  assert.equal(writer.persistent, true);
  assert.equal(reader.persistent, false);
  assert.match(errors[0]?.message ?? '', new RegExp(`being written by another process \\(pid ${process.pid}\\)`));
  assert.deepEqual(reader.list().map((e) => (e.decoded?.value as { n: number }).n), [1]);
  reader.add(draft('{"from":"reader"}'));
  writer.add(draft('{"from":"writer","n":2}'));
  reader.close();
  writer.close();
  const after = EventStore.open({ file });
  t.after(() => after.close());
  assert.equal(after.persistent, true);
  assert.deepEqual(after.list().map((e) => (e.decoded?.value as { from: string }).from), ['writer', 'writer']);
});

test('a lock left by a process that is gone is taken over', (t) => {
  const file = tempFile(t);
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  fs.writeFileSync(`${file}.lock`, gone.stdout);
  const store = EventStore.open({ file });
  t.after(() => store.close());
  assert.equal(store.persistent, true);
  assert.equal(JSON.parse(fs.readFileSync(`${file}.lock`, 'utf8')).pid, process.pid);
});

test('an unusable history file is reported clearly when opening', () => {
  assert.throws(() => EventStore.open({ file: path.join(os.tmpdir(), 'no-such-dir-receiver', 'x', 'events.jsonl') }), /Cannot write the event history/);
  assert.throws(() => EventStore.open({ capacity: 0 }), /capacity must be a positive integer/);
});

test('an event acknowledged with 2xx survives the receiver process being killed right after', async (t) => {
  const file = tempFile(t);
  // A separate process runs the receiver on the history file and prints its URL; it is SIGKILLed right after
  // the ack, so nothing gets a chance to flush or close.
  const script = `
    const { startReceiver, EventStore, generateReceiverSecret } = require('./src/receiver');
    (async () => {
      const store = EventStore.open({ file: process.env.HISTORY_FILE });
      const receiver = await startReceiver({ secret: generateReceiverSecret(), port: 0, store });
      process.stdout.write(receiver.url + '\\n');
    })();`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: path.resolve(__dirname, '../../..'), env: { ...process.env, HISTORY_FILE: file }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d; if (out.includes('\n')) resolve(out.trim()); });
    child.on('exit', (code) => reject(new Error(`receiver process exited early (${code})`)));
  });
  const answers = await Promise.all([1, 2, 3].map((i) => post(url, JSON.stringify({ name: 'create-file', i }), { 'content-type': 'application/json' })));
  assert.deepEqual(answers.map((a) => a.status), [204, 204, 204]);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  const store = EventStore.open({ file });
  t.after(() => store.close());
  assert.equal(store.persistent, true, "the killed process's lock is taken over");
  assert.deepEqual(store.list().map((e) => (e.decoded?.value as { i: number }).i).sort(), [1, 2, 3]);
});

test('a stored event reads like a plain ReceivedEvent and survives a restart byte for byte, awkward headers and path included', async (t) => {
  const file = tempFile(t);
  const first = EventStore.open({ file });
  const receiver = await startTestReceiver(t, { store: first });
  const body = '{"name":"rename-file","profileId":"p1","props":{"teamId":"t1","note":"“quoted” \\\\ é"}}';
  // Raw HTTP, so that a header value can carry a quote, a backslash and a Latin-1 byte (obs-text).
  const head = `POST ${pathOf(receiver.url)}?a="b"&c=\\ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n`
    + `X-Note: say "hi" \\ caf\xe9\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`;
  assert.match(await rawExchange(receiver.port, [Buffer.from(head, 'latin1'), body]), /^HTTP\/1\.1 204 /);
  const [event] = first.list();
  const expected = {
    id: '1', seq: 1, receivedAt: event.receivedAt, method: 'POST', path: '/hooks/{secret}?a="b"&c=\\',
    headers: [['Host', 'x'], ['Content-Type', 'application/json'], ['X-Note', 'say "hi" \\ caf\xe9'],
      ['Content-Length', String(Buffer.byteLength(body))], ['Connection', 'close']],
    remoteAddress: '127.0.0.1', contentType: 'application/json', size: Buffer.byteLength(body),
    bodyBase64: Buffer.from(body).toString('base64'), format: 'json', decoded: { kind: 'json', value: JSON.parse(body) },
    summary: { eventName: 'rename-file', profileId: 'p1', teamId: 't1' }, responseStatus: 204,
  };
  // JSON is how events leave the extension host (export files, the viewer's messages).
  assert.deepEqual(JSON.parse(JSON.stringify(event)), expected);
  assert.deepEqual(JSON.parse(JSON.stringify(first.list())), [expected]);
  await receiver.close();
  first.close();

  const second = EventStore.open({ file });
  t.after(() => second.close());
  const [reloaded] = second.list();
  assert.deepEqual(JSON.parse(JSON.stringify(reloaded)), expected);
  assert.deepEqual(reloaded.headers, expected.headers);
  assert.equal(reloaded.path, expected.path);
});

test('decoded payloads are rebuilt from the bytes when read; only the last few stay cached', () => {
  const store = EventStore.open({ capacity: 100 });
  const events = Array.from({ length: 40 }, (_, i) => store.add(draft(JSON.stringify({ name: 'create-file', i }))));
  const first = events[0].decoded;
  assert.deepEqual(first, { kind: 'json', value: { name: 'create-file', i: 0 } });
  assert.equal(events[0].decoded, first, 'a repeated read is served from the cache');
  for (const event of events.slice(1)) assert.equal((event.decoded?.value as { i: number }).i, events.indexOf(event));
  const again = events[0].decoded;
  assert.notEqual(again, first, 'pushed out of the cache by the other reads, so rebuilt');
  assert.deepEqual(again, first);
  store.close();
});

test('rotation deletes the previous generation off the event loop; one left by a crash goes when the history is opened', async (t) => {
  const file = tempFile(t);
  const retired = `${file}.retired`;
  const store = EventStore.open({ file, capacity: 2 });
  for (let i = 0; i < 6; i++) store.add(draft(JSON.stringify({ i }))); // three rotations
  // The deletion runs on libuv's thread pool: wait for it (bounded), without asserting how long it takes.
  for (let tries = 0; fs.existsSync(retired) && tries < 200; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(fs.existsSync(retired), false);
  assert.ok(fs.existsSync(`${file}.old`));
  store.close();

  fs.writeFileSync(retired, '{"t":"add","e":{"id":"1","seq":1,"bodyBase64":""}}\n');
  const reopened = EventStore.open({ file, capacity: 2 });
  t.after(() => reopened.close());
  assert.equal(fs.existsSync(retired), false, 'a leftover generation is deleted, not loaded');
  assert.deepEqual(reopened.list().map((e) => (e.decoded?.value as { i: number }).i), [4, 5]);
});
