// The receiver over real loopback HTTP: what it accepts, what it refuses, and what it keeps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { request, Pool } from 'undici';
import { EventStore, startReceiver, generateReceiverSecret, type ReceivedEvent } from '../../../src/receiver';
import { heldRequest, nextChange, pathOf, post, rawExchange, send, startTestReceiver } from './helpers';

const PROFILE = 'db601c95-045f-808b-8002-361312e63531';
const FILE = 'db601c95-045f-808b-8002-362f08fcb621';
const PROJECT = 'db601c95-045f-808b-8002-3620aa3c1f00';

// Penpot's pretty-printed camelCase JSON delivery (§4.2).
const RENAME_FILE_JSON = JSON.stringify({
  name: 'rename-file',
  profileId: PROFILE,
  props: { name: 'New name', id: FILE, projectId: PROJECT, createdAt: '2026-07-24T10:00:00.123456Z' },
  createdAt: '2026-07-24T12:08:41.650Z',
  trackedAt: '2026-07-24T12:08:41.650Z',
}, null, 2);

// The same event as Penpot's compact Transit (§4.2), with a cache code (^0) for the repeated key.
const RENAME_FILE_TRANSIT = `["^ ","~:name","rename-file","~:profile-id","~u${PROFILE}","~:props",["^ ","~:name","New name",`
  + `"~:id","~u${FILE}","~:project-id","~u${PROJECT}"],"~:created-at","~m1784894921650","~:tracked-at","~m1784894921650"]`;

test('the URL carries a 192-bit secret on 127.0.0.1 and an OS-assigned port', async (t) => {
  const receiver = await startTestReceiver(t);
  assert.match(receiver.url, /^http:\/\/127\.0\.0\.1:\d+\/hooks\/[A-Za-z0-9_-]{32}$/);
  assert.notEqual(receiver.port, 0);
  assert.equal(receiver.host, '127.0.0.1');
  assert.notEqual(generateReceiverSecret(), generateReceiverSecret());
});

test('a JSON delivery is stored with its raw bytes, request details, decoded body and summary, then answered 204', async (t) => {
  const receiver = await startTestReceiver(t);
  const answer = await post(`${receiver.url}?attempt=1`, RENAME_FILE_JSON, { 'content-type': 'application/json', 'user-agent': 'penpot/2.17' });
  assert.equal(answer.status, 204);
  assert.equal(receiver.store.size, 1);
  const [event] = receiver.store.list();
  assert.equal(Buffer.from(event.bodyBase64, 'base64').toString('utf8'), RENAME_FILE_JSON);
  assert.equal(event.size, Buffer.byteLength(RENAME_FILE_JSON));
  assert.equal(event.method, 'POST');
  assert.equal(event.path, '/hooks/{secret}?attempt=1', 'the secret is not kept in the history');
  assert.ok(!JSON.stringify(event).includes(pathOf(receiver.url).slice('/hooks/'.length)));
  assert.equal(event.remoteAddress, '127.0.0.1');
  assert.equal(event.contentType, 'application/json');
  assert.deepEqual(event.headers.find(([name]) => name.toLowerCase() === 'user-agent'), ['user-agent', 'penpot/2.17']);
  assert.ok(!Number.isNaN(Date.parse(event.receivedAt)));
  assert.equal(event.format, 'json');
  assert.deepEqual(event.decoded, { kind: 'json', value: JSON.parse(RENAME_FILE_JSON) });
  assert.equal(event.decodeError, undefined);
  // rename-file routes by project-id and carries the file as props.id (§4.3)
  assert.deepEqual(event.summary, { eventName: 'rename-file', profileId: PROFILE, projectId: PROJECT, fileId: FILE });
  assert.equal(event.responseStatus, 204);
});

test('a Transit delivery is decoded with the project codec and summarised from its kebab keys', async (t) => {
  const receiver = await startTestReceiver(t);
  const answer = await post(receiver.url, RENAME_FILE_TRANSIT, { 'content-type': 'application/transit+json' });
  assert.equal(answer.status, 204);
  const [event] = receiver.store.list();
  assert.equal(event.format, 'transit');
  assert.equal(event.decodeError, undefined);
  assert.equal(event.decoded?.kind, 'transit');
  assert.deepEqual(event.summary, { eventName: 'rename-file', profileId: PROFILE, projectId: PROJECT, fileId: FILE });
});

