// The twin's seeds: the bundled demo seed's story, seed files, and clear errors for bad seeds.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { roleOf } from '../../../src/penpot/types';
import { checkSeed, demoSeed, startTwin } from '../../../src/twin';
import { call, json, smallSeed, twinFor } from './helpers';

const DAY = 86_400_000;

describe('the demo seed', () => {
  it('tells the demo\'s story through the API', async (t) => {
    const twin = await twinFor(t);
    assert.equal(json(await call(twin, 'get-profile')).fullname, 'Ada Lovelace');
    const teams = json(await call(twin, 'get-teams'));
    assert.deepEqual(teams.map((team: any) => [team.name, roleOf(team.permissions), team.isDefault]), [
      ['Your Penpot', 'owner', true], ['Design System', 'owner', false], ['Marketing', 'viewer', false], ['Agency Clients', 'admin', false],
    ]);
    const hooksOf = async (name: string) =>
      json(await call(twin, 'get-webhooks', { body: { teamId: teams.find((team: any) => team.name === name).id } }));
    assert.deepEqual(await hooksOf('Your Penpot'), []);
    const ds = await hooksOf('Design System');
    const summary = ds.map((h: any) => [h.mtype, h.isActive, h.errorCode, h.errorCount]);
    assert.deepEqual(summary.sort(), [
      ['application/json', false, 'connection-error', 3],
      ['application/json', true, 'connection-error', 1],
      ['application/json', true, undefined, 0],
      ['application/transit+json', false, undefined, 0],
    ].sort());
    const marketing = await hooksOf('Marketing');
    assert.equal(marketing.length, 1);
    assert.notEqual(marketing[0].profileId, json(await call(twin, 'get-profile')).id, 'created by a teammate');
    assert.equal((await hooksOf('Agency Clients')).length, 8);
  });

  it('has tokens of every kind, relative to the start, and allow-lists loopback', async (t) => {
    const twin = await twinFor(t);
    const start = twin.state.startedAt.getTime();
    const ada = twin.state.profiles.find((p) => p.fullname === 'Ada Lovelace')!.id;
    const tokens = twin.state.tokens.filter((x) => x.profileId === ada);
    const days = (x: (typeof tokens)[number]) => (x.expiresAt === null ? null : (x.expiresAt.getTime() - start) / DAY);
    assert.ok(tokens.some((x) => x.value === twin.demoToken && days(x)! > 0));
    assert.ok(tokens.some((x) => days(x) === 5));
    assert.ok(tokens.some((x) => days(x) !== null && days(x)! < 0));
    assert.ok(tokens.some((x) => x.expiresAt === null && x.type === null));
    assert.ok(tokens.some((x) => x.type === 'mcp'));
    assert.ok(twin.state.tokens.some((x) => x.profileId !== ada), 'the teammate has a token');
    assert.deepEqual(twin.state.ssrfAllowedHosts, ['localhost', '127.0.0.1']);
    assert.ok(twin.state.webhooks.every((w) => /^https:\/\/[a-z]+\.example\.(com|org|net)\//.test(w.uri)), 'no real host');
  });

  it('is a valid seed object that demoSeed() copies', () => {
    const a = demoSeed();
    a.profiles[0].fullname = 'changed';
    assert.equal(demoSeed().profiles[0].fullname, 'Ada Lovelace');
  });
});

describe('seed files and checks', () => {
  it('starts from a JSON seed file', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'twin-seed-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'seed.json');
    const seed = smallSeed();
    writeFileSync(file, JSON.stringify(seed));
    const twin = await twinFor(t, { seed: file });
    assert.equal(json(await call(twin, 'get-profile')).fullname, 'Test Owner');
    assert.equal(twin.demoToken, seed.tokens![0].value);
  });

  it('names the file when it is missing or not JSON', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'twin-seed-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    await assert.rejects(startTwin({ seed: join(dir, 'missing.json') }), /Cannot read the twin seed file .*missing\.json/);
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    await assert.rejects(startTwin({ seed: join(dir, 'bad.json') }), /bad\.json is not valid JSON/);
  });

  it('names the first bad field', () => {
    const cases: [(s: any) => void, RegExp][] = [
      [(s) => { s.memberships[0].role = 'boss'; }, /memberships\[0\]\.role must be one of owner, admin, editor, viewer/],
      [(s) => { s.teams[0].id = 'team-1'; }, /teams\[0\]\.id is not a UUID/],
      [(s) => { s.memberships[0].profileId = '11111111-2222-3333-4444-555555555555'; }, /memberships\[0\]\.profileId names no profile/],
      [(s) => { s.webhooks = [{ teamId: s.teams[0].id, uri: 'https://x.example', mtype: 'text/plain', isActive: true, profileId: null }]; }, /webhooks\[0\]\.mtype/],
      [(s) => { s.tokens[0].expiresAt = 'soon'; }, /tokens\[0\]\.expiresAt must be an ISO date/],
      [(s) => { delete s.profiles; }, /"profiles" must be a list/],
      [(s) => { s.webhook = []; }, /unknown key "webhook"/],
    ];
    for (const [spoil, message] of cases) {
      const seed = smallSeed();
      spoil(seed);
      assert.throws(() => checkSeed(seed, 'test'), (error: Error) => {
        assert.match(error.message, /^Invalid twin seed \(test\): /);
        assert.match(error.message, message);
        return true;
      });
    }
  });

  it('refuses a demoToken naming no token, without echoing it', async () => {
    await assert.rejects(startTwin({ seed: smallSeed({ demoToken: 'secret-value' }) }), (error: Error) => {
      assert.match(error.message, /"demoToken" names no token/);
      assert.ok(!error.message.includes('secret-value'));
      return true;
    });
  });
});
