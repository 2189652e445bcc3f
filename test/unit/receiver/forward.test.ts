// Forward, replay and simulate, against real loopback targets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { replayEvent, resendHeaders, sendHttp, simulateEvent, type ReceivedEvent, type StoreChange } from '../../../src/receiver';
import { closedPort, nextChange, post, rawExchange, startTarget, startTestReceiver } from './helpers';

const TRANSIT_BODY = '["^ ","~:name","create-project","~:props",["^ ","~:team-id","~u6a0c6b3e-6c8e-80c6-8005-4d4f1b7e2a10"]]';

function forwardOf(receiver: { onDidChange(l: (c: StoreChange) => void): { dispose(): void } }): Promise<ReceivedEvent> {
  return nextChange<StoreChange>((l) => receiver.onDidChange(l), (c) => c.kind === 'updated')
    .then((c) => (c as { event: ReceivedEvent }).event);
}

test('every event is forwarded with identical bytes, its content type and original headers, and the answer is recorded', async (t) => {
  const target = await startTarget(t, (_req, res) => { res.writeHead(202, { 'content-type': 'text/plain' }).end('accepted here'); });
  const receiver = await startTestReceiver(t, { forwardTo: target.url });
  const forwarded = forwardOf(receiver);
  const answer = await post(receiver.url, TRANSIT_BODY, { 'content-type': 'application/transit+json', 'user-agent': 'penpot/2.17', 'x-extra': 'kept' });
  assert.equal(answer.status, 204);
  const event = await forwarded;
  assert.equal(target.requests.length, 1);
  const got = target.requests[0];
  assert.equal(got.method, 'POST');
  assert.equal(got.body.toString('utf8'), TRANSIT_BODY);
  assert.equal(got.headers['content-type'], 'application/transit+json');
  assert.equal(got.headers['user-agent'], 'penpot/2.17');
  assert.equal(got.headers['x-extra'], 'kept');
  assert.equal(got.headers.host, `127.0.0.1:${target.port}`, 'the host is the target, not the receiver');
  assert.equal(event.forward?.target, target.url);
  assert.equal(event.forward?.status, 202);
  assert.equal(event.forward?.body, 'accepted here');
  assert.equal(event.forward?.error, undefined);
  assert.equal(receiver.store.get(event.id)?.forward?.status, 202);
});

test('a target that is down is recorded as an error on the event; the sender still got its 204', async (t) => {
  const receiver = await startTestReceiver(t, { forwardTo: `http://127.0.0.1:${await closedPort()}/hook` });
  const forwarded = forwardOf(receiver);
  assert.equal((await post(receiver.url, '{}', { 'content-type': 'application/json' })).status, 204);
  const event = await forwarded;
  assert.equal(event.forward?.status, undefined);
  assert.match(event.forward?.error ?? '', /Connection refused/);
});

test('the ack does not wait for a slow target', async (t) => {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => { release = resolve; });
  const target = await startTarget(t, async (_req, res) => { await released; res.end('late'); });
  const receiver = await startTestReceiver(t, { forwardTo: target.url });
  const forwarded = forwardOf(receiver);
  // The target has not answered yet (it waits for `release`), and the sender already has its 204.
  assert.equal((await post(receiver.url, '{}', { 'content-type': 'application/json' })).status, 204);
  assert.equal(receiver.store.list()[0].forward, undefined);
  release();
  assert.equal((await forwarded).forward?.body, 'late');
});

test("a forward target's timeout is recorded, and only the first 64 KiB of a long answer are kept", async (t) => {
  const big = 'z'.repeat(100 * 1024);
  const target = await startTarget(t, (req, res) => { if (req.url === '/big') res.end(big); /* else never answers */ });
  const quiet = await sendHttp({ url: `http://127.0.0.1:${target.port}/never`, body: '{}', timeoutMs: 200 });
  assert.equal(quiet.status, undefined);
  assert.match(quiet.error ?? '', /Timed out after 200 ms/);
  const long = await sendHttp({ url: `http://127.0.0.1:${target.port}/big`, body: '{}' });
  assert.equal(long.status, 200);
  assert.equal(long.body?.length, 64 * 1024);
  assert.equal(long.bodyTruncated, true);
  assert.match((await sendHttp({ url: 'ftp://example.invalid/' })).error ?? '', /Invalid target URL/);
});