test('malformed JSON and Transit are stored with their decode error and still answered', async (t) => {
  const receiver = await startTestReceiver(t);
  const badJson = '{"name": "rename-file", "props": {';
  const badTransit = '["^ ","~:name"';
  assert.equal((await post(receiver.url, badJson, { 'content-type': 'application/json' })).status, 204);
  assert.equal((await post(receiver.url, badTransit, { 'content-type': 'application/transit+json' })).status, 204);
  assert.equal((await post(receiver.url, Buffer.from([0x7b, 0xff, 0x7d]), { 'content-type': 'application/json; charset=utf-8' })).status, 204);
  const [json, transit, notUtf8] = receiver.store.list();
  assert.equal(notUtf8.format, 'json');
  assert.equal(notUtf8.decodeError, 'The body is not valid UTF-8 text.');
  assert.deepEqual(Buffer.from(notUtf8.bodyBase64, 'base64'), Buffer.from([0x7b, 0xff, 0x7d]));
  assert.equal(json.format, 'json');
  assert.match(json.decodeError ?? '', /^Invalid JSON: /);
  assert.equal(json.decoded, undefined);
  assert.equal(Buffer.from(json.bodyBase64, 'base64').toString(), badJson);
  assert.equal(transit.format, 'transit');
  assert.match(transit.decodeError ?? '', /^Invalid Transit: /);
  assert.equal(Buffer.from(transit.bodyBase64, 'base64').toString(), badTransit);
});

test('bodies without a JSON type: sniffed JSON and Transit, plain text, binary and empty', async (t) => {
  const receiver = await startTestReceiver(t);
  const binary = Buffer.from([0xff, 0xfe, 0x00, 0x80]);
  await post(receiver.url, RENAME_FILE_JSON, { 'content-type': 'application/octet-stream' });
  await post(receiver.url, RENAME_FILE_TRANSIT, {});
  await post(receiver.url, 'hello', { 'content-type': 'text/plain' });
  await post(receiver.url, binary, { 'content-type': 'application/octet-stream' });
  await post(receiver.url, '', {});
  const events = receiver.store.list();
  assert.deepEqual(events.map((e) => e.format), ['json', 'transit', 'text', 'binary', 'empty']);
  assert.equal(events[1].summary.eventName, 'rename-file');
  assert.deepEqual(Buffer.from(events[3].bodyBase64, 'base64'), binary);
  assert.ok(events.every((e) => e.decodeError === undefined));
});

test('the answer status is configurable and can change at run time (e.g. 500 to rehearse auto-disable)', async (t) => {
  const receiver = await startTestReceiver(t, { status: 200 });
  assert.equal((await send(receiver.url, 'HEAD')).status, 200);
  assert.equal((await post(receiver.url, '{}', { 'content-type': 'application/json' })).status, 200);
  receiver.status = 500;
  assert.equal((await post(receiver.url, '{}', { 'content-type': 'application/json' })).status, 500);
  assert.deepEqual(receiver.store.list().map((e) => e.responseStatus), [200, 500]);
  assert.throws(() => { receiver.status = 99; }, RangeError);
  assert.equal(receiver.status, 500);
});

test('HEAD answers the configured status (204 by default) and stores nothing', async (t) => {
  const receiver = await startTestReceiver(t);
  const answer = await send(receiver.url, 'HEAD');
  assert.equal(answer.status, 204);
  assert.equal(receiver.store.size, 0);
});

