// The decode pool (src/receiver/decodeWorker.ts): full decodes of large bodies in worker threads, bounded in time and
// memory, with the same results as decoding in place (issue 14 row 4).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toPlainJson } from '../../../src/transit';
import { decodeBody } from '../../../src/receiver/decode';
import { DecodePool, IN_PLACE_DECODE_BYTES } from '../../../src/receiver/decodeWorker';
import { DEEP_EVENT_SUMMARY, deepTransit, largestDeepTransit } from './deepTransit';

const TRANSIT = 'application/transit+json';
const big = Buffer.from(largestDeepTransit());

test('a large body decoded in a worker gives what decoding in place gives: the tree, and the JSON text of both forms', async (t) => {
  const pool = new DecodePool({ workers: 1 });
  t.after(() => pool.close());
  assert.ok(big.length > IN_PLACE_DECODE_BYTES);
  const inPlace = decodeBody(big, TRANSIT);
  assert.equal(inPlace.decodeError, undefined);

  const tree = await pool.decode(big, TRANSIT);
  assert.deepEqual(tree, inPlace);

  const payload = await pool.decodeText(big, TRANSIT);
  assert.equal(payload.text, JSON.stringify(inPlace.decoded));
  assert.equal(payload.format, 'transit');
  assert.deepEqual(payload.summary, DEEP_EVENT_SUMMARY);
  assert.equal(payload.shape, 'unknown', 'a made-up update-file without the 2.x envelope keys');

  const plain = await pool.decodeText(big, TRANSIT, { form: 'plain' });
  assert.ok(inPlace.decoded?.kind === 'transit');
  assert.equal(plain.text, JSON.stringify(toPlainJson(inPlace.decoded.value)));

  const shallow = Buffer.from(deepTransit(3, 3000));
  assert.ok(shallow.length > IN_PLACE_DECODE_BYTES);
  const shallowInPlace = decodeBody(shallow, TRANSIT).decoded;
  assert.ok(shallowInPlace?.kind === 'transit');
  const indented = await pool.decodeText(shallow, TRANSIT, { form: 'plain', indent: 2 });
  assert.equal(indented.text, JSON.stringify(toPlainJson(shallowInPlace.value), null, 2));
});

test('indented text of a payload nested 998 deep, which would outgrow any string, is refused within the worker\'s memory', async (t) => {
  // Indenting repeats up to 2 × 998 spaces on each of hundreds of thousands of lines: gigabytes.
  const pool = new DecodePool({ workers: 1 });
  t.after(() => pool.close());
  const refused = await pool.decodeText(big, TRANSIT, { form: 'plain', indent: 2 });
  assert.match(refused.decodeError ?? '', /too large to decode|could not be decoded/);
  assert.equal(refused.text, undefined);
});

test('a decode past its deadline is stopped with "took too long"; the pool goes on with a fresh worker', async (t) => {
  // 5 MiB nested 998 deep takes hundreds of milliseconds; 1 ms cannot be met.
  const pool = new DecodePool({ workers: 1, deadlineMs: 1 });
  t.after(() => pool.close());
  const [slow, next] = await Promise.all([pool.decodeText(big, TRANSIT), pool.decode(big, TRANSIT)]);
  assert.match(slow.decodeError ?? '', /took too long to decode \(over 0\.001 s\); the raw body is kept/);
  assert.equal(slow.text, undefined);
  assert.equal(slow.format, 'transit');
  assert.deepEqual(slow.summary, DEEP_EVENT_SUMMARY, 'the list fields still come from the shallow read');
  assert.match(next.decodeError ?? '', /took too long/, 'the next job ran in a replacement worker and met the same deadline');

  const patient = new DecodePool({ workers: 1 });
  t.after(() => patient.close());
  assert.equal((await patient.decode(big, TRANSIT)).decodeError, undefined);
});

test('a decode that needs more heap than the worker has is refused as "too large to decode"; the next one works', async (t) => {
  const pool = new DecodePool({ workers: 1, heapMb: 8 });
  t.after(() => pool.close());
  const known = { format: 'transit' as const, summary: { eventName: 'given' } };
  const refused = await pool.decode(big, TRANSIT, { listFields: known });
  assert.match(refused.decodeError ?? '', /too large to decode in the memory allowed; the raw body is kept/);
  assert.equal(refused.decoded, undefined);
  assert.deepEqual(refused.summary, known.summary, 'the list fields the caller knows are kept, not read again');

  // Flat, so that it fits the small heap whatever the GC timing; above the in-place size, so a worker decodes it.
  const next = Buffer.from(`["^ ","~:name","rename-file","~:pad","${'p'.repeat(IN_PLACE_DECODE_BYTES * 2)}"]`);
  const decoded = await pool.decode(next, TRANSIT);
  assert.equal(decoded.decodeError, undefined, 'a fresh worker took the next job');
  assert.equal(decoded.summary.eventName, 'rename-file');
});

test('bodies up to the in-place size are decoded on the calling thread, even by a stopped pool; larger ones are not', async () => {
  const pool = new DecodePool();
  await pool.close();
  const small = Buffer.from('["^ ","~:name","rename-file"]');
  assert.deepEqual(await pool.decode(small, TRANSIT), decodeBody(small, TRANSIT));
  const refused = await pool.decodeText(big, TRANSIT);
  assert.match(refused.decodeError ?? '', /decoder was stopped/);
});

test('decodes queued behind a busy worker all finish, each with its own result', async (t) => {
  const pool = new DecodePool({ workers: 1 });
  t.after(() => pool.close());
  const bodies = [big, Buffer.from('{"name":"x"}'.padEnd(IN_PLACE_DECODE_BYTES + 10)), Buffer.from('[1,2'.padEnd(IN_PLACE_DECODE_BYTES + 10))];
  const results = await Promise.all(bodies.map((body) => pool.decodeText(body, 'application/json')));
  assert.match(results[0].text ?? '', /^\{"kind":"json","value":\["\^ ","~:name","update-file"/);
  assert.equal(results[1].text, '{"kind":"json","value":{"name":"x"}}');
  assert.match(results[2].decodeError ?? '', /^Invalid JSON/);
});
