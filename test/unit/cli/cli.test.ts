// The bundled CLI (dist/cli.js, built here with `node esbuild.js`) run as a child process against the Penpot twin.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PenpotClient } from '../../../src/penpot/client';
import { startTwin } from '../../../src/twin';
import type { RunningTwin } from '../../../src/twin/types';
import { closedPort, startHttpServer, type TestServer } from '../penpot/http-servers';
import { runCli } from './runCli';

const root = resolve(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');
const version: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

const ADA = '04b37cc6-6077-46b4-9913-e221fee79994';
const DESIGN_SYSTEM = '03b78a74-7743-4313-8c92-096b40a7cc8e';
const GRACES_MARKETING_HOOK = 'a86a20db-c91d-4366-a084-3de6fa48faa2';


const run = runCli;

before(() => {
  const started = Date.now();
  const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  // esbuild.js builds every entry; only the CLI bundle matters here, so judge by its file.
  assert.ok(existsSync(cli) && statSync(cli).mtimeMs >= started - 1000, `dist/cli.js was not built:\n${build.stderr}`);
});

describe('CLI usage', () => {
  it('prints the version', async () => {
    const result = await run(['--version']);
    assert.equal(result.code, 0);
    assert.equal(result.stdout.trim(), version);
  });

  it('prints help listing every command', async () => {
    const result = await run(['help']);
    assert.equal(result.code, 0);
    for (const name of ['whoami', 'teams', 'webhooks list', 'webhooks create', 'webhooks update', 'webhooks delete', 'tokens list', 'tokens create', 'tokens delete', 'twin']) {
      assert.match(result.stdout, new RegExp(`^  ${name} `, 'm'), name);
    }
    const commandHelp = await run(['webhooks', 'create', '--help']);
    assert.equal(commandHelp.code, 0);
    assert.match(commandHelp.stdout, /^Usage: penpot-integrations webhooks create --team ID --uri URL/);
  });

  it('refuses --token without echoing it', async () => {
    for (const args of [['--token', 'tok-SECRET-value', 'whoami'], ['whoami', '--token=tok-SECRET-value']]) {
      const result = await run(args, { PENPOT_URL: 'http://127.0.0.1:1' });
      assert.equal(result.code, 2);
      assert.match(result.stderr, /PENPOT_TOKEN environment variable only/);
      assert.doesNotMatch(result.stderr + result.stdout, /tok-SECRET-value/);
    }
  });

  it('exits 2 with the usage text for bad arguments', async () => {
    const cases: [string[], RegExp][] = [
      [[], /No command given/],
      [['frobnicate'], /Unknown command "frobnicate"/],
      [['webhooks'], /needs one of: webhooks list, webhooks create/],
      [['webhooks', 'list'], /--team is required[\s\S]*Usage: penpot-integrations webhooks list --team ID/],
      [['webhooks', 'list', '--team', 'x', '--colour'], /Unknown option '--colour'/],
      [['webhooks', 'delete'], /Missing ID/],
      [['webhooks', 'update', 'id1'], /Nothing to change/],
      [['webhooks', 'update', 'id1', '--active', '--inactive'], /not both/],
      [['webhooks', 'create', '--team', 't', '--uri', 'ftp://x'], /--uri must be an http/],
      [['webhooks', 'create', '--team', 't', '--uri', 'https://x.example', '--format', 'xml'], /--format must be one of json, transit/],
      [['tokens', 'create', '--name', 'n', '--expires', '45'], /--expires must be one of never, 30, 60, 90, 180/],
      [['twin', '--port', 'eighty'], /--port must be a number/],
    ];
    for (const [args, message] of cases) {
      const result = await run(args, { PENPOT_TOKEN: 'tok', PENPOT_URL: 'http://127.0.0.1:1' });
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(' '));
      assert.match(result.stderr, /Usage: penpot-integrations/);
      assert.equal(result.stdout, '');
    }
  });

  it('exits 2 without PENPOT_TOKEN and for a malformed --url', async () => {
    const noToken = await run(['whoami'], { PENPOT_URL: 'http://127.0.0.1:1' });
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /Set PENPOT_TOKEN/);
    const badUrl = await run(['whoami', '--url', 'not a url'], { PENPOT_TOKEN: 'tok' });
    assert.equal(badUrl.code, 2);
    assert.match(badUrl.stderr, /not a valid URL/);
  });

  it('exits 1 with one line when the server cannot be reached', async () => {
    const port = await closedPort();
    const result = await run(['teams'], { PENPOT_TOKEN: 'tok', PENPOT_URL: `http://127.0.0.1:${port}` });
    assert.equal(result.code, 1);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.match(result.stderr, /^error: Connection refused by 127\.0\.0\.1/);
  });
});

