// The twin's HTTP layer over real HTTP: routes, methods, body formats, response negotiation, errors, auth (§1, §2).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ANONYMOUS_PROFILE_ID } from '../../../src/penpot/types';
import { decodeTransit, encodeTransit, uuid } from '../../../src/transit';
import type { RunningTwin } from '../../../src/twin/types';
import { startTwin } from '../../../src/twin';
import { call, json, profileIdByName, smallSeed, teamIdByName, twinFor } from './helpers';

describe('twin RPC layer (demo seed)', () => {
  let twin: RunningTwin;
  let ada: string;
  let designSystem: string;

  before(async () => {
    twin = await startTwin({ port: 0 });
    ada = profileIdByName(twin, 'Ada Lovelace');
    designSystem = teamIdByName(twin, 'Design System');
  });
  after(() => twin.close());

  describe('response negotiation (§1.4)', () => {
    it('answers Transit without an Accept header, for */* and when both types are listed', async () => {
      for (const accept of [null, '*/*', 'application/json, application/transit+json', 'text/html']) {
        const answer = await call(twin, 'get-profile', { accept });
        assert.equal(answer.contentType, 'application/transit+json', `Accept: ${accept}`);
        assert.match(answer.text, /^\["\^ ","~:id","~u/);
      }
    });

    it('answers JSON when asked, or with _fmt=json whatever Accept says', async () => {
      assert.equal((await call(twin, 'get-profile', { accept: 'application/json; q=1' })).contentType, 'application/json');
      const viaQuery = await call(twin, 'get-profile', { accept: 'application/transit+json', query: '_fmt=json' });
      assert.equal(viaQuery.contentType, 'application/json');
      assert.equal(json(viaQuery).id, ada);
    });

    it('writes verbose Transit when the raw query string mentions transit_verbose', async () => {
      const answer = await call(twin, 'get-profile', { accept: null, query: 'transit_verbose' });
      const body = JSON.parse(answer.text);
      assert.equal(body['~:id'], `~u${ada}`);
      assert.equal(body['~:fullname'], 'Ada Lovelace');
    });

    it('writes JSON with camelCase keys, kebab keyword values and escaped slashes', async () => {
      const answer = await call(twin, 'get-teams');
      const teams = json(answer);
      const ds = teams.find((t: { id: string }) => t.id === designSystem);
      assert.deepEqual(ds.permissions, { type: 'membership', isOwner: true, isAdmin: true, canEdit: true });
      assert.equal(ds.isDefault, false);
      assert.ok(ds.features.includes('components/v2'));
      assert.ok(answer.text.includes('"components\\/v2"'), 'the slash is written \\/');
      assert.ok(!answer.text.includes('is-owner'));
    });

    it('writes Transit that decodes to kebab keyword keys, UUIDs and sets', async () => {
      const answer = await call(twin, 'get-teams', { accept: 'application/transit+json' });
      const teams = decodeTransit(answer.text) as any[];
      const ds = teams.find((t) => t.id.value === designSystem);
      assert.deepEqual(ds.id, uuid(designSystem));
      assert.equal(ds.features['~type'], 'set');
      assert.deepEqual(ds.permissions.type, { '~type': 'keyword', name: 'membership' });
      assert.equal(ds.permissions['can-edit'], true);
    });
  });

  describe('request parsing (§1.3)', () => {
    it('reads JSON keys in camelCase, snake_case and kebab-case', async () => {
      for (const key of ['teamId', 'team_id', 'team-id']) {
        const answer = await call(twin, 'get-webhooks', { body: { [key]: designSystem } });
        assert.equal(answer.status, 200, key);
        assert.equal(json(answer).length, 4);
      }
    });

    it('ignores string keys (those with "/") in a JSON body', async () => {
      const answer = await call(twin, 'get-webhooks', { body: { teamId: designSystem, 'x/y': 1 } });
      assert.equal(answer.status, 200);
    });

    it('reads a Transit body', async () => {
      const answer = await call(twin, 'get-webhooks', {
        rawBody: encodeTransit({ 'team-id': uuid(designSystem) }),
        contentType: 'application/transit+json',
      });
      assert.equal(answer.status, 200);
      assert.equal(json(answer).length, 4);
    });

    it('takes GET query keys as written: kebab works, camelCase is a missing param', async () => {
      const kebab = await call(twin, 'get-webhooks', { method: 'GET', query: `team-id=${designSystem}` });
      assert.equal(kebab.status, 200);
      const camel = await call(twin, 'get-webhooks', { method: 'GET', query: `teamId=${designSystem}` });
      assert.equal(camel.status, 400);
      const body = json(camel);
      assert.equal(body.type, 'validation');
      assert.equal(body.code, 'params-validation');
      assert.match(body.explain, /:team-id \["missing required key"\]/);
      assert.match(body.explain, /Value:/);
    });

    it('answers an empty JSON body with 400 malformed-json in verbose Transit, whatever Accept says', async () => {
      const answer = await call(twin, 'get-profile', { rawBody: '' });
      assert.equal(answer.status, 400);
      assert.equal(answer.contentType, 'application/transit+json');
      assert.deepEqual(JSON.parse(answer.text), {
        '~:type': '~:validation', '~:code': '~:malformed-json', '~:hint': 'JSON error (end-of-file)',
      });
    });

    it('answers other malformed JSON with 500 unexpected', async () => {
      const answer = await call(twin, 'get-profile', { rawBody: '{"a":' });
      assert.equal(answer.status, 500);
      assert.equal(json(answer).type, 'server-error');
      assert.equal(json(answer).code, 'unexpected');
    });

    it('rejects a param of the wrong type with every problem in one explain', async () => {
      const answer = await call(twin, 'create-webhook', { body: { teamId: 'not-a-uuid', mtype: 'text/plain' } });
      assert.equal(answer.status, 400);
      const { explain } = json(answer);
      assert.match(explain, /:team-id \["should be a uuid"\]/);
      assert.match(explain, /:uri \["missing required key"\]/);
      assert.match(explain, /:mtype \["should be either application\/json or application\/transit\+json"\]/);
    });
  });

  describe('get-team (§3.2)', () => {
    it('answers a member with the team, and others with 404 team-does-not-exist', async () => {
      const team = json(await call(twin, 'get-team', { body: { id: designSystem } }));
      assert.equal(team.name, 'Design System');
      assert.equal(team.permissions.isOwner, true);
      const graceHome = twin.state.profiles.find((p) => p.fullname === 'Grace Hopper')!.defaultTeamId!;
      const answer = await call(twin, 'get-team', { body: { id: graceHome } });
      assert.equal(answer.status, 404);
      assert.deepEqual(json(answer), { type: 'not-found', code: 'team-does-not-exist', hint: 'team does not exist' });
    });
  });

  describe('routes and methods (§1.1, §1.2)', () => {
    it('answers GET and HEAD for get-* commands', async () => {
      const get = await call(twin, 'get-profile', { method: 'GET' });
      assert.equal(json(get).id, ada);
      const head = await call(twin, 'get-profile', { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(head.text, '');
    });

    it('answers 405 method-not-allowed for GET of other commands and for PUT', async () => {
      for (const [name, method] of [['create-webhook', 'GET'], ['delete-access-token', 'HEAD'], ['get-profile', 'PUT']] as const) {
        const answer = await call(twin, name, { method, accept: 'application/json' });
        assert.equal(answer.status, 405, `${method} ${name}`);
        if (method !== 'HEAD') {
          assert.deepEqual(json(answer), { type: 'restriction', code: 'method-not-allowed', hint: 'method not allowed for this request' });
        }
      }
    });

    it('answers 404 {"type":"not-found"} for an unknown command', async () => {
      const answer = await call(twin, 'get-everything');
      assert.equal(answer.status, 404);
      assert.equal(answer.text, '{"type":"not-found"}');
    });

    it('serves the legacy path too', async () => {
      const answer = await call(twin, 'get-profile', { path: 'legacy' });
      assert.equal(json(answer).id, ada);
    });

    it('answers anything else with a plain 404', async () => {
      const res = await fetch(`${twin.url}/api/main/doc`);
      assert.equal(res.status, 404);
      assert.equal(await res.text(), 'Not found');
    });
  });

  describe('authentication (§1.7)', () => {
    const unauthenticated401 = '{"type":"authentication","code":"authentication-required","hint":"authentication required for this endpoint"}';

    it('accepts the Token prefix in any case', async () => {
      const answer = await call(twin, 'get-profile', { token: null, headers: { authorization: `tOkEn ${twin.demoToken}` } });
      assert.equal(json(answer).id, ada);
    });

    for (const [label, options] of [
      ['no token', { token: null }],
      ['an unknown token', { token: 'eyJhbGciOiJBMjU2S1ciLCJlbmMiOiJBMjU2R0NNIn0.a.b.c.d' }],
      ['a Bearer header (a session token)', { token: null, headersFor: (t: string) => ({ authorization: `Bearer ${t}` }) }],
      ['an auth-token cookie, which wins over the header', { headersFor: () => ({ cookie: 'theme=dark; auth-token=abc' }) }],
    ] as const) {
      it(`gives the anonymous profile and 401 elsewhere for ${label}`, async () => {
        const headers = 'headersFor' in options ? options.headersFor(twin.demoToken) : undefined;
        const token = 'token' in options ? options.token : undefined;
        const profile = await call(twin, 'get-profile', { token, headers });
        assert.equal(profile.status, 200);
        assert.deepEqual(json(profile), { id: ANONYMOUS_PROFILE_ID, fullname: 'Anonymous User' });
        const teams = await call(twin, 'get-teams', { token, headers });
        assert.equal(teams.status, 401);
        assert.equal(teams.text, unauthenticated401);
      });
    }

    it('treats an expired token as no token', async () => {
      const expired = twin.state.tokens.find((t) => t.name === 'Old laptop')!;
      assert.equal(json(await call(twin, 'get-profile', { token: expired.value })).id, ANONYMOUS_PROFILE_ID);
      assert.equal((await call(twin, 'get-teams', { token: expired.value })).status, 401);
    });

    it('answers 401 in Transit when Transit was negotiated', async () => {
      const answer = await call(twin, 'get-teams', { token: null, accept: null });
      assert.equal(answer.status, 401);
      assert.deepEqual(decodeTransit(answer.text), {
        type: { '~type': 'keyword', name: 'authentication' },
        code: { '~type': 'keyword', name: 'authentication-required' },
        hint: 'authentication required for this endpoint',
      });
    });
  });
});

describe('twin options and seed flags', () => {
  it('ignores the Token header when access tokens are disabled (§0.1)', async (t) => {
    const twin = await twinFor(t, { seed: smallSeed({ accessTokensDisabled: true }) });
    assert.equal(json(await call(twin, 'get-profile')).id, ANONYMOUS_PROFILE_ID);
    assert.equal((await call(twin, 'get-teams')).status, 401);
  });

  it('only serves /api/rpc/command when emulating Penpot before 2.12', async (t) => {
    const twin = await twinFor(t, { legacyPathOnly: true });
    assert.equal((await call(twin, 'get-profile')).status, 404);
    assert.equal((await call(twin, 'get-profile', { path: 'legacy' })).status, 200);
  });

  it('listens on the port asked for', async (t) => {
    const probe = await startTwin({ port: 0 });
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const twin = await twinFor(t, { port });
    assert.equal(twin.url, `http://127.0.0.1:${port}`);
  });
});
