// One test per finding of the Penpot conformance review (docs/penpot-conformance.md): each checks what Penpot's
// source does, and fails on what the project did before.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import type { TestContext } from 'node:test';
import { describe, it } from 'node:test';
import { buildPenpotEvent, encodePenpotEvent, findPenpotEvent } from '../../../src/penpot/events';
import { writePenpotJson } from '../../../src/penpot/json';
import { toAccessToken, toWebhook } from '../../../src/penpot/normalize';
import { decodeTransit, encodeTransit, instant, mapOf, tagged, uuid } from '../../../src/transit';
import { isBlockedAddress } from '../../../src/twin/outbound';
import type { SeedWebhook, TwinOptions } from '../../../src/twin/types';
import { closedPort, startHttpServer, type ReceivedRequest, type TestServer } from '../penpot/http-servers';
import { call, json, smallSeed, twinFor } from './helpers';

const NOW = new Date('2026-07-24T12:08:41.650Z');
const TEAM = '0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d';
const PROJECT = '1a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d';
const FILE = '2a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d';
const ctx = { teamId: TEAM, projectId: PROJECT, fileId: FILE, now: NOW, handlerMs: 25 };
const ms = (node: unknown): number => Date.parse((node as { value: string }).value);

async function receiverFor(t: TestContext, handler: (req: ReceivedRequest, res: ServerResponse) => void = (_r, res) => res.writeHead(204).end()): Promise<TestServer> {
  const server = await startHttpServer(handler);
  t.after(() => server.close());
  return server;
}

async function twinWithHooks(t: TestContext, hooks: Partial<SeedWebhook>[], options: TwinOptions = {}) {
  const seed = smallSeed();
  const [team, owner] = [seed.teams[0].id, seed.profiles[0].id];
  seed.webhooks = hooks.map((h) => ({
    teamId: team, uri: 'http://127.0.0.1:9/unused', mtype: 'application/json', isActive: true, profileId: owner, ...h,
  }));
  return { twin: await twinFor(t, { seed, ...options }), team, owner };
}