describe('CLI human output from a hostile server (issue 14 row 7)', () => {
  it('whoami and teams print control characters in names as visible escapes, never raw', async () => {
    const OSC52 = '\x1b]52;c;ZXZpbA==\x07'; // would write the clipboard
    const LINK = '\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\'; // a fake hyperlink
    const server = await startHttpServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.path.endsWith('get-profile')) {
        res.end(JSON.stringify({ id: '11111111-0000-4000-8000-000000000001', fullname: `Ada${OSC52}\r\u202eevil`, email: 'a@b.c' }));
      } else {
        res.end(JSON.stringify([{ id: '22222222-0000-4000-8000-000000000002', name: `Team${LINK}\nsecond line`, isDefault: true, permissions: { isOwner: true } }]));
      }
    });
    try {
      const env = { PENPOT_URL: server.url, PENPOT_TOKEN: 'tok-0123456789abcdef' };
      const whoami = await run(['whoami'], env);
      assert.equal(whoami.code, 0, whoami.stderr);
      const teams = await run(['teams'], env);
      assert.equal(teams.code, 0, teams.stderr);
      for (const output of [whoami.stdout, teams.stdout]) {
         
        assert.doesNotMatch(output.replace(/\n/g, ''), /[\u0000-\u001f\u007f-\u009f\u202e]/);
      }
      assert.match(whoami.stdout, /^Ada\\x1b\]52;c;ZXZpbA==\\x07\\r\\u202eevil <a@b\.c>$/m);
      assert.match(teams.stdout, /Team\\x1b\]8;;https:\/\/evil\.example\\x1b\\click/);
      assert.match(teams.stdout, /\\nsecond line/);
      assert.equal(teams.stdout.trimEnd().split('\n').length, 2, 'a header and one row: the newline did not split the row');
    } finally {
      await server.close();
    }
  });
});

