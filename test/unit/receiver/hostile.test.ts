// Issue 14: what a hostile sender does to the receiver over real loopback HTTP, one test per row it covers.
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { test } from 'node:test';
import { request } from 'undici';
import { FORWARDED_HEADER, SIMULATED_HEADER } from '../../../src/receiver';
import { decodeTextAsync } from '../../../src/receiver/decodeWorker';
import { DEEP_EVENT_SUMMARY, largestDeepTransit } from './deepTransit';
import { pathOf, post, rawExchange, startTestReceiver } from './helpers';

function openSocket(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
  });
}

test('row 6: 1,100 idle connections do not lock a delivery out; it is answered within 5 s', async (t) => {
  const receiver = await startTestReceiver(t);
  const idle: net.Socket[] = [];
  t.after(() => { for (const socket of idle) socket.destroy(); });
  for (let i = 0; i < 1100; i++) idle.push(await openSocket(receiver.port));
  const started = performance.now();
  const answer = await request(receiver.url, {
    method: 'POST', body: '{"name":"rename-file"}', headers: { 'content-type': 'application/json' },
    headersTimeout: 5000, bodyTimeout: 5000,
  });
  await answer.body.text();
  assert.equal(answer.statusCode, 204);
  assert.ok(performance.now() - started < 5000);
  assert.equal(receiver.store.size, 1);
});

test('row 6: a connection that sends nothing is closed after the silent-connection time', async (t) => {
  const receiver = await startTestReceiver(t, { silentConnectionMs: 200 });
  const socket = await openSocket(receiver.port);
  const closedAfter = await new Promise<number>((resolve) => {
    const opened = performance.now();
    socket.on('close', () => resolve(performance.now() - opened));
  });
  assert.ok(closedAfter < 3000, `closed after ${closedAfter} ms`);
});

test('row 10: the receiver\'s own URL is refused as a forward target', async (t) => {
  const receiver = await startTestReceiver(t);
  assert.throws(() => { receiver.forwardTo = receiver.url; }, /this receiver itself/);
  assert.throws(() => { receiver.forwardTo = `http://localhost:${receiver.port}/elsewhere`; }, /this receiver itself/);
  assert.equal(receiver.forwardTo, undefined);
});

