// The viewer's change batching: a burst at a full ring reaches the webview as a bounded number of messages, and
// each message is the net effect of its changes (what the webview ends up with equals the store).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventStore } from '../../../../src/receiver';
import { draft } from './helpers';
import { ChangeBatcher, type Scheduler } from '../../../../src/extension/viewer/changeBatch';
import type { EventRow, RowChanges } from '../../../../src/extension/viewer/protocol';
import { RowModel } from '../../../../media/viewer/model';

/** A scheduler the test fires by hand: `tick()` runs what is due, like one time slice ending. */
function manualScheduler(): { schedule: Scheduler; tick(): void; armed(): number } {
  let due: (() => void)[] = [];
  return {
    schedule: (flush) => {
      due.push(flush);
      return () => { due = due.filter((f) => f !== flush); };
    },
    tick: () => { const now = due; due = []; for (const f of now) f(); },
    armed: () => due.length,
  };
}

/** Lets the store deliver its queued change notifications (it emits after the call that made them, in a microtask). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('viewer change batching', () => {
  it('sends a 1,000-event burst at a full ring as one message holding only what the webview must change', async () => {
    const store = EventStore.open({ capacity: 1000 });
    for (let i = 0; i < 1000; i++) store.add(draft('update-file', { i }));
    const before = store.list().map((e) => e.id);
    const clock = manualScheduler();
    const sent: RowChanges[] = [];
    const batcher = new ChangeBatcher(clock.schedule, (c) => sent.push(c));
    await settle(); // the fill's notifications predate the batcher
    store.onDidChange((change) => batcher.push(change));

    for (let i = 0; i < 1000; i++) store.add(draft('rename-file', { i }));
    await settle();
    assert.equal(clock.armed(), 1, 'one flush scheduled for the whole burst');
    clock.tick();
    assert.equal(sent.length, 1);
    const [message] = sent;
    assert.deepEqual(new Set(message.removed), new Set(before), 'each evicted row once');
    assert.deepEqual(message.added.map((r) => r.id), store.list().map((e) => e.id), 'the new rows, oldest first');
    assert.equal(message.updated.length, 0);
    assert.ok(message.added.every((r: EventRow) => r.eventName === 'rename-file'));
    store.close();
  });

  it('bounds the messages of a burst spread over many slices by the number of slices, and the webview ends equal to the store', async () => {
    const store = EventStore.open({ capacity: 500 });
    const clock = manualScheduler();
    const model = new RowModel();
    model.init([], 0);
    let messages = 0;
    const batcher = new ChangeBatcher(clock.schedule, (c) => { messages++; model.apply(c); });
    store.onDidChange((change) => batcher.push(change));
    const slices = 7;
    for (let s = 0; s < slices; s++) {
      for (let i = 0; i < 300; i++) store.add(draft(i % 3 === 0 ? 'create-file' : 'update-file', { s, i }));
      if (s === 3) store.recordForward(store.list()[10].id, { target: 'http://127.0.0.1:9/', status: 204, ms: 1, at: new Date(0).toISOString() });
      if (s === 4) store.remove([store.list()[0].id, store.list()[1].id]);
      await settle();
      clock.tick();
    }
    assert.equal(messages, slices);
    const shown = model.filtered({}, undefined);
    assert.deepEqual(shown.map((r) => r.id), store.list().map((e) => e.id).reverse());
    assert.equal(model.count('eventName', 'create-file'), store.list().filter((e) => e.summary.eventName === 'create-file').length);
    assert.equal(model.count('format', 'json'), store.size);
    store.clear();
    await settle();
    clock.tick();
    assert.equal(model.size, 0);
    assert.equal(model.values('eventName').length, 0);
    store.close();
  });

  it('folds an addition and its eviction inside one slice into nothing, and an update of a new row into the row', () => {
    const clock = manualScheduler();
    const sent: RowChanges[] = [];
    const batcher = new ChangeBatcher(clock.schedule, (c) => sent.push(c));
    const store = EventStore.open({ capacity: 10 });
    const a = store.add(draft('a'));
    const b = store.add(draft('b'));
    batcher.push({ kind: 'added', event: a, evictedIds: [] });
    batcher.push({ kind: 'updated', event: a });
    batcher.push({ kind: 'added', event: b, evictedIds: [a.id] });
    batcher.push({ kind: 'removed', ids: ['99'] });
    clock.tick();
    assert.deepEqual(sent, [{ removed: ['99'], added: [sent[0].added[0]], updated: [] }]);
    assert.equal(sent[0].added[0].id, b.id);
    // Held while the webview gets its first rows: nothing is sent until released.
    batcher.hold(true);
    batcher.push({ kind: 'cleared' });
    clock.tick();
    assert.equal(sent.length, 1);
    batcher.hold(false);
    clock.tick();
    assert.deepEqual(sent[1], { cleared: true, removed: [], added: [], updated: [] });
    store.close();
  });
});