describe('Penpot conformance findings', () => {
  it('finding 1: an answered delivery never counts, whatever its status; refused connections do, 3 disable', async (t) => {
    const receiver = await receiverFor(t, (req, res) => res.writeHead(req.path === '/404' ? 404 : 500).end());
    const refused = await closedPort();
    const { twin, team } = await twinWithHooks(t, [
      { uri: `${receiver.url}/500`, errorCode: 'connection-error', errorCount: 2 }, { uri: `${receiver.url}/404` },
      { uri: `http://127.0.0.1:${refused}/gone` },
    ]);
    for (let i = 0; i < 3; i++) await twin.emit('create-project', { teamId: team });
    const [five, four, gone] = twin.state.webhooks;
    assert.deepEqual([five.isActive, five.errorCode, five.errorCount], [true, null, 0], 'the success branch resets the count');
    assert.deepEqual([four.isActive, four.errorCode, four.errorCount], [true, null, 0]);
    assert.deepEqual([gone.isActive, gone.errorCode, gone.errorCount], [false, 'connection-error', 3]);
    assert.deepEqual(twin.deliveries.filter((d) => d.uri.endsWith('/500')).map((d) => d.status), [500, 500, 500]);
  });

  it('finding 2: set-file-shared with isShared true carries no routing key and reaches no webhook', async (t) => {
    const shared = buildPenpotEvent('set-file-shared', { ...ctx, props: { 'is-shared': true } });
    assert.deepEqual(Object.keys(shared.props).sort(), ['id', 'is-shared', 'name']);
    assert.match(findPenpotEvent('set-file-shared')!.reachesNobody!, /no webhook/);
    const receiver = await receiverFor(t);
    const { twin, team } = await twinWithHooks(t, [{ uri: `${receiver.url}/` }]);
    assert.deepEqual(await twin.emit('set-file-shared', { teamId: team, props: { 'is-shared': true } }), []);
    const unshared = await twin.emit('set-file-shared', { teamId: team, props: { 'is-shared': false } });
    assert.equal(unshared.length, 1, 'un-sharing carries project-id and is delivered');
    assert.equal(receiver.requests.length, 1);
  });

  it('finding 3: createdAt is later than trackedAt by the handler\'s run time (≥ 2.15)', () => {
    const event = buildPenpotEvent('create-file', ctx);
    assert.equal(ms(event['tracked-at']), NOW.getTime());
    assert.equal(ms(event['created-at']) - ms(event['tracked-at']), 25);
    const fresh = buildPenpotEvent('create-file');
    assert.ok(ms(fresh['created-at']) > ms(fresh['tracked-at']));
  });

  it('finding 4: the payload shape follows the Penpot version', async (t) => {
    const keys = (penpotVersion: string) => Object.keys(buildPenpotEvent('create-file', { ...ctx, penpotVersion }));
    assert.deepEqual(keys('2.17'), ['name', 'tracked-at', 'profile-id', 'created-at', 'props']);
    assert.deepEqual(keys('2.14.2'), ['id', 'name', 'tracked-at', 'profile-id', 'created-at', 'props']);
    assert.deepEqual(keys('2.13'), ['id', 'name', 'profile-id', 'props']);
    assert.deepEqual(keys('2.1'), ['id', 'name', 'profile-id', 'context', 'props']);
    const old = buildPenpotEvent('create-file', { ...ctx, penpotVersion: '2.14' });
    assert.deepEqual(old['created-at'], old['tracked-at'], '2.14 stamped both with one time');
    assert.deepEqual(buildPenpotEvent('create-file', { ...ctx, shape: '2.0–2.1' }).context, {});
    assert.throws(() => buildPenpotEvent('create-file', { penpotVersion: '1.19' }), /Unknown Penpot version "1.19"/);
    const receiver = await receiverFor(t);
    const { twin, team } = await twinWithHooks(t, [{ uri: `${receiver.url}/` }], { version: '2.13.0' });
    await twin.emit('create-project', { teamId: team });
    assert.deepEqual(Object.keys(JSON.parse(receiver.requests[0].body)), ['id', 'name', 'profileId', 'props']);
    assert.equal(receiver.requests[0].headers['user-agent'], 'penpot/2.13');
  });

  it('finding 5: RPC answers leave NULL columns out; the client still reads both forms', async (t) => {
    const twin = await twinFor(t);
    const tokens = json(await call(twin, 'get-access-tokens'));
    const personal = tokens.find((x: any) => x.name === 'Design tokens sync');
    assert.ok(!('type' in personal) && !('expiresAt' in personal), JSON.stringify(personal));
    const teams = json(await call(twin, 'get-teams'));
    assert.ok(teams.every((team: any) => !('deletedAt' in team) && !('photoId' in team)));
    assert.ok(!('lang' in json(await call(twin, 'get-profile'))));
    const hooks = json(await call(twin, 'get-webhooks', { body: { teamId: teams[1].id } }));
    assert.ok(hooks.some((h: any) => !('errorCode' in h)), 'a healthy webhook has no errorCode key');
    assert.deepEqual([toAccessToken(personal).type, toAccessToken(personal).expiresAt], [null, null]);
    assert.deepEqual([toAccessToken({ ...personal, type: null, expiresAt: null }).type], [null]);
    assert.equal(toWebhook(hooks.find((h: any) => !('errorCode' in h))).errorCode, null);
  });

  it('finding 6: create-comment-thread carries comment-id, owner-fullname and owner-email', () => {
    const props = buildPenpotEvent('create-comment-thread', ctx).props;
    for (const key of ['comment-id', 'owner-fullname', 'owner-email', 'participants', 'seqn', 'page-name']) assert.ok(key in props, key);
    assert.notDeepEqual(props['comment-id'], props.id);
  });

  it('finding 7: create-font-variant carries the caller\'s profile-id', () => {
    const event = buildPenpotEvent('create-font-variant', { ...ctx, profileId: 'db601c95-045f-808b-8002-361312e63531' });
    assert.deepEqual(event.props['profile-id'], uuid('db601c95-045f-808b-8002-361312e63531'));
  });

  it('finding 8: import-binfile carries upload-id and generated-by, no file-id and never referer', () => {
    const props = buildPenpotEvent('import-binfile', { ...ctx, penpotVersion: '2.16.1' }).props;
    assert.ok('upload-id' in props);
    assert.ok(!('file-id' in props) && !('referer' in props) && !('file' in props));
    assert.equal(props['generated-by'], 'penpot/2.16.1');
  });

  it('finding 9: keys come in the order Penpot\'s maps produce them', () => {
    const event = buildPenpotEvent('update-file', ctx);
    assert.deepEqual(Object.keys(JSON.parse(encodePenpotEvent(event, 'json').body)), ['name', 'trackedAt', 'profileId', 'createdAt', 'props']);
    assert.deepEqual(Object.keys(event.props), ['id', 'name', 'features', 'project-id', 'team-id'], 'replace-props keeps its literal order');
    assert.match(encodePenpotEvent(event, 'transit').body, /^\["\^ ","~:name","update-file","~:tracked-at"/);
  });

  it('finding 10: the doubles of a point are written as Penpot writes them, 188.0', () => {
    const event = buildPenpotEvent('create-comment-thread', ctx);
    assert.deepEqual(event.props.position, tagged('point', { x: 412.5, y: 188 }));
    assert.match(encodePenpotEvent(event, 'json').body, /"position": \{\n {6}"x": 412\.5,\n {6}"y": 188\.0\n {4}\}/);
    assert.match(encodePenpotEvent(event, 'transit').body, /\["~#point",\["\^ ","~:x",412\.5,"~:y",188\.0\]\]/);
    assert.deepEqual((decodeTransit(encodePenpotEvent(event, 'transit').body) as any).props.position, event.props.position);
  });

  it('finding 11: modified-at is set inside the handler, after trackedAt; instants are milliseconds', () => {
    for (const name of ['rename-file', 'delete-file', 'delete-project']) {
      const event = buildPenpotEvent(name, ctx);
      const modified = ms(event.props['modified-at']);
      assert.ok(modified > ms(event['tracked-at']) && modified < ms(event['created-at']), name);
    }
    assert.doesNotMatch(encodePenpotEvent(buildPenpotEvent('rename-file', ctx), 'json').body, /\.\d{4,}Z/);
  });

  it('finding 12: deliveries camelCase string keys too; RPC answers keep them', () => {
    const node = { data: mapOf([['font/ttf', 1], ['my-key', 2]]) };
    assert.equal(writePenpotJson(node, { camelStringKeys: true }), '{"data":{"fontTtf":1,"myKey":2}}');
    assert.equal(writePenpotJson(node), '{"data":{"font\\/ttf":1,"my-key":2}}');
    assert.throws(() => writePenpotJson(mapOf([[uuid(FILE), 1]]), { camelStringKeys: true }), /UUID map key/);
  });

  it('finding 13: new ids have Penpot\'s UUIDv8 layout: one process prefix, third group 80xx/81xx', () => {
    const ids = Array.from({ length: 5 }, () => (buildPenpotEvent('create-project').props['team-id'] as { value: string }).value);
    assert.equal(new Set(ids.map((id) => id.slice(0, 18))).size, 1, ids.join(' '));
    assert.equal(new Set(ids).size, 5);
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[01][0-9a-f]{2}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('finding 14: debounced events: only the last of a burst is delivered, after the (scaled) delay', async (t) => {
    const receiver = await receiverFor(t);
    const { twin, team } = await twinWithHooks(t, [{ uri: `${receiver.url}/` }], { debounceScale: 0.001 }); // 2 min → 120 ms
    const file = 'ffffffff-0e0f-4a1b-8c2d-3e4f5a6b7c8d';
    const started = Date.now();
    const burst = ['one', 'two', 'three'].map((name) => twin.emit('update-file', { teamId: team, props: { id: uuid(file), name } }));
    const results = await Promise.all(burst);
    assert.deepEqual(results.map((r) => r.length), [0, 0, 1]);
    assert.ok(Date.now() - started >= 110, 'delivered after the delay');
    assert.deepEqual(receiver.requests.map((r) => JSON.parse(r.body).props.name), ['three']);
    assert.deepEqual([findPenpotEvent('update-file')!.debounceMs, findPenpotEvent('update-project-pin')!.debounceMs], [120_000, 5000]);
  });

  it('finding 15: text java.net.URI refuses gives a 500 on create; a host with "_" has no host', async (t) => {
    const twin = await twinFor(t, { seed: smallSeed() });
    const teamId = twin.state.teams[0].id;
    const create = (uri: string) => call(twin, 'create-webhook', { body: { teamId, uri, mtype: 'application/json', isActive: true } });
    const spaced = await create('http://127.0.0.1/a path');
    assert.deepEqual([spaced.status, json(spaced).hint], [500, 'internal']);
    assert.equal(json(await create('http://my_host.example.com/')).hint, 'blocked-request:url host is missing');
  });

  it('finding 16: the IPv4 any-local block is 0.0.0.0 only; extra blocked CIDRs are IPv4', async (t) => {
    assert.equal(isBlockedAddress('0.0.0.0'), true);
    assert.equal(isBlockedAddress('0.1.2.3'), false);
    assert.equal(isBlockedAddress('8.8.4.4', ['8.8.4.0/24']), true);
    const receiver = await receiverFor(t);
    const { twin, team } = await twinWithHooks(t, [{ uri: `${receiver.url}/` }], { ssrfExtraBlockedCidrs: ['127.0.0.0/8'] });
    // the allow-list (127.0.0.1) is checked before the ranges, as in Penpot
    assert.equal((await twin.emit('create-file', { teamId: team }))[0].status, 204);
    await assert.rejects(twinFor(t, { ssrfExtraBlockedCidrs: ['fc00::/7'] }), /IPv4 only/);
  });

  it('finding 17: the HEAD check sends the JDK default user agent of Penpot\'s image', async (t) => {
    const receiver = await receiverFor(t);
    const twin = await twinFor(t, { seed: smallSeed() });
    const teamId = twin.state.teams[0].id;
    await call(twin, 'create-webhook', { body: { teamId, uri: `${receiver.url}/`, mtype: 'application/json', isActive: true } });
    assert.equal(receiver.requests[0].headers['user-agent'], 'Java-http-client/26.0.1');
  });

  it('finding 18: verbose Transit still writes instants as ~m', () => {
    assert.equal(encodeTransit({ at: instant(NOW) }, { verbose: true }), `{"~:at":"~m${NOW.getTime()}"}`);
  });

  it('finding 19: the twin refuses create-webhook from non-members on purpose (Penpot lets anyone create)', async (t) => {
    const twin = await twinFor(t, { seed: smallSeed() });
    const answer = await call(twin, 'create-webhook', { body: { teamId: TEAM, uri: 'http://127.0.0.1:9/', mtype: 'application/json', isActive: true } });
    assert.deepEqual([answer.status, json(answer).code], [404, 'object-not-found']);
  });

  it('finding 20: an empty auth-token cookie is ignored and the Authorization header is used', async (t) => {
    const twin = await twinFor(t, { seed: smallSeed() });
    const owner = twin.state.profiles[0].id;
    assert.equal(json(await call(twin, 'get-profile', { headers: { cookie: 'auth-token=' } })).id, owner);
    assert.notEqual(json(await call(twin, 'get-profile', { headers: { cookie: 'auth-token=abc' } })).id, owner);
  });

  it('finding 21: deliveries are serial whatever the setting, as Penpot\'s worker runs them', async (t) => {
    let inFlight = 0;
    let most = 0;
    const receiver = await receiverFor(t, (_req, res) => {
      most = Math.max(most, ++inFlight);
      setTimeout(() => { inFlight -= 1; res.writeHead(204).end(); }, 15);
    });
    const { twin, team } = await twinWithHooks(t, [{ uri: `${receiver.url}/a` }, { uri: `${receiver.url}/b` }]);
    await Promise.all([twin.emit('create-file', { teamId: team }), twin.emit('delete-font', { teamId: team })]);
    assert.equal(most, 1);
  });
});