test('row 10: two receivers forwarding to each other do not loop: a forwarded request is not forwarded again', async (t) => {
  const a = await startTestReceiver(t);
  const b = await startTestReceiver(t);
  a.forwardTo = b.url;
  b.forwardTo = a.url;
  assert.equal((await post(a.url, '{"name":"x"}', { 'content-type': 'application/json' })).status, 204);
  for (let i = 0; i < 5; i++) {
    await Promise.all([a.forwardsSettled(), b.forwardsSettled()]);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(a.store.size, 1, 'B kept the copy and did not send it back');
  assert.equal(b.store.size, 1);
  const copy = b.store.list()[0];
  assert.ok(copy.headers.some(([name]) => name.toLowerCase() === FORWARDED_HEADER));
});

test('row 13: a complete request followed by garbage is answered with its stored status, then the connection closes', async (t) => {
  const receiver = await startTestReceiver(t);
  const body = '{"name":"rename-file"}';
  const path = pathOf(receiver.url);
  const reply = await rawExchange(receiver.port, [
    `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`
      + '\x00\x01GARBAGE NOT HTTP\r\n\r\n',
  ], 3000);
  assert.match(reply, /^HTTP\/1\.1 204 /);
  assert.doesNotMatch(reply, / 400 /);
  assert.equal(receiver.store.size, 1);
});

test('row 13: garbage alone is answered 400 and nothing is stored', async (t) => {
  const receiver = await startTestReceiver(t);
  const reply = await rawExchange(receiver.port, ['\x00\x01GARBAGE NOT HTTP\r\n\r\n'], 3000);
  assert.match(reply, /^HTTP\/1\.1 400 /);
  assert.equal(receiver.store.size, 0);
});

test('row 15: 1,500 request headers are all stored, in order', async (t) => {
  const receiver = await startTestReceiver(t);
  let head = `POST ${pathOf(receiver.url)} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n`;
  for (let i = 0; i < 1500; i++) head += `x-h${i}: ${i}\r\n`;
  const reply = await rawExchange(receiver.port, [`${head}\r\n{}`], 3000, true);
  assert.match(reply, /^HTTP\/1\.1 204 /);
  const [event] = receiver.store.list();
  const extra = event.headers.filter(([name]) => name.startsWith('x-h'));
  assert.equal(extra.length, 1500);
  assert.deepEqual(extra[1499], ['x-h1499', '1499']);
});

test('row 16: an outside sender cannot mark its event simulated; the project\'s own simulate can', async (t) => {
  const receiver = await startTestReceiver(t);
  await post(receiver.url, '{"name":"x"}', { 'content-type': 'application/json', [SIMULATED_HEADER]: '1' });
  await receiver.simulate({ name: 'rename-file' });
  const [forged, own] = receiver.store.list();
  assert.equal(forged.simulated, undefined);
  assert.equal(own.simulated, true);
});

test('row 2: JSON nested 5,000 and 200,000 deep is stored, answered, listed and serialisable, with a decode error', async (t) => {
  const receiver = await startTestReceiver(t);
  for (const depth of [5000, 200_000]) {
    const body = '['.repeat(depth) + ']'.repeat(depth);
    assert.equal((await post(receiver.url, body, { 'content-type': 'application/json' })).status, 204);
    assert.equal((await post(receiver.url, body, { 'content-type': 'application/octet-stream' })).status, 204);
  }
  await new Promise((resolve) => setImmediate(resolve));
  const events = receiver.store.list();
  assert.equal(events.length, 4);
  for (const event of events) {
    assert.match(event.decodeError ?? '', /nests deeper than 1000 levels/);
    assert.equal(event.decoded, undefined);
  }
  const serialised = JSON.parse(JSON.stringify(events)) as { size: number }[];
  assert.deepEqual(serialised.map((e) => e.size), [10_000, 10_000, 400_000, 400_000]);
});

test('rows 4 and 5: large deeply nested Transit bodies are listed without a full decode on the answering loop', async (t) => {
  const receiver = await startTestReceiver(t);
  const big = largestDeepTransit();
  // The receiver answers on this test's event loop: its longest block is what any other delivery would wait.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const heavy = [1, 2, 3].map(() => post(receiver.url, big, { 'content-type': 'application/transit+json' }));
  await new Promise((resolve) => setTimeout(resolve, 20));
  const small = await post(receiver.url, '{"name":"rename-file"}', { 'content-type': 'application/json' });
  assert.equal(small.status, 204);
  for (const answer of await Promise.all(heavy)) assert.equal(answer.status, 204);
  await new Promise((resolve) => setTimeout(resolve, 50));
  loopDelay.disable();
  // Before, each such body was decoded in full in one go right after its answer: over a second per body.
  const longestBlockMs = loopDelay.max / 1e6;
  assert.ok(longestBlockMs < 800, `the event loop was blocked for ${Math.round(longestBlockMs)} ms`);
  await new Promise((resolve) => setImmediate(resolve));
  const bigEvents = receiver.store.list().filter((e) => e.size === Buffer.byteLength(big));
  assert.equal(bigEvents.length, 3);
  for (const event of bigEvents) {
    assert.equal(event.format, 'transit');
    assert.equal(event.decodeError, undefined);
    assert.deepEqual(event.summary, DEEP_EVENT_SUMMARY);
  }
  // Read on demand, the payload is still decoded in full.
  const decoded = bigEvents[0].decoded;
  assert.equal(decoded?.kind, 'transit');
});

test('row 4: while three 5 MiB Transit bodies nested 998 deep are decoded in full, other deliveries are answered first', async (t) => {
  const receiver = await startTestReceiver(t);
  const big = largestDeepTransit();
  for (let i = 0; i < 3; i++) assert.equal((await post(receiver.url, big, { 'content-type': 'application/transit+json' })).status, 204);
  await new Promise((resolve) => setImmediate(resolve));
  const bigEvents = receiver.store.list();
  assert.equal(bigEvents.length, 3);

  // What `listen --json` and the viewer's detail ask for: the full decode. Decoded on this event loop, all three
  // would be done before the first small delivery is even sent; off it, the small ones are answered meanwhile.
  const order: string[] = [];
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const decodes = bigEvents.map((event, i) => decodeTextAsync(event).then((result) => {
    order.push(`decoded ${i}`);
    return result;
  }));
  for (let i = 0; i < 5; i++) {
    const answer = await post(receiver.url, `{"name":"rename-file","n":${i}}`, { 'content-type': 'application/json' });
    assert.equal(answer.status, 204);
    order.push(`answered ${i}`);
  }
  const results = await Promise.all(decodes);
  loopDelay.disable();

  assert.deepEqual(order.slice(0, 5), ['answered 0', 'answered 1', 'answered 2', 'answered 3', 'answered 4'], order.join(', '));
  for (const result of results) {
    assert.equal(result.decodeError, undefined);
    assert.match(result.text ?? '', /^\{"kind":"transit","value":\{"name":"update-file"/);
    assert.deepEqual(result.summary, DEEP_EVENT_SUMMARY);
  }
  // Generous: one such decode on this loop blocks it for 300 ms to a few seconds.
  const longestBlockMs = loopDelay.max / 1e6;
  assert.ok(longestBlockMs < 500, `the event loop was blocked for ${Math.round(longestBlockMs)} ms`);
});
