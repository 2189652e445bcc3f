// Webhook deliveries of the twin to real local HTTP servers (§4.1, §4.2), through emit() and POST /_twin/emit.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import type { TestContext } from 'node:test';
import { describe, it } from 'node:test';
import { writePenpotJson } from '../../../src/penpot/json';
import { decodeTransit, uuid } from '../../../src/transit';
import type { SeedWebhook } from '../../../src/twin/types';
import { closedPort, startHttpServer, type ReceivedRequest, type TestServer } from '../penpot/http-servers';
import { call, json, smallSeed, twinFor } from './helpers';

type Handler = (req: ReceivedRequest, res: ServerResponse) => void;

async function receiverFor(t: TestContext, handler: Handler = (_req, res) => res.writeHead(204).end()): Promise<TestServer> {
  const server = await startHttpServer(handler);
  t.after(() => server.close());
  return server;
}

/** A twin whose one team has the given webhooks (uri, mtype, isActive, error state). */
async function twinWithHooks(t: TestContext, hooks: Partial<SeedWebhook>[], extra: Parameters<typeof twinFor>[1] = {}) {
  const seed = smallSeed();
  const [team, owner] = [seed.teams[0].id, seed.profiles[0].id];
  seed.webhooks = hooks.map((h) => ({
    teamId: team, uri: 'http://127.0.0.1:9/unused', mtype: 'application/json', isActive: true, profileId: owner, ...h,
  }));
  const twin = await twinFor(t, { seed, ...extra });
  return { twin, team, owner };
}