test('the forward target can be set, changed and switched off at run time', async (t) => {
  const target = await startTarget(t);
  const receiver = await startTestReceiver(t);
  await post(receiver.url, '{"n":1}', { 'content-type': 'application/json' });
  receiver.forwardTo = target.url;
  const forwarded = forwardOf(receiver);
  await post(receiver.url, '{"n":2}', { 'content-type': 'application/json' });
  await forwarded;
  receiver.forwardTo = undefined;
  await post(receiver.url, '{"n":3}', { 'content-type': 'application/json' });
  await receiver.forwardsSettled();
  assert.deepEqual(target.requests.map((r) => r.body.toString()), ['{"n":2}']);
  assert.throws(() => { receiver.forwardTo = 'not a url'; }, /Not a valid URL/);
});

test('replay sends the stored bytes and headers minus hop-by-hop ones, to any URL or the forward target', async (t) => {
  const target = await startTarget(t, (_req, res) => { res.writeHead(200).end('replayed'); });
  const receiver = await startTestReceiver(t);
  // Raw, because undici rewrites a Connection header that names other headers.
  const head = `POST ${new URL(receiver.url).pathname} HTTP/1.1\r\nHost: receiver\r\nContent-Type: application/transit+json\r\n`
    + `User-Agent: penpot/2.17\r\nConnection: close, X-Conn-Only\r\nX-Conn-Only: drop me\r\nContent-Length: ${TRANSIT_BODY.length}\r\n\r\n`;
  assert.match(await rawExchange(receiver.port, [head + TRANSIT_BODY]), /^HTTP\/1\.1 204 /);
  const [event] = receiver.store.list();
  const result = await receiver.replay(event.id, target.url);
  assert.equal(result.status, 200);
  assert.equal(result.body, 'replayed');
  const got = target.requests[0];
  assert.equal(got.body.toString(), TRANSIT_BODY);
  assert.equal(got.headers['content-type'], 'application/transit+json');
  assert.equal(got.headers['user-agent'], 'penpot/2.17');
  assert.equal(got.headers['x-conn-only'], undefined, 'headers named in Connection are hop-by-hop');
  assert.deepEqual(resendHeaders({ headers: [['Host', 'a'], ['Content-Length', '3'], ['Transfer-Encoding', 'chunked'], ['X-Kept', '1']] }), [['X-Kept', '1']]);

  await assert.rejects(receiver.replay(event.id), /No replay target/);
  receiver.forwardTo = target.url;
  assert.equal((await receiver.replay(event.id)).status, 200);
  assert.equal(target.requests.length, 2, 'setting a forward target does not forward events already stored');
  await assert.rejects(receiver.replay('nope', target.url), /No stored event with id nope/);
  const down = await replayEvent(event, `http://127.0.0.1:${await closedPort()}/`);
  assert.match(down.error ?? '', /Connection refused/);
});

test('simulate posts a generated Penpot event to the receiver itself, in both formats', async (t) => {
  const receiver = await startTestReceiver(t);
  const fileId = '0b1c2d3e-0000-4000-8000-000000000001';
  const json = await receiver.simulate({ name: 'rename-file', format: 'json', context: { fileId } });
  const transit = await receiver.simulate({ name: 'rename-file', format: 'transit', context: { fileId } });
  assert.equal(json.result.status, 204);
  assert.equal(transit.result.status, 204);
  assert.equal(json.contentType, 'application/json');
  assert.equal(transit.contentType, 'application/transit+json');
  const events = receiver.store.list();
  assert.deepEqual(events.map((e) => e.format), ['json', 'transit']);
  for (const [event, sent] of [[events[0], json], [events[1], transit]] as const) {
    assert.equal(event.simulated, true);
    assert.equal(event.decodeError, undefined);
    assert.equal(Buffer.from(event.bodyBase64, 'base64').toString(), sent.body);
    assert.equal(event.summary.eventName, 'rename-file');
    assert.equal(event.summary.fileId, fileId);
  }
  await assert.rejects(receiver.simulate({ name: 'no-such-event' }), /Unknown Penpot event "no-such-event"/);
});

test('simulate can target any URL', async (t) => {
  const target = await startTarget(t);
  const { result, body } = await simulateEvent({ name: 'create-project', format: 'transit', to: target.url });
  assert.equal(result.status, 200);
  assert.equal(target.requests[0].body.toString(), body);
  assert.equal(target.requests[0].headers['content-type'], 'application/transit+json');
  await assert.rejects(simulateEvent({ name: 'create-project' }), /needs a target URL/);
});