describe('CLI against the twin', () => {
  let twin: RunningTwin;
  let receiver: TestServer;
  let env: Record<string, string>;

  before(async () => {
    twin = await startTwin({ port: 0 });
    receiver = await startHttpServer((_req, res) => res.writeHead(204).end());
    env = { PENPOT_URL: twin.url, PENPOT_TOKEN: twin.demoToken };
  });

  after(async () => {
    await twin.close();
    await receiver.close();
  });

  it('whoami prints the profile', async () => {
    const result = await run(['whoami'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Ada Lovelace <ada@example\.com>\nid: +04b37cc6/);
    const json = await run(['whoami', '--json'], env);
    assert.equal(JSON.parse(json.stdout).id, ADA);
  });

  it('webhooks list --json prints the seeded webhooks with uri as a string', async () => {
    const result = await run(['webhooks', 'list', '--team', DESIGN_SYSTEM, '--json'], env);
    assert.equal(result.code, 0, result.stderr);
    const listed = JSON.parse(result.stdout) as { id: string; uri: unknown; teamId: string; isActive: boolean }[];
    const seeded = twin.state.webhooks.filter((w) => w.teamId === DESIGN_SYSTEM);
    assert.equal(listed.length, seeded.length);
    for (const hook of seeded) {
      const found = listed.find((l) => l.id === hook.id);
      assert.ok(found, hook.id);
      assert.equal(found.uri, hook.uri);
      assert.equal(found.teamId, DESIGN_SYSTEM);
      assert.equal(found.isActive, hook.isActive === true);
    }
  });

  it('webhooks list prints an aligned table', async () => {
    const result = await run(['webhooks', 'list', '--team', DESIGN_SYSTEM], env);
    assert.equal(result.code, 0, result.stderr);
    const [header, ...rows] = result.stdout.trimEnd().split('\n');
    assert.match(header, /^ID +URI +FORMAT +ACTIVE +LAST DELIVERY$/);
    assert.equal(rows.length, 4);
    const uriColumn = header.indexOf('URI');
    const formatColumn = header.indexOf('FORMAT');
    for (const row of rows) {
      assert.equal(row.indexOf('https://'), uriColumn, row);
      assert.match(row.slice(formatColumn), /^(json|transit) +(yes|no) +/);
    }
    assert.ok(rows.some((row) => /connection-error \(3 errors\)$/.test(row)));
  });

  it('teams prints roles', async () => {
    const result = await run(['teams'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^ID +NAME +ROLE +DEFAULT$/m);
    assert.match(result.stdout, /Marketing +viewer/);
    assert.match(result.stdout, /Your Penpot +owner +yes/);
  });

  it('creates, updates (merging current values, searching the teams) and deletes a webhook', async () => {
    const uri = `${receiver.url}/cli-hook`;
    const created = await run(['webhooks', 'create', '--team', DESIGN_SYSTEM, '--uri', uri, '--format', 'transit', '--inactive', '--json'], env);
    assert.equal(created.code, 0, created.stderr);
    const hook = JSON.parse(created.stdout);
    assert.deepEqual([hook.uri, hook.mtype, hook.isActive], [uri, 'application/transit+json', false]);

    const updated = await run(['webhooks', 'update', hook.id, '--active', '--json'], env);
    assert.equal(updated.code, 0, updated.stderr);
    const after = JSON.parse(updated.stdout);
    assert.deepEqual([after.uri, after.mtype, after.isActive], [uri, 'application/transit+json', true]);

    const text = await run(['webhooks', 'update', hook.id, '--format', 'json', '--team', DESIGN_SYSTEM], env);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`^Updated webhook ${hook.id}\\.`));
    assert.equal(twin.state.webhooks.find((w) => w.id === hook.id)!.mtype, 'application/json');

    const deleted = await run(['webhooks', 'delete', hook.id], env);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.stdout.trim(), `Deleted webhook ${hook.id}.`);
    assert.ok(!twin.state.webhooks.some((w) => w.id === hook.id));
  });

  it('exits 1 for a webhook the user may not change', async () => {
    const result = await run(['webhooks', 'delete', GRACES_MARKETING_HOOK], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error: The webhook was not found, or you don't have permission/);
    const missing = await run(['webhooks', 'update', '00000000-0000-4000-8000-000000000001', '--inactive'], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /not found in any of your teams/);
  });

  it('manages tokens and prints a new token once', async () => {
    const list = await run(['tokens', 'list'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^ID +NAME +EXPIRES +CREATED$/m);
    assert.match(list.stdout, /Old laptop +\d{4}-\d{2}-\d{2} \(expired\)/);
    assert.match(list.stdout, /Design tokens sync +never/);
    assert.doesNotMatch(list.stdout, /MCP/);
    assert.ok(!list.stdout.includes(twin.demoToken));

    const created = await run(['tokens', 'create', '--name', 'cli test', '--expires', '90'], env);
    assert.equal(created.code, 0, created.stderr);
    const [summary, token] = created.stdout.trimEnd().split('\n');
    assert.match(summary, /^Created access token "cli test" \(([0-9a-f-]+)\); it expires on \d{4}-\d{2}-\d{2}\.$/);
    assert.match(created.stderr, /Penpot never shows it again/);
    const id = /\(([0-9a-f-]+)\)/.exec(summary)![1];
    const fresh = new PenpotClient({ baseUrl: twin.url, token });
    try {
      assert.equal((await fresh.getProfile()).id, ADA);
    } finally {
      await fresh.close();
    }
    const deleted = await run(['tokens', 'delete', id, '--json'], env);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.deepEqual(JSON.parse(deleted.stdout), { deleted: id });
  });

  it('exits 1 with one line for a token Penpot does not accept', async () => {
    const result = await run(['whoami'], { PENPOT_URL: twin.url, PENPOT_TOKEN: 'wrong-token' });
    assert.equal(result.code, 1);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.match(result.stderr, /^error: Penpot did not accept the access token/);
    assert.doesNotMatch(result.stderr, /wrong-token/);
  });
});

describe('CLI twin command', () => {
  it('prints the URL and demo token, serves, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [cli, 'twin', '--port', '0', '--json'], {
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    });
    let stdout = '';
    const exited = new Promise<number | null>((resolvePromise) => child.on('close', resolvePromise));
    const started = await new Promise<{ url: string; demoToken: string }>((resolvePromise, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        try {
          resolvePromise(JSON.parse(stdout));
        } catch {
          // not the whole document yet
        }
      });
      child.on('close', () => reject(new Error(`twin exited early: ${stdout}`)));
    });
    const client = new PenpotClient({ baseUrl: started.url, token: started.demoToken });
    try {
      assert.equal((await client.getProfile()).id, ADA);
    } finally {
      await client.close();
    }
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});
