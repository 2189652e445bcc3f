// Issue 14 rows 1, 3, 11, 14 and issue 13's ring restore: the history bounded in bytes and reopened as a stream, ids
// validated on load, temp files never written through a link, a lock that tells a reused pid. Real files in a temp dir.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test, type TestContext } from 'node:test';
import { EventStore, type NewEvent } from '../../../src/receiver';

function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'receiver-limits-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function draft(body: Buffer | string): NewEvent {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return {
    receivedAt: new Date().toISOString(), method: 'POST', path: '/hooks/{secret}', headers: [['content-type', 'text/plain']],
    remoteAddress: '127.0.0.1', contentType: 'text/plain', size: bytes.length, bodyBase64: bytes.toString('base64'),
    format: 'text', summary: {}, responseStatus: 204,
  };
}

function historyBytes(file: string): number {
  let total = 0;
  for (const name of [file, `${file}.old`, `${file}.retired`]) {
    try { total += fs.statSync(name).size; } catch { /* absent */ }
  }
  return total;
}

test('row 1: the history is bounded by bytes as well as count, and every file the store wrote reopens', (t) => {
  const file = path.join(tempDir(t), 'events.jsonl');
  const maxBytes = 8 * 1024 * 1024;
  const body = Buffer.alloc(1024 * 1024, 'x'); // 1 MiB each: 40 of them is 5× the budget
  const store = EventStore.open({ file, capacity: 1000, maxBytes });
  for (let i = 0; i < 40; i++) store.add(draft(body));
  const kept = store.list().map((e) => e.id);
  store.close();
  // Two generations of at most maxBytes of bodies, base64 on disk (4/3), plus record overhead.
  assert.ok(historyBytes(file) <= 2 * (maxBytes * 4 / 3) + 2 * 1024 * 1024 * 4 / 3, `history is ${historyBytes(file)} bytes`);
  const reopened = EventStore.open({ file, capacity: 1000, maxBytes });
  t.after(() => reopened.close());
  assert.deepEqual(reopened.list().map((e) => e.id), kept);
  assert.equal(reopened.list().at(-1)?.size, body.length);
  assert.equal(reopened.persistent, true);
});

test('row 1: a history larger than any string Node can make reopens (it is read line by line)', (t) => {
  const file = path.join(tempDir(t), 'events.jsonl');
  // 600 MiB of file made with a sparse tail of torn bytes would not be a record; instead write ~560 MB of real
  // records cheaply: one 7 MiB line repeated, the way the unbounded store of before left them.
  const body = Buffer.alloc(5 * 1024 * 1024, 'y');
  const writer = EventStore.open({ file, capacity: 2, maxBytes: 1024 * 1024 * 1024 });
  writer.add(draft(body));
  writer.close();
  const line = fs.readFileSync(file, 'utf8').split('\n').find((l) => l.includes('"t":"add"'));
  assert.ok(line);
  const fd = fs.openSync(file, 'w');
  const record = JSON.parse(line) as { e: { id: string; seq: number } };
  for (let seq = 1; seq <= 80; seq++) {
    record.e.id = String(seq);
    record.e.seq = seq;
    fs.writeSync(fd, JSON.stringify(record) + '\n');
  }
  fs.closeSync(fd);
  assert.ok(fs.statSync(file).size > 540_000_000, 'bigger than the longest string V8 makes');
  const reopened = EventStore.open({ file, capacity: 1000, maxBytes: 16 * 1024 * 1024 });
  t.after(() => reopened.close());
  assert.deepEqual(reopened.list().map((e) => e.id), ['78', '79', '80'], 'the newest that fit in the byte budget');
  assert.equal(reopened.get('80')?.size, body.length);
  assert.ok(fs.statSync(file).size < 30 * 1024 * 1024, 'rewritten to the live events only');
});

test('issue 13: restoring after a reload brings back exactly the ring, however many events the files held', (t) => {
  const file = path.join(tempDir(t), 'events.jsonl');
  const first = EventStore.open({ file, capacity: 1000 });
  for (let i = 0; i < 1392; i++) first.add(draft(`event ${i}`)); // crosses a rotation: both generations hold events
  const ring = first.list().map((e) => e.id);
  first.close();
  assert.equal(ring.length, 1000);
  const restored = EventStore.open({ file, capacity: 1000 });
  assert.deepEqual(restored.list().map((e) => e.id), ring);
  restored.close();
  const smaller = EventStore.open({ file, capacity: 250 });
  t.after(() => smaller.close());
  assert.deepEqual(smaller.list().map((e) => e.id), ring.slice(-250));
});

test('issue 13: a ring of 100,000 events is kept and restored exactly', (t) => {
  const file = path.join(tempDir(t), 'events.jsonl');
  const store = EventStore.open({ file, capacity: 100_000 });
  for (let i = 0; i < 100_500; i++) store.add(draft(`e${i}`));
  assert.equal(store.size, 100_000);
  const firstId = store.list()[0].id;
  store.close();
  const restored = EventStore.open({ file, capacity: 100_000 });
  t.after(() => restored.close());
  assert.equal(restored.size, 100_000);
  assert.equal(restored.list()[0].id, firstId);
  assert.equal(restored.lastSeq, 100_500);
});

