// Issue 14 row 4 in the viewer's pure parts: a large body's payload text, search text, export record and detail tree
// are made in the decode workers, never by reading `decoded` (a full decode) on the event loop; refusals keep the raw
// body and say why. Real events, received over loopback by the real receiver.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { ReceivedEvent } from '../../../../src/receiver';
import { checkReport } from '../../../../src/receiver/check';
import { DECODE_TOO_LARGE, IN_PLACE_DECODE_BYTES } from '../../../../src/receiver/decodeWorker';
import {
  eventDetail, exportText, exportTextAsync, payloadJsonText, payloadJsonTextAsync, searchableText,
  searchableTextAsync,
} from '../../../../src/extension/viewer/eventText';
import { SearchIndex } from '../../../../src/extension/viewer/searchIndex';
import { deepTransit, largestDeepTransit } from '../../receiver/deepTransit';
import { post, startTestReceiver } from '../../receiver/helpers';

const TRANSIT = 'application/transit+json';

async function receive(t: TestContext, bodies: string[]): Promise<ReceivedEvent[]> {
  const receiver = await startTestReceiver(t);
  for (const body of bodies) {
    const answer = await post(receiver.url, body, { 'content-type': TRANSIT, 'user-agent': 'penpot/2.17' });
    assert.equal(answer.status, 204);
  }
  return receiver.store.list();
}

/** The event, with every read of `decoded` (a full decode on this thread) counted. */
function watched(event: ReceivedEvent): { event: ReceivedEvent; decodedReads: () => number } {
  let reads = 0;
  const proxy = new Proxy(event, {
    get(target, key) {
      if (key === 'decoded') reads++;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { event: proxy, decodedReads: () => reads };
}

/** About 300 KiB of Transit nested 40 deep: above the in-place size, cheap enough to decode on the test's thread too. */
const LARGE = deepTransit(40, 250);

describe('viewer actions on large payloads (decode workers)', { timeout: 120_000 }, () => {
  it('Copy JSON text of a large body: the same JSON, made off the event loop', async (t) => {
    const [stored] = await receive(t, [LARGE]);
    assert.ok(stored.size > IN_PLACE_DECODE_BYTES, 'the body is large enough to be decoded in a worker');
    const { event, decodedReads } = watched(stored);
    const result = await payloadJsonTextAsync(event);
    assert.equal(decodedReads(), 0);
    assert.equal(result.text, payloadJsonText(stored), 'indented as the synchronous one');
    assert.equal(result.compact, undefined);
  });

  it('the largest deep body: indented JSON is refused for memory, the compact JSON is given instead', async (t) => {
    const [stored] = await receive(t, [largestDeepTransit()]);
    const { event, decodedReads } = watched(stored);
    const indented = await payloadJsonTextAsync(event, 2);
    const compact = await payloadJsonTextAsync(event, 0);
    assert.equal(decodedReads(), 0);
    assert.equal(indented.compact, true);
    assert.ok(compact.text !== undefined && compact.compact === undefined);
    assert.equal(indented.text, compact.text);
    assert.equal((JSON.parse(compact.text) as { name: string }).name, 'update-file');
  });

  it('an undecodable large body gives the reason, and its text stays searchable', async (t) => {
    const broken = LARGE.slice(0, -2) + ',"~:"]'; // truncated structure: the full decode fails, the shallow read may not
    const [stored] = await receive(t, [broken]);
    const { event, decodedReads } = watched(stored);
    const result = await payloadJsonTextAsync(event);
    assert.equal(result.text, undefined);
    assert.match(result.text === undefined ? result.problem : '', /\S/);
    assert.notEqual(result.text === undefined ? result.problem : '', DECODE_TOO_LARGE);
    assert.equal(await searchableTextAsync(event), broken.toLowerCase(), 'the raw body is what is searched');
    assert.equal(decodedReads(), 0);
  });

  it('search text of a large body equals the synchronous one', async (t) => {
    const [stored] = await receive(t, [LARGE]);
    const { event, decodedReads } = watched(stored);
    assert.equal(await searchableTextAsync(event), searchableText(stored));
    assert.equal(decodedReads(), 0);
  });

  it('the search index reads a large body through the workers and finds text deep inside it', async (t) => {
    const stored = await receive(t, [LARGE, deepTransit(2, 1)]);
    const watchedEvents = new Map(stored.map((e) => [e.id, watched(e)]));
    const index = new SearchIndex((id) => watchedEvents.get(id)?.event);
    index.seed(stored.map((e) => e.id));
    assert.deepEqual(await index.search('"k6":"v"'), [stored[0].id], 'only the large body holds `k6`');
    assert.deepEqual(await index.search('update-file'), stored.map((e) => e.id));
    assert.equal(watchedEvents.get(stored[0].id)!.decodedReads(), 0);
  });

  it('export: the same records as the synchronous export, large bodies included', async (t) => {
    const stored = await receive(t, [deepTransit(2, 1), LARGE, deepTransit(3, 2)]);
    const watchedEvents = stored.map(watched);
    for (const format of ['json', 'ndjson'] as const) {
      const text = await exportTextAsync(watchedEvents.map((w) => w.event), format);
      const expected = exportText(stored, format);
      if (format === 'json') assert.deepEqual(JSON.parse(text), JSON.parse(expected));
      else assert.deepEqual(text.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown), expected.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown));
    }
    assert.equal(watchedEvents[1].decodedReads(), 0);
    const small = [stored[0], stored[2]];
    assert.equal(await exportTextAsync(small, 'json'), exportText(small, 'json'), 'small bodies: byte for byte as before');
    assert.equal(await exportTextAsync([], 'json'), exportText([], 'json'));
  });

  it("the detail of a large body: its check from a worker's tree, its payload as the worker's JSON text", async (t) => {
    const [stored] = await receive(t, [LARGE]);
    const { event, decodedReads } = watched(stored);
    const detail = await eventDetail(event);
    assert.equal(decodedReads(), 0);
    assert.equal(detail.event.decoded, undefined, 'the tree is not in the message');
    assert.deepEqual(JSON.parse(detail.decodedJson ?? 'null'), stored.decoded);
    assert.deepEqual(detail.check, checkReport(stored));
    assert.equal(detail.event.bodyBase64, stored.bodyBase64, 'the raw body is in the detail too');
    const small = (await receive(t, [deepTransit(2, 1)]))[0];
    assert.deepEqual(await eventDetail(small), { event: small, check: checkReport(small) }, 'a small body: as before');
  });

  it('the detail of a large body the worker refuses: no payload, the reason, the raw body', async (t) => {
    const broken = LARGE.slice(0, -2) + ',"~:"]';
    const [stored] = await receive(t, [broken]);
    const detail = await eventDetail(stored);
    assert.equal(detail.decodedJson, undefined);
    assert.match(detail.event.decodeError ?? '', /\S/);
    assert.equal(detail.check.status, 'undecodable');
    assert.equal(Buffer.from(detail.event.bodyBase64, 'base64').toString(), broken);
  });
});
