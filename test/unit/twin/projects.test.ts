// The twin's project RPCs (create-project, delete-project, get-projects) and their webhook events, and the
// frontend config it serves (/js/config.js), over real HTTP.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { request } from 'undici';
import { startHttpServer } from '../penpot/http-servers';
import { call, json, smallSeed, twinFor } from './helpers';

async function until(condition: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('twin projects', () => {
  it('creates, lists and deletes a project, delivering create-project and delete-project routed by team', async (t) => {
    const receiver = await startHttpServer((_req, res) => res.writeHead(204).end());
    t.after(() => receiver.close());
    const seed = smallSeed();
    const teamId = seed.teams[0].id;
    seed.webhooks = [{ id: randomUUID(), teamId, uri: `${receiver.url}/hook`, mtype: 'application/json', isActive: true, profileId: seed.profiles[0].id }];
    const twin = await twinFor(t, { seed });
    const id = randomUUID();

    const created = await call(twin, 'create-project', { body: { teamId, name: 'Test project', id } });
    assert.equal(created.status, 200, created.text);
    assert.deepEqual({ ...json<Record<string, unknown>>(created), createdAt: undefined, modifiedAt: undefined },
      { id, teamId, name: 'Test project', isDefault: false, isPinned: false, deletedAt: null, createdAt: undefined, modifiedAt: undefined });

    const listed = json<{ id: string; name: string; isDefault: boolean }[]>(await call(twin, 'get-projects', { body: { teamId } }));
    assert.deepEqual(listed.map((p) => [p.name, p.isDefault]), [['Drafts', true], ['Test project', false]]);

    const deleted = await call(twin, 'delete-project', { body: { id } });
    assert.equal(deleted.status, 204);
    const after = json<{ id: string }[]>(await call(twin, 'get-projects', { body: { teamId } }));
    assert.ok(!after.some((p) => p.id === id), 'a deleted project is not listed');

    await until(() => receiver.requests.length === 2);
    const events = receiver.requests.map((r) => JSON.parse(r.body));
    assert.deepEqual(events.map((e) => e.name), ['create-project', 'delete-project']);
    assert.deepEqual(events[0].props, { teamId, name: 'Test project', id });
    assert.deepEqual(Object.keys(events[1].props).sort(), ['createdAt', 'id', 'modifiedAt', 'name', 'teamId']);
    assert.equal(events[1].props.id, id);
    assert.equal(events[1].props.name, 'Test project');
  });

  it('refuses to delete the default project, unknown ids, viewers and bad params', async (t) => {
    const seed = smallSeed();
    const teamId = seed.teams[0].id;
    const viewer = { id: randomUUID(), token: randomUUID() };
    seed.profiles.push({ id: viewer.id, fullname: 'Viewer', email: 'v@example.com', defaultTeamId: teamId });
    seed.memberships.push({ teamId, profileId: viewer.id, role: 'viewer' });
    const viewerToken = 'viewer-token-value-0123456789';
    seed.tokens!.push({ id: viewer.token, profileId: viewer.id, name: 'v', value: viewerToken });
    const twin = await twinFor(t, { seed });

    const drafts = json<{ id: string }[]>(await call(twin, 'get-projects', { body: { teamId } }))[0];
    const refusedDefault = await call(twin, 'delete-project', { body: { id: drafts.id } });
    assert.equal(refusedDefault.status, 400);
    assert.equal(json(refusedDefault).code, 'non-deletable-project');
    assert.equal(json(await call(twin, 'delete-project', { body: { id: randomUUID() } })).code, 'object-not-found');
    const asViewer = await call(twin, 'create-project', { body: { teamId, name: 'x' }, token: viewerToken });
    assert.equal(asViewer.status, 404);
    const noName = await call(twin, 'create-project', { body: { teamId } });
    assert.equal(noName.status, 400);
    assert.equal(json(noName).type, 'validation');
  });

  it('serves /js/config.js with penpotFlags, or none when told to', async (t) => {
    const twin = await twinFor(t);
    const answer = await request(`${twin.url}/js/config.js`);
    assert.equal(answer.statusCode, 200);
    assert.match(await answer.body.text(), /^var penpotFlags = "[^"]*\benable-webhooks\b[^"]*";/);
    const bare = await twinFor(t, { frontendFlags: null });
    const none = await request(`${bare.url}/js/config.js`);
    assert.equal(none.statusCode, 404);
    await none.body.text();
  });
});
