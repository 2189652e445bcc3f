// End to end with the Penpot twin: the twin validates the receiver's URL with HEAD when the webhook is created
// (§3.6) and delivers events in both formats (§4.1); the receiver stores them decoded.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { PenpotClient } from '../../../src/penpot/client';
import { startTwin } from '../../../src/twin';
import { smallSeed } from '../twin/helpers';
import { startTestReceiver } from './helpers';

async function twinWithClient(t: TestContext) {
  const seed = smallSeed();
  const twin = await startTwin({ seed });
  t.after(() => twin.close());
  const client = new PenpotClient({ baseUrl: twin.url, token: twin.demoToken });
  t.after(() => client.close());
  return { twin, client, teamId: seed.teams[0].id, ownerId: seed.profiles[0].id };
}

test('a webhook created in the twin passes its HEAD check and both formats arrive decoded', async (t) => {
  const receiver = await startTestReceiver(t);
  const { twin, client, teamId, ownerId } = await twinWithClient(t);
  const jsonHook = await client.createWebhook({ teamId, uri: `${receiver.url}?format=json`, mtype: 'application/json', isActive: true });
  const transitHook = await client.createWebhook({ teamId, uri: `${receiver.url}?format=transit`, mtype: 'application/transit+json', isActive: true });
  assert.equal(receiver.store.size, 0, 'the HEAD checks are answered, not stored');

  const fileId = '6f3c9a10-2b4d-4e5f-8a6b-7c8d9e0f1a2b';
  const results = await twin.emit('rename-file', { teamId, props: { id: { '~type': 'uuid', value: fileId } } });
  assert.deepEqual(results.map((r) => [r.webhookId, r.status, r.errorCode]).sort(), [[jsonHook.id, 204, null], [transitHook.id, 204, null]].sort());

  const events = receiver.store.list();
  assert.equal(events.length, 2);
  const byFormat = Object.fromEntries(events.map((e) => [e.path.endsWith('json') ? 'json' : 'transit', e]));
  for (const [format, contentType] of [['json', 'application/json'], ['transit', 'application/transit+json']] as const) {
    const event = byFormat[format];
    assert.equal(event.format, format);
    assert.equal(event.contentType, contentType);
    assert.equal(event.decodeError, undefined);
    assert.equal(event.decoded?.kind, format);
    assert.equal(event.summary.eventName, 'rename-file');
    assert.equal(event.summary.profileId, ownerId);
    assert.equal(event.summary.fileId, fileId);
    assert.ok(event.headers.some(([name, value]) => name.toLowerCase() === 'user-agent' && value === 'penpot/2.17'));
    const delivered = twin.deliveries.find((d) => d.contentType === contentType);
    assert.equal(Buffer.from(event.bodyBase64, 'base64').toString('utf8'), delivered?.body, 'the exact bytes the twin sent');
  }
});

test('as Penpot runs, a receiver answering 500 never gets the webhook disabled; a stopped one does after 3 deliveries', async (t) => {
  const receiver = await startTestReceiver(t);
  const { twin, client, teamId } = await twinWithClient(t);
  const hook = await client.createWebhook({ teamId, uri: receiver.url, mtype: 'application/json', isActive: true });
  receiver.status = 500;
  for (let i = 0; i < 3; i++) await twin.emit('create-project', { teamId });
  let [after] = (await client.getWebhooks(teamId)).filter((w) => w.id === hook.id);
  // answered deliveries take Penpot's success branch (conformance finding 1)
  assert.deepEqual([after.isActive, after.errorCode, after.errorCount], [true, null, 0]);
  assert.deepEqual(receiver.store.list().map((e) => e.responseStatus), [500, 500, 500], 'the answered deliveries are stored');
  await receiver.close();
  for (let i = 0; i < 3; i++) await twin.emit('create-project', { teamId });
  [after] = (await client.getWebhooks(teamId)).filter((w) => w.id === hook.id);
  assert.deepEqual([after.isActive, after.errorCode, after.errorCount], [false, 'connection-error', 3]);
});

test('a receiver answering HEAD with 404 makes webhook creation fail, as Penpot does (§3.6)', async (t) => {
  const receiver = await startTestReceiver(t);
  const { client, teamId } = await twinWithClient(t);
  receiver.status = 404;
  await assert.rejects(client.createWebhook({ teamId, uri: receiver.url, mtype: 'application/json', isActive: true }));
});