test('row 3: a meta record without a valid nextSeq cannot make ids NaN or collide; events survive a restart', (t) => {
  const dir = tempDir(t);
  for (const nextSeq of ['"abc"', 'null', '-5', '1e300', String(2 ** 53), '1.5']) {
    const file = path.join(dir, `events-${Math.random().toString(36).slice(2)}.jsonl`);
    fs.writeFileSync(file, `{"t":"meta","v":1,"nextSeq":${nextSeq}}\n`);
    const store = EventStore.open({ file });
    const ids = [store.add(draft('a')).id, store.add(draft('b')).id, store.add(draft('c')).id];
    assert.equal(new Set(ids).size, 3, `distinct ids with nextSeq ${nextSeq}`);
    for (const id of ids) assert.match(id, /^[1-9]\d*$/);
    store.close();
    const reopened = EventStore.open({ file });
    assert.deepEqual(reopened.list().map((e) => e.id), ids, `all three back after a restart (nextSeq ${nextSeq})`);
    reopened.close();
  }
});

test('row 3: add records with ids that are not safe integers are skipped on load', (t) => {
  const file = path.join(tempDir(t), 'events.jsonl');
  const good = EventStore.open({ file });
  good.add(draft('kept'));
  good.close();
  const bad = (seq: string) => `{"t":"add","e":{"id":"${seq}","seq":${seq},"bodyBase64":"","method":"POST"}}\n`;
  fs.appendFileSync(file, bad(String(2 ** 53)) + bad('0') + bad('-1'));
  const reopened = EventStore.open({ file });
  t.after(() => reopened.close());
  assert.deepEqual(reopened.list().map((e) => e.id), ['1']);
  assert.equal(reopened.add(draft('next')).id, '2');
});

test('row 11: a planted <history>.tmp link is not written through, and the history stays a regular file', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'events.jsonl');
  const victim = path.join(dir, 'victim.txt');
  fs.writeFileSync(victim, 'precious');
  const first = EventStore.open({ file });
  first.add(draft('one'));
  first.close();
  fs.symlinkSync(victim, `${file}.tmp`);
  const store = EventStore.open({ file }); // opening rewrites through the temp file
  store.add(draft('two'));
  store.clear(); // and so does a clear
  store.add(draft('three'));
  store.close();
  assert.equal(fs.readFileSync(victim, 'utf8'), 'precious');
  assert.equal(fs.lstatSync(file).isSymbolicLink(), false);
  assert.equal(fs.lstatSync(file).isFile(), true);
});

test('row 11: a history file replaced by a link is refused, not followed', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'events.jsonl');
  const victim = path.join(dir, 'victim.txt');
  fs.writeFileSync(victim, 'precious');
  const store = EventStore.open({ file });
  store.add(draft('one'));
  store.close();
  fs.rmSync(file);
  fs.symlinkSync(victim, file);
  assert.throws(() => EventStore.open({ file }), /is a symbolic link; it is not followed/);
  assert.equal(fs.readFileSync(victim, 'utf8'), 'precious');
});

test('row 14: a lock whose pid now belongs to an unrelated process is taken over; a live writer\'s is respected', async (t) => {
  if (process.platform !== 'linux') return t.skip('process start times are read from /proc');
  const dir = tempDir(t);
  const file = path.join(dir, 'events.jsonl');
  const unrelated = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
  t.after(() => { unrelated.kill('SIGKILL'); });
  await new Promise((resolve) => unrelated.once('spawn', resolve));
  const pid = unrelated.pid!;
  const boot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  // The same pid, but the writer started at another time: the pid was reused.
  fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid, start: '1', boot }));
  const taken = EventStore.open({ file });
  assert.equal(taken.persistent, true);
  taken.close();
  // An old-style lock (pid only) written before that process started: not its writer either.
  fs.writeFileSync(`${file}.lock`, String(pid));
  const past = new Date(Date.now() - 3600_000);
  fs.utimesSync(`${file}.lock`, past, past);
  const takenOld = EventStore.open({ file });
  assert.equal(takenOld.persistent, true);
  takenOld.close();
  // A lock from another boot.
  fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid, boot: 'another-boot' }));
  const takenBoot = EventStore.open({ file });
  assert.equal(takenBoot.persistent, true);
  takenBoot.close();
  // The real writer's lock (this very process, as another window would be) is respected.
  const writer = EventStore.open({ file });
  t.after(() => writer.close());
  const errors: Error[] = [];
  const reader = EventStore.open({ file, onError: (e) => errors.push(e) });
  t.after(() => reader.close());
  assert.equal(reader.persistent, false);
  assert.match(errors[0]?.message ?? '', /being written by another process/);
});
