// `webhooks export|plan|apply` (webhooks as code): the bundled CLI as a child process against the Penpot twin, with
// a local endpoint answering Penpot's HEAD check. Export → edit → plan → apply → plan in sync, and every refusal.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateTokenValue, startTwin } from '../../../src/twin';
import type { RunningTwin, SeedWebhook, TwinSeed } from '../../../src/twin/types';
import { closedPort, startHttpServer, type TestServer } from '../penpot/http-servers';
import { runCli } from './runCli';

const root = resolve(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');


const run = runCli;

const ids = {
  me: randomUUID(), other: randomUUID(), token: randomUUID(),
  design: randomUUID(), ops: randomUUID(), twinA: randomUUID(), twinB: randomUUID(), viewed: randomUUID(), full: randomUUID(),
};

function seed(hookBase: string): TwinSeed {
  const hook = (teamId: string, path: string, extra: Partial<SeedWebhook> = {}): SeedWebhook =>
    ({ teamId, uri: `${hookBase}${path}`, mtype: 'application/json', isActive: true, profileId: ids.me, ...extra });
  return {
    profiles: [
      { id: ids.me, fullname: 'Me', email: 'me@example.com', defaultTeamId: ids.design },
      { id: ids.other, fullname: 'Other', email: 'other@example.com' },
    ],
    teams: [
      { id: ids.design, name: 'Design System' }, { id: ids.ops, name: 'Ops' },
      { id: ids.twinA, name: 'Twins' }, { id: ids.twinB, name: 'Twins' },
      { id: ids.viewed, name: 'Viewed' }, { id: ids.full, name: 'Full' },
    ],
    memberships: [
      ...[ids.design, ids.ops, ids.twinA, ids.twinB, ids.full].map((teamId) => ({ teamId, profileId: ids.me, role: 'owner' as const })),
      { teamId: ids.viewed, profileId: ids.me, role: 'viewer' },
      { teamId: ids.viewed, profileId: ids.other, role: 'owner' },
    ],
    webhooks: [
      hook(ids.design, '/ci'),
      hook(ids.design, '/old', { mtype: 'application/transit+json', isActive: false }),
      hook(ids.design, '/disabled', { isActive: false, errorCode: 'connection-error', errorCount: 3 }),
      hook(ids.ops, '/ops'),
      hook(ids.viewed, '/theirs', { profileId: ids.other }),
      ...Array.from({ length: 7 }, (_, i) => hook(ids.full, `/full-${i}`)),
    ],
    tokens: [{ id: ids.token, profileId: ids.me, name: 'test', value: generateTokenValue() }],
    ssrfAllowedHosts: ['127.0.0.1'],
    demoToken: ids.token,
  };
}

before(() => {
  const started = Date.now();
  const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  assert.ok(existsSync(cli) && statSync(cli).mtimeMs >= started - 1000, `dist/cli.js was not built:\n${build.stderr}`);
});

describe('webhooks export, plan, apply against the twin', () => {
  let twin: RunningTwin;
  let target: TestServer;
  let env: Record<string, string>;
  let dir: string;
  let noPenpot: Record<string, string>;

  before(async () => {
    // Answers Penpot's HEAD check with 204, except under /refuse (404: Penpot refuses the URL).
    target = await startHttpServer((req, res) => res.writeHead(req.path.startsWith('/refuse') ? 404 : 204).end());
    twin = await startTwin({ port: 0, seed: seed(target.url) });
    env = { PENPOT_URL: twin.url, PENPOT_TOKEN: twin.demoToken };
    noPenpot = { PENPOT_URL: `http://127.0.0.1:${await closedPort()}`, PENPOT_TOKEN: 'unused' };
    dir = mkdtempSync(join(tmpdir(), 'webhooks-file-'));
  });

  after(async () => {
    await twin.close();
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const hooksOf = (teamId: string) =>
    twin.state.webhooks.filter((w) => w.teamId === teamId).map((w) => ({ uri: w.uri.slice(target.url.length), mtype: w.mtype, isActive: w.isActive })).sort((a, b) => (a.uri < b.uri ? -1 : 1));
  const snapshot = () => JSON.stringify(twin.state.webhooks);
  const write = (name: string, document: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, typeof document === 'string' ? document : JSON.stringify(document, null, 2));
    return file;
  };

  it('export → edit → plan → apply → plan in sync → re-export unchanged', async () => {
    const file = join(dir, 'penpot-webhooks.json');
    const exported = await run(['webhooks', 'export', '--team', 'Design System', '--file', file], env);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(exported.stdout.trim(), `Wrote 3 webhooks of 1 team to ${file}.`);
    const text = readFileSync(file, 'utf8');
    const document = JSON.parse(text);
    assert.deepEqual(document, { teams: [{ team: 'Design System', id: ids.design, webhooks: [
      { uri: `${target.url}/ci`, format: 'json', active: true },
      { uri: `${target.url}/disabled`, format: 'json', active: false },
      { uri: `${target.url}/old`, format: 'transit', active: false },
    ] }] });
    const again = await run(['webhooks', 'export', '--team', ids.design, '--file', file], env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(readFileSync(file, 'utf8'), text, 'a re-export of an unchanged state diffs to nothing');

    // Edit: re-enable the disabled one, switch /ci to transit, drop /old, add /new.
    const hooks = document.teams[0].webhooks;
    hooks[0].format = 'transit';
    hooks[1].active = true;
    hooks.splice(2, 1);
    hooks.push({ uri: `${target.url}/new`, format: 'json', active: true });
    writeFileSync(file, JSON.stringify(document, null, 2));

    const plan = await run(['webhooks', 'plan', '--file', file, '--detailed-exitcode'], env);
    assert.equal(plan.code, 2, plan.stderr);
    assert.match(plan.stdout, /^Changes to make Penpot match .*penpot-webhooks\.json: 1 to create, 2 to update, 0 to delete\.$/m);
    assert.match(plan.stdout, new RegExp(`^Design System:\\n~ update ${target.url}/ci \\(format: json → transit\\)\\n~ update ${target.url}/disabled \\(active: false → true\\)\\n\\+ create ${target.url}/new \\(format json, active true\\)$`, 'm'));
    assert.match(plan.stdout, new RegExp(`Not in the file, kept \\(--prune deletes it\\):\\n  Design System: ${target.url}/old`));

    const planJson = await run(['webhooks', 'plan', '--file', file, '--prune', '--json'], env);
    assert.equal(planJson.code, 0, planJson.stderr);
    const parsed = JSON.parse(planJson.stdout);
    assert.deepEqual(parsed.summary, { create: 1, update: 2, delete: 1 });
    assert.deepEqual(parsed.changes, [
      { action: 'delete', team: { id: ids.design, name: 'Design System' }, uri: `${target.url}/old`, from: { format: 'transit', active: false } },
      { action: 'update', team: { id: ids.design, name: 'Design System' }, uri: `${target.url}/ci`, from: { format: 'json' }, to: { format: 'transit' } },
      { action: 'update', team: { id: ids.design, name: 'Design System' }, uri: `${target.url}/disabled`, from: { active: false }, to: { active: true } },
      { action: 'create', team: { id: ids.design, name: 'Design System' }, uri: `${target.url}/new`, to: { format: 'json', active: true } },
    ]);
    assert.equal(parsed.inSync, false);

    const applied = await run(['webhooks', 'apply', '--file', file, '--prune', '--yes'], env);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /Applied 4 changes \(1 to create, 2 to update, 1 to delete\)\./);
    assert.match(applied.stderr, /\[1\/4\] delete Design System/);
    assert.deepEqual(hooksOf(ids.design), [
      { uri: '/ci', mtype: 'application/transit+json', isActive: true },
      { uri: '/disabled', mtype: 'application/json', isActive: true },
      { uri: '/new', mtype: 'application/json', isActive: true },
    ]);
    assert.equal(twin.state.webhooks.find((w) => w.uri.endsWith('/disabled'))!.errorCount, 0, 'the update cleared the errors');

    const inSync = await run(['webhooks', 'plan', '--file', file, '--prune', '--detailed-exitcode'], env);
    assert.equal(inSync.code, 0, inSync.stderr + inSync.stdout);
    assert.equal(inSync.stdout.trim(), `No changes: Penpot matches ${file}.`);

    const reexport = await run(['webhooks', 'export', '--team', 'Design System', '--file', '-'], env);
    assert.equal(reexport.code, 0, reexport.stderr);
    assert.deepEqual(JSON.parse(reexport.stdout), JSON.parse(readFileSync(file, 'utf8')));
  });

  it('exports every team in a stable order and keeps an existing $schema', async () => {
    const file = write('all.penpot-webhooks.json', { $schema: './schemas/penpot-webhooks.schema.json', teams: [] });
    const result = await run(['webhooks', 'export', '--file', file, '--json'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).teams, 6);
    const document = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(document.$schema, './schemas/penpot-webhooks.schema.json');
    assert.deepEqual(document.teams.map((t: { team: string; id: string }) => t.team), ['Design System', 'Full', 'Ops', 'Twins', 'Twins', 'Viewed']);
    const twinsIds = document.teams.filter((t: { team: string }) => t.team === 'Twins').map((t: { id: string }) => t.id);
    assert.deepEqual(twinsIds, [ids.twinA, ids.twinB].sort());
  });

  it('apply without --yes and without a terminal refuses, naming --yes, and changes nothing', async () => {
    const file = write('noyes.json', { teams: [{ team: 'Ops', webhooks: [] }] });
    const before = snapshot();
    const result = await run(['webhooks', 'apply', '--file', file, '--prune'], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /refusing to apply 1 change without confirmation: there is no terminal.*pass --yes/);
    assert.equal(snapshot(), before);
  });

  it('bad files: one message naming the file and the place, and no call to Penpot', async () => {
    const cases: [string, string, RegExp][] = [
      ['missing.json', '', /missing\.json cannot be used:\n {2}.*missing\.json: cannot read the file: no such file/],
      ['syntax.json', '{\n  "teams": [\n    { "team": "Ops" "webhooks": [] }\n  ]\n}', /syntax\.json:3:21: invalid JSON: Expected "," or "}" after a property, found '"'/],
      ['schema.json', '{ "teams": [ { "team": "Ops", "webhooks": [ { "uri": "https://x.example", "active": "yes" } ] } ] }', /schema\.json:1:85: \/teams\/0\/webhooks\/0\/active: must be true or false, not "yes"/],
      ['token.json', '{ "teams": [], "token": "abc" }', /token\.json:1:25: \/token: unknown property "token".*tokens never belong in this file/],
    ];
    for (const [name, text, message] of cases) {
      const file = text ? write(name, text) : join(dir, name);
      for (const command of ['plan', 'apply']) {
        const result = await run(['webhooks', command, '--file', file, ...(command === 'apply' ? ['--yes'] : [])], noPenpot);
        assert.equal(result.code, 1, `${name} ${command}: ${result.stderr}`);
        assert.match(result.stderr, message, name);
        assert.doesNotMatch(result.stderr, /Connection refused/, 'Penpot was called');
        assert.equal(result.stdout, '');
      }
    }
    const detailed = await run(['webhooks', 'plan', '--file', join(dir, 'syntax.json'), '--detailed-exitcode'], noPenpot);
    assert.equal(detailed.code, 1, 'an error is 1, not 2, with --detailed-exitcode');
  });

  it('refuses unknown and ambiguous teams, the limit of 8, and webhooks the user may not change; all checks before any change', async () => {
    const before = snapshot();
    const file = write('refusals.json', { teams: [
      { team: 'Ops', webhooks: [{ uri: `${target.url}/would-be-created` }] },
      { team: 'Desing System', webhooks: [] },
      { team: 'Twins', webhooks: [] },
      { id: randomUUID(), team: 'Ghost', webhooks: [] },
      { team: 'Full', webhooks: [{ uri: `${target.url}/full-extra-1` }, { uri: `${target.url}/full-extra-2` }] },
      { team: 'Viewed', webhooks: [{ uri: `${target.url}/theirs`, active: false }] },
    ] });
    for (const command of ['plan', 'apply']) {
      const result = await run(['webhooks', command, '--file', file, ...(command === 'apply' ? ['--yes'] : [])], env);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /refusals\.json cannot be applied \(5 problems\); nothing was changed/);
      assert.match(result.stderr, /refusals\.json:\d+:\d+: \/teams\/1: no team named "Desing System" among your teams \("Design System", "Full", "Ops"/);
      assert.match(result.stderr, new RegExp(`/teams/2: the name "Twins" matches 2 of your teams \\(ids ${ids.twinA}, ${ids.twinB}\\); add the "id"`));
      assert.match(result.stderr, /\/teams\/3: no team with id [0-9a-f-]{36} \("Ghost"\) among your teams/);
      assert.match(result.stderr, /\/teams\/4\/webhooks: "Full" would have 9 webhooks \(7 kept \+ 2 new\); Penpot allows at most 8 per team \(--prune would delete/);
      assert.match(result.stderr, /\/teams\/5\/webhooks\/0: you may not change .*\/theirs in "Viewed"/);
    }
    assert.equal(snapshot(), before, 'nothing changed, not even the valid create in Ops');

    const pruned = write('pruned-full.json', { teams: [{ team: 'Full', webhooks: [{ uri: `${target.url}/full-0` }, { uri: `${target.url}/swap` }] }] });
    const swap = await run(['webhooks', 'plan', '--file', pruned, '--prune', '--json'], env);
    assert.equal(swap.code, 0, swap.stderr);
    assert.deepEqual(JSON.parse(swap.stdout).summary, { create: 1, update: 0, delete: 6 }, 'with --prune, a full team can swap webhooks');

    const badTeam = await run(['webhooks', 'export', '--team', 'Twins'], env);
    assert.equal(badTeam.code, 1);
    assert.match(badTeam.stderr, /--team: the name "Twins" matches 2 of your teams/);
  });

  it('reports what was applied and what Penpot refused (its HEAD check), exit 1', async () => {
    const file = write('partial.json', { teams: [{ team: 'Ops', id: ids.ops, webhooks: [
      { uri: `${target.url}/ops` }, { uri: `${target.url}/refuse/me` }, { uri: `${target.url}/accepted`, format: 'transit' },
    ] }] });
    const result = await run(['webhooks', 'apply', '--file', file, '--yes', '--json'], env);
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.applied, 1);
    assert.equal(report.failed, 1);
    const refused = report.outcomes.find((o: { uri: string }) => o.uri.endsWith('/refuse/me'));
    assert.equal(refused.ok, false);
    assert.ok(refused.error.length > 0);
    assert.equal(report.outcomes.find((o: { uri: string }) => o.uri.endsWith('/accepted')).ok, true);
    assert.deepEqual(hooksOf(ids.ops).map((h) => h.uri), ['/accepted', '/ops']);

    const text = await run(['webhooks', 'apply', '--file', file, '--yes'], env);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /^FAILED \+ create Ops: .*\/refuse\/me/m);
    assert.match(text.stdout, /Applied 0 of 1 change; 1 failed/);
  });
});