describe('twin deliveries', () => {
  it('sends the event to every active webhook in its own format, skipping inactive and NULL ones', async (t) => {
    const receiver = await receiverFor(t);
    const { twin, team, owner } = await twinWithHooks(t, [
      { uri: `${receiver.url}/json`, mtype: 'application/json' },
      { uri: `${receiver.url}/transit`, mtype: 'application/transit+json' },
      { uri: `${receiver.url}/off`, isActive: false },
      { uri: `${receiver.url}/null`, isActive: null },
    ]);
    const results = await twin.emit('rename-file', { teamId: team, props: { name: 'Café / Ünïcode' } });

    assert.deepEqual(receiver.requests.map((r) => [r.method, r.path]), [['POST', '/json'], ['POST', '/transit']]);
    assert.deepEqual(results.map((r) => [r.status, r.errorCode, r.errorCount, r.isActive]), [[204, null, 0, true], [204, null, 0, true]]);
    const [jsonReq, transitReq] = receiver.requests;
    assert.equal(jsonReq.headers['content-type'], 'application/json');
    assert.equal(transitReq.headers['content-type'], 'application/transit+json');
    for (const req of receiver.requests) {
      assert.equal(req.headers['user-agent'], 'penpot/2.17');
      assert.equal(req.headers['x-penpot-signature'], undefined, 'Penpot signs nothing');
    }

    // JSON: data.json with :indent true, camelCase keys at every depth, \/ and \uXXXX escapes (§4.1 step 4).
    const text = jsonReq.body;
    assert.ok(text.startsWith(`{\n  "name": "rename-file",\n  "trackedAt": "`), text);
    assert.ok(text.includes(`",\n  "profileId": "${owner}",\n  "createdAt": "`), text);
    assert.match(text, /\n {2}"props": {\n {4}"name": "Caf\\u00e9 \\\/ \\u00dcn\\u00efcode",\n/);
    assert.match(text, /\n {4}"projectId": "[0-9a-f-]{36}",\n {4}"createdAt": "[^"]+",\n {4}"modifiedAt": "[^"]+"\n {2}}\n}$/);
    const event = JSON.parse(text);
    assert.deepEqual(Object.keys(event), ['name', 'trackedAt', 'profileId', 'createdAt', 'props']);
    assert.ok(Date.parse(event.createdAt) > Date.parse(event.trackedAt), 'createdAt is stamped after the handler');

    // Transit: the same event, decodable (§4.2).
    const decoded = decodeTransit(transitReq.body) as any;
    assert.deepEqual(Object.keys(decoded), ['name', 'tracked-at', 'profile-id', 'created-at', 'props']);
    assert.deepEqual(decoded['profile-id'], uuid(owner));
    assert.deepEqual(decoded.props['project-id'], uuid(event.props.projectId));
    assert.equal(decoded.props.name, 'Café / Ünïcode');
    assert.equal(writePenpotJson(decoded, { indent: true }), text, 'both bodies carry one event');

    assert.equal(twin.deliveries.length, 2);
    assert.deepEqual(
      { ...twin.deliveries[0], at: '' },
      { ...results[0], eventName: 'rename-file', teamId: team, at: '', contentType: 'application/json', userAgent: 'penpot/2.17', body: text },
    );
  });

  it('with countStatusFailures, counts error answers and disables a webhook at the third in a row; it then gets nothing', async (t) => {
    const receiver = await receiverFor(t, (_req, res) => res.writeHead(500).end('boom'));
    const { twin, team } = await twinWithHooks(t, [{ uri: `${receiver.url}/failing` }], { countStatusFailures: true });
    const states = [];
    for (let i = 0; i < 3; i++) {
      const [result] = await twin.emit('create-project', { teamId: team });
      states.push([result.status, result.errorCode, result.errorCount, result.isActive]);
    }
    assert.deepEqual(states, [
      [500, 'unexpected-status:500', 1, true], [500, 'unexpected-status:500', 2, true], [500, 'unexpected-status:500', 3, false],
    ]);
    assert.deepEqual(await twin.emit('create-project', { teamId: team }), []);
    assert.equal(receiver.requests.length, 3);
    assert.equal(twin.state.webhooks[0].isActive, false);
  });

  it('resets the error state after a success', async (t) => {
    const receiver = await receiverFor(t, (_req, res) => res.writeHead(200).end());
    const { twin, team } = await twinWithHooks(t, [{ uri: `${receiver.url}/`, errorCode: 'connection-error', errorCount: 2 }]);
    const before = twin.state.webhooks[0].updatedAt;
    const [result] = await twin.emit('create-file', { teamId: team });
    assert.deepEqual([result.errorCode, result.errorCount, result.isActive], [null, 0, true]);
    assert.ok(twin.state.webhooks[0].updatedAt >= before);
  });

  it('with countStatusFailures, counts 201 and redirects as errors; follows no redirect', async (t) => {
    const target = await receiverFor(t);
    const receiver = await receiverFor(t, (req, res) =>
      res.writeHead(req.path === '/created' ? 201 : 302, { location: `${target.url}/moved` }).end());
    const { twin, team } = await twinWithHooks(t, [{ uri: `${receiver.url}/created` }, { uri: `${receiver.url}/redirect` }], { countStatusFailures: true });
    const results = await twin.emit('delete-font', { teamId: team });
    assert.deepEqual(results.map((r) => r.errorCode), ['unexpected-status:201', 'unexpected-status:302']);
    assert.equal(target.requests.length, 0);
  });

  it('records connection-error for a refused port and blocked-request for a target the guard refuses', async (t) => {
    const receiver = await receiverFor(t);
    const port = await closedPort();
    const { twin, team } = await twinWithHooks(t, [
      { uri: `http://127.0.0.1:${port}/refused` },
      { uri: `http://localhost:${receiver.port}/not-allow-listed` },
    ]);
    const results = await twin.emit('create-file', { teamId: team });
    assert.deepEqual(results.map((r) => [r.status, r.errorCode, r.errorCount]), [
      [null, 'connection-error', 1], [null, 'blocked-request:uri target is not allowed', 1],
    ]);
    assert.ok(results.every((r) => typeof r.failure === 'string' && r.failure.length > 0));
    assert.equal(receiver.requests.length, 0);
  });

  it('treats no answer within the (configured) timeout as Penpot does: an uninterpreted error that resets the count', async (t) => {
    const receiver = await receiverFor(t, (_req, res) => { setTimeout(() => res.writeHead(204).end(), 2000); });
    const { twin, team } = await twinWithHooks(t, [{ uri: `${receiver.url}/slow`, errorCode: 'connection-error', errorCount: 1 }], {
      timeouts: { deliveryMs: 150 },
    });
    const [result] = await twin.emit('create-project', { teamId: team });
    assert.deepEqual([result.status, result.errorCode, result.errorCount, result.isActive], [null, null, 0, true]);
    assert.match(result.failure!, /no answer within 150 ms/);
  });

  it('delivers one request at a time, events in the order emitted', async (t) => {
    let inFlight = 0;
    let maxInFlight = 0;
    const receiver = await receiverFor(t, (_req, res) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => { inFlight -= 1; res.writeHead(204).end(); }, 20);
    });
    const { twin, team } = await twinWithHooks(t, [1, 2, 3].map((n) => ({ uri: `${receiver.url}/${n}` })));
    const [first, second] = await Promise.all([
      twin.emit('create-project', { teamId: team }),
      twin.emit('rename-project', { teamId: team }),
    ]);
    assert.equal(first.length + second.length, 6);
    assert.equal(maxInFlight, 1);
    assert.deepEqual(twin.deliveries.map((d) => d.eventName), [...Array(3).fill('create-project'), ...Array(3).fill('rename-project')]);
  });

  it('rejects an unknown event or team before sending anything', async (t) => {
    const receiver = await receiverFor(t);
    const { twin, team } = await twinWithHooks(t, [{ uri: `${receiver.url}/` }]);
    await assert.rejects(twin.emit('paint-file', { teamId: team }), /Unknown Penpot event "paint-file". Valid events: create-file, update-file/);
    await assert.rejects(twin.emit('create-file', { teamId: '11111111-2222-3333-4444-555555555555' }), /no team/);
    assert.equal(receiver.requests.length, 0);
  });
});

