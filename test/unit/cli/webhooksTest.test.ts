// `webhooks test ID`: a real create/delete-project round trip through the twin, in process (runCli), over HTTP.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, type TestContext } from 'node:test';
import { runCli } from '../../../src/cli/main';
import { closedPort, startHttpServer } from '../penpot/http-servers';
import { call, json, smallSeed, twinFor } from '../twin/helpers';

async function runIn(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env });
  return { code, stdout, stderr };
}

async function setup(t: TestContext, uri: string, isActive = true) {
  const seed = smallSeed();
  const teamId = seed.teams[0].id;
  const webhookId = randomUUID();
  seed.webhooks = [{ id: webhookId, teamId, uri, mtype: 'application/json', isActive, profileId: seed.profiles[0].id }];
  const twin = await twinFor(t, { seed });
  return { twin, teamId, webhookId, env: { PENPOT_URL: twin.url, PENPOT_TOKEN: twin.demoToken } };
}

async function projectNames(twin: Awaited<ReturnType<typeof twinFor>>, teamId: string): Promise<string[]> {
  return json<{ name: string }[]>(await call(twin, 'get-projects', { body: { teamId } })).map((p) => p.name);
}

describe('webhooks test', () => {
  it('says what it does, delivers create-project and delete-project, leaves nothing behind, exits 0', async (t) => {
    const receiver = await startHttpServer((_req, res) => res.writeHead(204).end());
    t.after(() => receiver.close());
    const { twin, teamId, webhookId, env } = await setup(t, `${receiver.url}/hooks/x`);
    const result = await runIn(['webhooks', 'test', webhookId, '--timeout', '1'], env);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    const lines = result.stdout.trim().split('\n');
    assert.match(lines[0], /^Creating the project "Webhook test by Penpot Integrations \(safe to delete\) \d{4}-.*" in the team "Test Team" and deleting it right away/);
    assert.match(lines[0], /Penpot keeps a deleted project, marked deleted, until its deletion delay has passed \(7 days by default/);
    assert.match(lines[1], /^Created and deleted the project .* in the team "Test Team"\. Penpot keeps a deleted project, marked deleted, until its deletion delay has passed .*, then removes it for good\.$/);
    assert.match(lines[2], /Penpot recorded no delivery error within 1 s\. .*any HTTP status counts as delivered/);
    assert.deepEqual(await projectNames(twin, teamId), ['Drafts']);
    assert.deepEqual(receiver.requests.map((r) => JSON.parse(r.body).name), ['create-project', 'delete-project']);
    assert.ok(!(result.stdout + result.stderr).includes(twin.demoToken), 'the token never appears');
  });

  it("reports Penpot's error code and exits 1 when the delivery fails (--json keeps stdout one document)", async (t) => {
    const port = await closedPort();
    const { twin, teamId, webhookId, env } = await setup(t, `http://127.0.0.1:${port}/hooks/x`);
    const result = await runIn(['webhooks', 'test', webhookId, '--timeout', '5', '--json'], env);
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.ok, false);
    assert.equal(report.errorCode, 'connection-error');
    assert.match(report.verdict, /^The delivery failed: Penpot recorded connection-error\. Penpot could not connect/);
    assert.equal(report.leftBehind, false);
    assert.match(result.stderr, /^Creating the project/m);
    assert.deepEqual(await projectNames(twin, teamId), ['Drafts']);
  });

  it('does nothing for an inactive webhook, and refuses a bad --timeout', async (t) => {
    const { twin, teamId, webhookId, env } = await setup(t, 'http://127.0.0.1:9/x', false);
    const result = await runIn(['webhooks', 'test', webhookId], env);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /inactive: Penpot sends it nothing.*nothing was done/);
    assert.equal(twin.deliveries.length, 0);
    assert.deepEqual(await projectNames(twin, teamId), ['Drafts']);
    const bad = await runIn(['webhooks', 'test', webhookId, '--timeout', 'soon'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--timeout must be a number/);
  });
});