test('other paths get 404 and other methods 405, and nothing is stored', async (t) => {
  const receiver = await startTestReceiver(t);
  const base = new URL(receiver.url);
  const wrongSecret = `${base.origin}/hooks/${generateReceiverSecret()}`;
  for (const url of [wrongSecret, `${base.origin}/`, `${receiver.url}/extra`, `${base.origin}/hooks/`]) {
    assert.equal((await post(url, '{}', { 'content-type': 'application/json' })).status, 404, url);
    assert.equal((await send(url, 'HEAD')).status, 404, url);
  }
  for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
    const answer = await send(receiver.url, method, method === 'GET' || method === 'DELETE' ? undefined : '{}');
    assert.equal(answer.status, 405, method);
    assert.equal(answer.headers.allow, 'HEAD, POST');
  }
  assert.equal(receiver.store.size, 0);
});

test('a 6 MB body gets 413 and nothing is stored, with or without a declared length', async (t) => {
  const receiver = await startTestReceiver(t);
  const big = Buffer.alloc(6 * 1024 * 1024, 'a');
  const declared = await post(receiver.url, big, { 'content-type': 'application/json' });
  assert.equal(declared.status, 413);
  assert.match(declared.text, /larger than the receiver's limit of 5242880 bytes/);
  // Chunked: the size is only known while reading.
  const port = receiver.port;
  const head = `POST ${pathOf(receiver.url)} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
  const chunk = Buffer.alloc(1024 * 1024, 'b');
  const chunks: (string | Buffer)[] = [head];
  for (let i = 0; i < 6; i++) chunks.push(`${chunk.length.toString(16)}\r\n`, chunk, '\r\n');
  chunks.push('0\r\n\r\n');
  const chunked = await rawExchange(port, chunks);
  assert.match(chunked, /^HTTP\/1\.1 413 /);
  assert.equal(receiver.store.size, 0);
  assert.equal(receiver.store.lastSeq, 0);
  // The receiver still works afterwards.
  assert.equal((await post(receiver.url, '{}', { 'content-type': 'application/json' })).status, 204);
});

test('a body of exactly the limit is accepted', async (t) => {
  const receiver = await startTestReceiver(t, { maxBodyBytes: 1024 });
  assert.equal((await post(receiver.url, Buffer.alloc(1024, 'x'))).status, 204);
  assert.equal((await post(receiver.url, Buffer.alloc(1025, 'x'))).status, 413);
  assert.deepEqual(receiver.store.list().map((e) => e.size), [1024]);
});

test('a client that disconnects in the middle of its body leaves nothing stored', async (t) => {
  const receiver = await startTestReceiver(t);
  const held = await heldRequest(receiver.port, `POST ${pathOf(receiver.url)} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"name":`);
  held.abort();
  await held.answer;
  assert.equal((await post(receiver.url, '{"after":true}', { 'content-type': 'application/json' })).status, 204);
  assert.deepEqual(receiver.store.list().map((e) => e.decoded?.value), [{ after: true }]);
});

test('slow headers are cut off with 408 and nothing is stored', async (t) => {
  const receiver = await startTestReceiver(t, { headersTimeoutMs: 300, requestTimeoutMs: 600 });
  // Sends half a request line and then nothing: the server must close the connection by itself.
  const answer = await rawExchange(receiver.port, [`POST ${pathOf(receiver.url)} HTTP/1.1\r\nHost: x\r\n`], 20_000);
  assert.match(answer, /^HTTP\/1\.1 408 /);
  assert.equal(receiver.store.size, 0);
});

test('a body that never completes is cut off by the request timeout and nothing is stored', async (t) => {
  const receiver = await startTestReceiver(t, { headersTimeoutMs: 300, requestTimeoutMs: 600 });
  const head = `POST ${pathOf(receiver.url)} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":`;
  const answer = await rawExchange(receiver.port, [head], 20_000);
  assert.match(answer, /^HTTP\/1\.1 408 /);
  assert.equal(receiver.store.size, 0);
});

test('request headers over the limit get 431', async (t) => {
  const receiver = await startTestReceiver(t);
  const head = `POST ${pathOf(receiver.url)} HTTP/1.1\r\nHost: x\r\nX-Big: ${'h'.repeat(20 * 1024)}\r\nContent-Length: 2\r\n\r\n{}`;
  const answer = await rawExchange(receiver.port, [head]);
  assert.match(answer, /^HTTP\/1\.1 431 /);
  assert.equal(receiver.store.size, 0);
});

test('requests beyond the concurrency cap get 503; the ones in progress still complete', async (t) => {
  const receiver = await startTestReceiver(t, { maxConcurrentRequests: 2 });
  const head = `POST ${pathOf(receiver.url)} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n`;
  const first = await heldRequest(receiver.port, head);
  const second = await heldRequest(receiver.port, head);
  // The held requests are counted once the server has parsed their headers; the third one then finds the cap.
  let third = await post(receiver.url, '{}', { 'content-type': 'application/json' });
  for (let attempt = 0; third.status !== 503 && attempt < 50; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    third = await post(receiver.url, '{}', { 'content-type': 'application/json' });
  }
  assert.equal(third.status, 503);
  assert.equal(third.headers['retry-after'], '1');
  const stored = receiver.store.size; // requests that slipped in before both held ones were counted
  assert.match(await first.finish('{}'), /^HTTP\/1\.1 204 /);
  assert.match(await second.finish('{}'), /^HTTP\/1\.1 204 /);
  assert.equal(receiver.store.size, stored + 2);
});

test('a concurrent burst of 500 deliveries loses nothing', async (t) => {
  const receiver = await startTestReceiver(t);
  const origin = new URL(receiver.url).origin;
  const pool = new Pool(origin, { connections: 50 });
  t.after(() => pool.close());
  const statuses = await Promise.all(Array.from({ length: 500 }, async (_, i) => {
    const res = await request(receiver.url, {
      dispatcher: pool, method: 'POST', body: JSON.stringify({ name: 'create-project', props: { n: i } }),
      headers: { 'content-type': 'application/json' },
    });
    await res.body.dump();
    return res.statusCode;
  }));
  assert.ok(statuses.every((s) => s === 204));
  const events = receiver.store.list();
  assert.equal(events.length, 500);
  assert.equal(new Set(events.map((e) => e.id)).size, 500);
  const numbers = events.map((e) => ((e.decoded?.value as { props: { n: number } }).props.n)).sort((a, b) => a - b);
  assert.deepEqual(numbers, Array.from({ length: 500 }, (_, i) => i));
});

test("Penpot's JDK upgrade headers (h2c) are handled as a normal delivery", async (t) => {
  const receiver = await startTestReceiver(t);
  const body = '{"name":"create-project"}';
  const head = `POST ${pathOf(receiver.url)} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n`
    + `Upgrade: h2c\r\nHTTP2-Settings: AAEAAEAAAAIAAAAAAAMAAAAAAAQBAAAAAAUAAEAAAAYABgAA\r\n`
    + `Content-Type: application/json\r\nUser-Agent: penpot/2.17\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  const answer = await rawExchange(receiver.port, [head], 5000, true);
  assert.match(answer, /^HTTP\/1\.1 204 /);
  assert.equal(receiver.store.list()[0]?.summary.eventName, 'create-project');
});

test('listeners hear of an event after it was answered, and a failing listener breaks nothing', async (t) => {
  const errors: Error[] = [];
  const store = EventStore.open({ onError: (e) => errors.push(e) });
  t.after(() => store.close());
  const receiver = await startTestReceiver(t, { store });
  receiver.onEvent(() => { throw new Error('viewer crashed'); });
  const heard = nextChange<ReceivedEvent>((l) => receiver.onEvent(l));
  assert.equal((await post(receiver.url, '{"name":"delete-file"}', { 'content-type': 'application/json' })).status, 204);
  const event = await heard;
  assert.equal(event.summary.eventName, 'delete-file');
  assert.match(errors[0]?.message ?? '', /listener failed: viewer crashed/);
  assert.equal((await post(receiver.url, '{}', { 'content-type': 'application/json' })).status, 204);
});

test('a taken port and a weak secret are refused with a readable message', async (t) => {
  const receiver = await startTestReceiver(t);
  await assert.rejects(startReceiver({ secret: generateReceiverSecret(), port: receiver.port }), /already in use/);
  await assert.rejects(startReceiver({ secret: 'short', port: 0 }), /at least 128 bits/);
});
