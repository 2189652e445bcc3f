// The viewer's search index at 100,000 events: the same answer as reading every payload, kept up to date by the
// store's changes (evictions, removals, clear), over JSON and Transit, case-insensitively, multi-byte text included.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodePenpotEvent, buildPenpotEvent } from '../../../../src/penpot/events';
import { EventStore, decodeBody, type NewEvent, type StoreChange } from '../../../../src/receiver';
import { SearchIndex } from '../../../../src/extension/viewer/searchIndex';
import { searchableText } from '../../../../src/extension/viewer/eventText';
import { draft } from './helpers';

const N = 100_000;

function transitDraft(name: string, props: Record<string, string>): NewEvent {
  const { body, contentType } = encodePenpotEvent(buildPenpotEvent(name, { props }), 'transit');
  const bytes = Buffer.from(body);
  const decoded = decodeBody(bytes, contentType);
  return { ...draft(name), contentType, size: bytes.length, bodyBase64: bytes.toString('base64'), ...decoded };
}

describe('viewer search index', { timeout: 120_000 }, () => {
  it(`finds exactly the events whose payload holds the text among ${N.toLocaleString('en')}`, async () => {
    const store = EventStore.open({ capacity: N });
    const index = new SearchIndex((id) => store.get(id));
    const changes: StoreChange[] = [];
    store.onDidChange((c) => changes.push(c));
    const expectedNeedle: string[] = [];
    const expectedUnicode: string[] = [];
    for (let i = 0; i < N; i++) {
      if (i % 997 === 0) {
        expectedNeedle.push(store.add(draft('rename-file', { name: `Quarterly NEEDLE ${i}` })).id);
      } else if (i % 4999 === 1) {
        expectedUnicode.push(store.add(transitDraft('create-project', { name: `Straße ÜBER ${i}` })).id);
      } else {
        store.add(draft('update-file', { revn: i, note: 'needl e' }));
      }
    }
    index.seed(store.list().map((e) => e.id));
    assert.deepEqual(await index.search('quarterly needle'), expectedNeedle);
    assert.deepEqual(await index.search('straße über'), expectedUnicode, 'Transit keyword maps and multi-byte text, any case');
    assert.equal((await index.search('')).length, N);
    assert.deepEqual(await index.search('no such text anywhere'), []);
    // Agrees with reading every payload.
    const brute = store.list().filter((e) => searchableText(e).includes('"name":"create-project"')).map((e) => e.id);
    assert.deepEqual(await index.search('"name":"create-project"'), brute);
    // Restricted to some ids (the webview asks about newly arrived rows only).
    assert.deepEqual(await index.search('needle', [expectedNeedle[1], '2', expectedNeedle[5]]), [expectedNeedle[1], expectedNeedle[5]]);

    // Kept up to date by the store's changes: a full ring evicts the oldest, removal and clear forget.
    await new Promise((resolve) => setImmediate(resolve));
    changes.length = 0;
    const newcomer = store.add(draft('rename-file', { name: 'Quarterly needle newcomer' }));
    store.remove([expectedNeedle[3]]);
    await new Promise((resolve) => setImmediate(resolve));
    for (const c of changes) index.onStoreChange(c);
    const after = await index.search('QUARTERLY NEEDLE');
    assert.deepEqual(after, [...expectedNeedle.slice(1, 3), ...expectedNeedle.slice(4), newcomer.id],
      'the evicted first event and the removed one are gone, the newcomer found');
    index.onStoreChange({ kind: 'cleared' });
    assert.deepEqual(await index.search('needle'), []);
    store.close();
  });

  it('indexes what arrived before the seed with it, and a ring that turns over frees its old text', async () => {
    const capacity = 5000;
    const store = EventStore.open({ capacity });
    const index = new SearchIndex((id) => store.get(id));
    store.onDidChange((c) => index.onStoreChange(c));
    for (let i = 0; i < capacity; i++) store.add(draft('update-file', { i, text: 'x'.repeat(2000) }));
    index.seed(store.list().map((e) => e.id));
    assert.equal((await index.search('')).length, capacity);
    const held = index.bytes;
    assert.ok(held >= capacity * 2000, `${held} bytes for ${capacity} texts of 2 kB`);
    // Three turns of the ring: the oldest segments empty and go, so what is held stays about the same.
    for (let i = 0; i < 3 * capacity; i++) store.add(draft(i % 1000 === 0 ? 'rename-file' : 'update-file', { i: capacity + i, text: 'x'.repeat(2000) }));
    await new Promise((resolve) => setImmediate(resolve)); // the store tells its listeners in a microtask
    await index.ready();
    assert.equal(index.size, capacity);
    assert.ok(index.bytes <= held + 2 * 4 * 1024 * 1024, `${index.bytes} bytes held after the ring turned, ${held} before`);
    const expected = store.list().filter((e) => e.summary.eventName === 'rename-file').map((e) => e.id);
    assert.equal(expected.length, 5);
    assert.deepEqual(await index.search('"rename-file"'), expected);
    store.close();
  });

  it('indexes in slices that yield to the event loop, so other work keeps running', async () => {
    const store = EventStore.open({ capacity: 20_000 });
    for (let i = 0; i < 20_000; i++) store.add(draft('update-file', { i, text: 'x'.repeat(200) }));
    let yields = 0;
    const index = new SearchIndex((id) => store.get(id), () => { yields++; return new Promise((r) => setImmediate(r)); });
    index.seed(store.list().map((e) => e.id));
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 1);
    await index.ready();
    clearInterval(timer);
    assert.equal(index.size, 20_000);
    assert.ok(yields > 1, `${yields} yields`);
    assert.ok(ticks > 0, 'a timer ran while the index was filling');
    store.close();
  });

  it('yields while it scans a large index, and leaves out what was removed meanwhile', async () => {
    const store = EventStore.open({ capacity: 20_000 });
    const needles: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const event = store.add(draft('update-file', { i, text: 'x'.repeat(2000), tag: i % 1000 === 0 ? 'needle' : 'hay' }));
      if (i % 1000 === 0) needles.push(event.id);
    }
    let searching = false;
    let searchYields = 0;
    const index = new SearchIndex((id) => store.get(id), async () => {
      if (searching && searchYields++ === 0) {
        // During the scan: the first event (scanned already) goes, as the viewer's Delete would.
        store.remove([needles[0]]);
        index.onStoreChange({ kind: 'removed', ids: [needles[0]] });
      }
      await new Promise((r) => setImmediate(r));
    });
    index.seed(store.list().map((e) => e.id));
    await index.ready();
    searching = true;
    const found = await index.search('"needle"');
    assert.ok(searchYields >= 2, `${searchYields} yields while scanning ${(index.bytes / 2 ** 20).toFixed(0)} MiB`);
    assert.deepEqual(found, needles.slice(1));
    store.close();
  });
});
