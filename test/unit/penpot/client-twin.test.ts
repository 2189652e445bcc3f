// Every PenpotApi operation against the Penpot twin with its demo seed (Ada Lovelace's demo token).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PenpotClient, type RpcLogLine } from '../../../src/penpot/client';
import { PenpotError } from '../../../src/penpot/errors';
import type { PenpotErrorKind } from '../../../src/penpot/api';
import { startTwin } from '../../../src/twin';
import type { RunningTwin } from '../../../src/twin/types';
import { closedPort, startHttpServer, type TestServer } from './http-servers';

const ADA = '04b37cc6-6077-46b4-9913-e221fee79994';
const DESIGN_SYSTEM = '03b78a74-7743-4313-8c92-096b40a7cc8e'; // Ada: owner, 4 webhooks
const MARKETING = '9d58984a-04eb-4205-977a-b628a35c02bf'; // Ada: viewer
const AGENCY = '5175a5ef-69ff-4f93-a5f0-461b62dd6e75'; // Ada: admin, 8 webhooks (the quota)
const GRACES_MARKETING_HOOK = 'a86a20db-c91d-4366-a084-3de6fa48faa2';
const GRACE_ONLY_TEAM = '6b33d365-3ccf-4faf-90da-14864a519e6c';

async function expectError(call: () => Promise<unknown>, kind: PenpotErrorKind, message?: RegExp): Promise<PenpotError> {
  await assert.rejects(call, (error: unknown) => {
    assert.ok(error instanceof PenpotError, String(error));
    assert.equal(error.kind, kind, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
  try {
    await call();
  } catch (error) {
    return error as PenpotError;
  }
  throw new Error('unreachable');
}

describe('PenpotClient against the twin', () => {
  let twin: RunningTwin;
  let client: PenpotClient;
  let receiver: TestServer;
  const log: RpcLogLine[] = [];

  before(async () => {
    twin = await startTwin({ port: 0 });
    client = new PenpotClient({ baseUrl: twin.url, token: twin.demoToken, clientVersion: 'test', log: (l) => log.push(l) });
    // A webhook target that passes Penpot's HEAD check (200) and accepts deliveries.
    receiver = await startHttpServer((_req, res) => res.writeHead(200).end());
  });

  after(async () => {
    await client.close();
    await twin.close();
    await receiver.close();
  });

  it('reads the profile', async () => {
    const profile = await client.getProfile();
    assert.equal(profile.id, ADA);
    assert.equal(profile.fullname, 'Ada Lovelace');
    assert.equal(profile.email, 'ada@example.com');
    assert.deepEqual({ ...log.at(-1)!, ms: 0 }, { command: 'get-profile', method: 'POST', status: 200, ms: 0, path: 'current' });
  });

  it('lists the teams with roles and the default team', async () => {
    const teams = await client.getTeams();
    const byId = new Map(teams.map((t) => [t.id, t]));
    assert.equal(teams.length, 4);
    assert.equal(byId.get('03d59eb4-1d28-4e78-ba19-bdf94070412e')!.isDefault, true);
    assert.deepEqual(byId.get(MARKETING)!.permissions, { type: 'membership', isOwner: false, isAdmin: false, canEdit: false });
    assert.equal(byId.get(AGENCY)!.permissions.isAdmin, true);
    assert.ok(!byId.has(GRACE_ONLY_TEAM));
  });

  it('lists webhooks with uri as a string, the team id and delivery state', async () => {
    const hooks = await client.getWebhooks(DESIGN_SYSTEM);
    assert.equal(hooks.length, 4);
    for (const hook of hooks) {
      assert.equal(typeof hook.uri, 'string');
      assert.match(hook.uri, /^https:\/\/[a-z.]+\/[\w/-]+$/);
      assert.equal(hook.teamId, DESIGN_SYSTEM);
    }
    const failing = hooks.find((h) => h.id === 'fc9e2d35-cab1-4b36-8c05-9aae9c9c468d')!;
    assert.deepEqual(
      { uri: failing.uri, isActive: failing.isActive, errorCode: failing.errorCode, errorCount: failing.errorCount, mtype: failing.mtype },
      { uri: 'https://builds.example.net/penpot/rebuild-tokens', isActive: false, errorCode: 'connection-error', errorCount: 3, mtype: 'application/json' },
    );
  });

  it('creates, updates and deletes a webhook', async () => {
    const uri = `${receiver.url}/hook`;
    const created = await client.createWebhook({ teamId: DESIGN_SYSTEM, uri, mtype: 'application/transit+json', isActive: false });
    assert.equal(created.uri, uri);
    assert.equal(created.isActive, false);
    assert.equal(created.mtype, 'application/transit+json');
    assert.equal(created.profileId, ADA);
    assert.ok(receiver.requests.some((r) => r.method === 'HEAD'), 'the twin checked the URL with HEAD');

    const updated = await client.updateWebhook({ id: created.id, uri, mtype: 'application/json', isActive: true });
    assert.equal(updated.isActive, true);
    assert.equal(updated.mtype, 'application/json');
    const listed = (await client.getWebhooks(DESIGN_SYSTEM)).find((h) => h.id === created.id)!;
    assert.equal(listed.isActive, true);
    assert.equal(listed.uri, uri);

    await client.deleteWebhook(created.id);
    assert.equal(log.at(-1)!.status, 204);
    assert.ok(!(await client.getWebhooks(DESIGN_SYSTEM)).some((h) => h.id === created.id));
  });

  it('reports the webhook quota', async () => {
    await expectError(
      () => client.createWebhook({ teamId: AGENCY, uri: `${receiver.url}/ninth`, mtype: 'application/json', isActive: true }),
      'quota', /at most 8 webhooks/);
  });

  it('reports a webhook URL Penpot cannot reach in Penpot\'s words', async () => {
    const port = await closedPort();
    await expectError(
      () => client.createWebhook({ teamId: DESIGN_SYSTEM, uri: `http://127.0.0.1:${port}/hook`, mtype: 'application/json', isActive: true }),
      'validation', /Connection error, URL not reacheable/);
  });

  it('reports a webhook URL refused by the SSRF guard with the allow-list advice', async () => {
    await expectError(
      () => client.createWebhook({ teamId: DESIGN_SYSTEM, uri: 'http://10.1.2.3/hook', mtype: 'application/json', isActive: true }),
      'validation', /PENPOT_SSRF_ALLOWED_HOSTS/);
  });

  it('answers 404 for a webhook the user may not change', async () => {
    await expectError(
      () => client.updateWebhook({ id: GRACES_MARKETING_HOOK, uri: 'https://marketing.example.com/webhooks/penpot', mtype: 'application/json', isActive: false }),
      'not-found', /don't have permission/);
    await expectError(() => client.deleteWebhook(GRACES_MARKETING_HOOK), 'not-found');
    await expectError(() => client.getWebhooks(GRACE_ONLY_TEAM), 'not-found');
  });

  it('lists personal tokens, or all of them with includeAll', async () => {
    const personal = await client.getAccessTokens();
    assert.ok(personal.length >= 4);
    assert.ok(personal.every((t) => t.type === null));
    assert.ok(personal.some((t) => t.name === 'Design tokens sync' && t.expiresAt === null));
    const all = await client.getAccessTokens({ includeAll: true });
    assert.ok(all.some((t) => t.type === 'mcp'));
    assert.equal(all.length, personal.length + 1);
  });

  it('creates a token that works, and deleting it makes it anonymous', async () => {
    const created = await client.createAccessToken('twin test', '30');
    assert.ok(created.token.length > 20);
    assert.ok(created.expiresAt !== null);
    const days = (Date.parse(created.expiresAt) - Date.now()) / 86_400_000;
    assert.ok(days > 29 && days <= 30, `expires in ${days} days`);
    const fresh = new PenpotClient({ baseUrl: twin.url, token: created.token });
    try {
      assert.equal((await fresh.getProfile()).id, ADA);
      await client.deleteAccessToken(created.id);
      assert.equal(log.at(-1)!.status, 204);
      await expectError(() => fresh.getProfile(), 'unauthenticated', /anonymous profile/);
      await expectError(() => fresh.getTeams(), 'unauthenticated', /enable-access-tokens/);
    } finally {
      await fresh.close();
    }
    const never = await client.createAccessToken('no expiry', 'never');
    assert.equal(never.expiresAt, null);
    await client.deleteAccessToken(never.id);
  });

  it('treats an unknown token as the anonymous profile', async () => {
    const stranger = new PenpotClient({ baseUrl: twin.url, token: 'not-a-real-token' });
    try {
      await expectError(() => stranger.getProfile(), 'unauthenticated');
    } finally {
      await stranger.close();
    }
  });
});

describe('PenpotClient against a twin of Penpot before 2.12', () => {
  it('falls back to the legacy path', async () => {
    const twin = await startTwin({ port: 0, legacyPathOnly: true });
    const log: RpcLogLine[] = [];
    const client = new PenpotClient({ baseUrl: twin.url, token: twin.demoToken, log: (l) => log.push(l) });
    try {
      assert.equal((await client.getProfile()).id, ADA);
      assert.equal((await client.getTeams()).length, 4);
      assert.deepEqual(log.map((l) => l.path), ['legacy', 'legacy']);
    } finally {
      await client.close();
      await twin.close();
    }
  });
});
