// Access-token commands of the twin over real HTTP (§3.9–§3.12, §5).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ANONYMOUS_PROFILE_ID } from '../../../src/penpot/types';
import { parseJavaDuration } from '../../../src/twin/params';
import { call, json, profileIdByName, smallSeed, twinFor } from './helpers';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('twin access tokens', () => {
  it('lists the caller\'s tokens by expiry, never-expiring last, without values except the MCP key (§3.11)', async (t) => {
    const twin = await twinFor(t);
    const answer = await call(twin, 'get-access-tokens');
    const tokens = json(answer);
    assert.deepEqual(tokens.map((x: any) => x.name), ['Old laptop', 'CI pipeline', 'VS Code (demo)', 'MCP', 'Design tokens sync']);
    // a personal token has no `type` key: NULL columns are left out (conformance finding 5, live 2.17.0 capture)
    assert.deepEqual(Object.keys(tokens[0]), ['id', 'name', 'createdAt', 'updatedAt', 'expiresAt']);
    assert.ok(tokens.filter((x: any) => x.type === undefined).every((x: any) => !('token' in x)));
    assert.ok(!('expiresAt' in tokens[tokens.length - 1]), 'a never-expiring token has no expiresAt');
    const mcp = tokens.find((x: any) => x.type === 'mcp');
    assert.equal(mcp.token, twin.state.tokens.find((x) => x.type === 'mcp')!.value);
    assert.ok(!answer.text.includes(twin.demoToken), 'the demo token value is not listed');
    const inFiveDays = (Date.parse(tokens[1].expiresAt) - twin.state.startedAt.getTime()) / DAY;
    assert.equal(inFiveDays, 5);
    assert.ok(Date.parse(tokens[0].expiresAt) < Date.now(), 'expired tokens are listed');
    assert.equal(tokens[4].expiresAt, undefined);
  });

  it('creates a token in Penpot\'s format, returned once, that authenticates (§3.10)', async (t) => {
    const twin = await twinFor(t);
    const before = Date.now();
    const answer = await call(twin, 'create-access-token', { body: { name: 'ci', expiration: '720h', perms: ['error-reports:read'] } });
    assert.equal(answer.status, 200, answer.text);
    const created = json(answer);
    assert.deepEqual(Object.keys(created), ['id', 'profileId', 'createdAt', 'updatedAt', 'name', 'token', 'expiresAt']);
    assert.match(created.token, /^[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/, 'five base64url parts');
    assert.deepEqual(JSON.parse(Buffer.from(created.token.split('.')[0], 'base64url').toString()), { alg: 'A256KW', enc: 'A256GCM' });
    assert.equal(created.type, undefined);
    const expiresIn = Date.parse(created.expiresAt) - before;
    assert.ok(expiresIn >= 30 * DAY && expiresIn < 30 * DAY + 60_000, `${expiresIn} ms`);
    const ada = profileIdByName(twin, 'Ada Lovelace');
    assert.equal(created.profileId, ada);
    assert.equal(json(await call(twin, 'get-profile', { token: created.token })).id, ada);
    assert.deepEqual(twin.state.tokens.find((x) => x.id === created.id)!.expiresAt?.toISOString(), created.expiresAt);
  });

  it('reads expirations like Duration.parse("PT" + s): hours, minutes, integers as milliseconds, negatives', async (t) => {
    const twin = await twinFor(t);
    const expiry = async (expiration: unknown): Promise<number> => {
      const start = Date.now();
      const created = json(await call(twin, 'create-access-token', { body: { name: 'x', expiration } }));
      return Date.parse(created.expiresAt) - start;
    };
    assert.ok(Math.abs((await expiry('90m')) - 90 * 60_000) < 60_000);
    assert.ok(Math.abs((await expiry(5000)) - 5000) < 60_000);
    assert.ok(Math.abs((await expiry('1h30M')) - 90 * 60_000) < 60_000);
    const expired = json(await call(twin, 'create-access-token', { body: { name: 'expired', expiration: '-130h' } }));
    assert.ok(Date.parse(expired.expiresAt) < Date.now());
    assert.equal(json(await call(twin, 'get-profile', { token: expired.token })).id, ANONYMOUS_PROFILE_ID);
    assert.ok(!('expiresAt' in json(await call(twin, 'create-access-token', { body: { name: 'never' } }))));
  });

  it('answers 500 unexpected for a day count ("30d" is not a Duration)', async (t) => {
    const twin = await twinFor(t);
    const count = twin.state.tokens.length;
    const answer = await call(twin, 'create-access-token', { body: { name: 'bad', expiration: '30d' } });
    assert.equal(answer.status, 500);
    assert.deepEqual(json(answer), { type: 'server-error', code: 'unexpected', hint: 'Text cannot be parsed to a Duration' });
    assert.equal(twin.state.tokens.length, count);
  });

  it('takes names of 1 to 250 characters', async (t) => {
    const twin = await twinFor(t);
    assert.equal((await call(twin, 'create-access-token', { body: { name: 'n'.repeat(250) } })).status, 200);
    for (const name of ['', 'n'.repeat(251)]) {
      const answer = await call(twin, 'create-access-token', { body: { name } });
      assert.equal(answer.status, 400);
      assert.match(json(answer).explain, /:name \["should be between 1 and 250 characters"\]/);
    }
    assert.match(json(await call(twin, 'create-access-token', { body: {} })).explain, /:name \["missing required key"\]/);
  });

  it('replaces the profile\'s MCP key when a new one is created', async (t) => {
    const twin = await twinFor(t);
    const old = twin.state.tokens.find((x) => x.type === 'mcp')!;
    const created = json(await call(twin, 'create-access-token', { body: { name: 'MCP', type: 'mcp' } }));
    const mcp = twin.state.tokens.filter((x) => x.type === 'mcp');
    assert.deepEqual(mcp.map((x) => x.id), [created.id]);
    assert.notEqual(created.id, old.id);
  });

  it('deletes with 204, silently for unknown and foreign ids, and a deleted token stops working (§3.12)', async (t) => {
    const twin = await twinFor(t);
    const gracesToken = twin.state.tokens.find((x) => x.name === 'Grace laptop')!;
    for (const id of ['11111111-2222-3333-4444-555555555555', gracesToken.id]) {
      const answer = await call(twin, 'delete-access-token', { body: { id } });
      assert.equal(answer.status, 204);
      assert.equal(answer.text, '');
    }
    assert.ok(twin.state.tokens.includes(gracesToken));
    const demo = twin.state.tokens.find((x) => x.value === twin.demoToken)!;
    assert.equal((await call(twin, 'delete-access-token', { body: { id: demo.id } })).status, 204);
    assert.equal((await call(twin, 'get-teams')).status, 401);
    assert.equal(json(await call(twin, 'get-profile')).id, ANONYMOUS_PROFILE_ID);
  });

  it('honours a token expiring while the twin runs', async (t) => {
    const seed = smallSeed();
    seed.tokens![0].expiresAt = new Date(Date.now() + 400).toISOString();
    const twin = await twinFor(t, { seed });
    assert.equal((await call(twin, 'get-teams')).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal((await call(twin, 'get-teams')).status, 401);
  });
});

describe('parseJavaDuration', () => {
  it('parses what java.time.Duration.parse accepts for the time part', () => {
    assert.equal(parseJavaDuration('PT720h'), 720 * HOUR);
    assert.equal(parseJavaDuration('PT1H30M'), 90 * 60_000);
    assert.equal(parseJavaDuration('PT-130H'), -130 * HOUR);
    assert.equal(parseJavaDuration('PT3600S'), HOUR);
    assert.equal(parseJavaDuration('PT1.5S'), 1500);
    assert.equal(parseJavaDuration('pt2m'), 120_000);
  });

  it('refuses what Java refuses', () => {
    for (const text of ['PT30d', 'PT', 'PT1H1H', 'PTh', 'PT1.5H']) assert.equal(parseJavaDuration(text), undefined, text);
  });
});