describe('twin hooks under /_twin/', () => {
  it('POST /_twin/emit delivers with props read like a Penpot JSON request', async (t) => {
    const receiver = await receiverFor(t);
    const { twin, team } = await twinWithHooks(t, [{ uri: `${receiver.url}/t`, mtype: 'application/transit+json' }]);
    const fileId = '0f0e0d0c-0b0a-4909-8807-060504030201';
    const res = await fetch(`${twin.url}/_twin/emit`, {
      method: 'POST', body: JSON.stringify({ name: 'create-comment', teamId: team, props: { fileId, content: 'Hi' } }),
    });
    assert.equal(res.status, 200);
    const results = (await res.json()) as any[];
    assert.deepEqual(results.map((r) => [r.status, r.errorCode]), [[204, null]]);
    const event = decodeTransit(receiver.requests[0].body) as any;
    assert.deepEqual(event.props['file-id'], uuid(fileId));
    assert.equal(event.props.content, 'Hi');
  });

  it('POST /_twin/emit explains bad requests', async (t) => {
    const { twin, team } = await twinWithHooks(t, []);
    const post = async (body: string) => {
      const res = await fetch(`${twin.url}/_twin/emit`, { method: 'POST', body });
      return { status: res.status, error: ((await res.json()) as { error: string }).error };
    };
    assert.match((await post('{')).error, /not JSON/);
    assert.match((await post('{"name":"create-file"}')).error, /"teamId"/);
    const unknown = await post(JSON.stringify({ name: 'nope', teamId: team }));
    assert.equal(unknown.status, 400);
    assert.match(unknown.error, /Valid events: .*import-binfile/);
  });

  it('GET /_twin/deliveries lists the deliveries and GET /_twin/state hides token values', async (t) => {
    const receiver = await receiverFor(t);
    const { twin, team } = await twinWithHooks(t, [{ uri: `${receiver.url}/` }]);
    await twin.emit('create-file', { teamId: team });
    const deliveries = (await (await fetch(`${twin.url}/_twin/deliveries`)).json()) as any[];
    assert.deepEqual(deliveries.map((d) => [d.eventName, d.status]), [['create-file', 204]]);

    const stateText = await (await fetch(`${twin.url}/_twin/state`)).text();
    const state = JSON.parse(stateText);
    assert.equal(state.webhooks[0].errorCode, null);
    assert.equal(state.tokens.length, 1);
    assert.ok(!('value' in state.tokens[0]));
    assert.ok(!stateText.includes(twin.demoToken));
    assert.equal((await call(twin, 'get-profile')).status, 200, 'the token still works');
    assert.equal(json(await call(twin, 'get-webhooks', { body: { teamId: team } }))[0].errorCount, 0);
  });
});
