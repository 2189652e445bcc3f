// The doctor's checks against the twin, a real receiver and small servers, all over loopback HTTP.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, type TestContext } from 'node:test';
import { runCli } from '../../../src/cli/main';
import { PenpotClient } from '../../../src/penpot/client';
import { checkPublicUrl, doctorExitCode, runDoctor, type DoctorCheck } from '../../../src/penpot/doctor';
import { generateReceiverSecret, startReceiver } from '../../../src/receiver';
import { smallSeed, twinFor } from '../twin/helpers';
import { startHttpServer } from './http-servers';

const byId = (checks: DoctorCheck[], id: string): DoctorCheck => {
  const check = checks.find((c) => c.id === id);
  assert.ok(check, `no check ${id}`);
  return check;
};

async function setup(t: TestContext, options: { frontendFlags?: string | null; webhookActive?: boolean } = {}) {
  const receiver = await startReceiver({ secret: generateReceiverSecret(), port: 0 });
  t.after(() => receiver.close());
  const seed = smallSeed();
  seed.webhooks = [{ id: randomUUID(), teamId: seed.teams[0].id, uri: receiver.url, mtype: 'application/json', isActive: options.webhookActive ?? true, profileId: seed.profiles[0].id }];
  const twin = await twinFor(t, { seed, frontendFlags: options.frontendFlags });
  const api = new PenpotClient({ baseUrl: twin.url, token: twin.demoToken });
  t.after(() => api.close());
  return { receiver, twin, api };
}

describe('doctor', () => {
  it('passes every check for a working setup, recognising this receiver', async (t) => {
    const { receiver, twin, api } = await setup(t);
    const checks = await runDoctor({ serverUrl: twin.url, api, localReceiverUrl: receiver.url });
    assert.deepEqual(checks.map((c) => [c.id, c.status]), [['server', 'ok'], ['flags', 'ok'], ['token', 'ok'], ['receiver', 'ok'], ['public-url', 'ok'], ['webhooks', 'ok']]);
    assert.match(byId(checks, 'server').detail, /current path \/api\/main\/methods\//);
    assert.match(byId(checks, 'token').detail, /signed in as Test Owner/);
    assert.match(byId(checks, 'public-url').detail, /reached this receiver: answered 204 in \d+ ms/);
    assert.match(byId(checks, 'webhooks').detail, /^1 webhook: Test Team: active, no error recorded/);
    assert.equal(doctorExitCode(checks), 0);
    // The report is made to be copied into an issue: the receiver's URL secret is not in it.
    const secret = new URL(receiver.url).pathname.slice('/hooks/'.length);
    assert.ok(secret.length >= 22);
    assert.match(byId(checks, 'receiver').detail, /^Running at http:\/\/127\.0\.0\.1:\d+\/hooks\/\{secret\} \(HEAD/);
    assert.ok(!JSON.stringify(checks).includes(secret), 'no check names the secret');
  });

  it('reports missing enable-webhooks by name, a legacy path, a bad token and an inactive webhook', async (t) => {
    const { receiver, twin } = await setup(t, { frontendFlags: null, webhookActive: false });
    const legacy = await twinFor(t, { legacyPathOnly: true, frontendFlags: 'enable-access-tokens' });
    const bad = new PenpotClient({ baseUrl: twin.url, token: 'not-a-real-token' });
    t.after(() => bad.close());
    const checks = await runDoctor({ serverUrl: twin.url, api: bad, localReceiverUrl: receiver.url });
    const flags = byId(checks, 'flags');
    assert.equal(flags.status, 'fail');
    assert.match(flags.detail, /no penpotFlags line, so the defaults apply \(on a self-hosted Penpot: enable-webhooks and enable-access-tokens off\)/);
    assert.match(flags.fix ?? '', /PENPOT_FLAGS on both the backend and the frontend/);
    assert.deepEqual(flags.action, { label: "Penpot's configuration guide", url: 'https://help.penpot.app/technical-guide/configuration/' });
    assert.equal(byId(checks, 'token').status, 'fail');
    assert.ok(!JSON.stringify(checks).includes('not-a-real-token'), 'the token never appears');
    assert.equal(doctorExitCode(checks), 1);

    const legacyChecks = await runDoctor({ serverUrl: legacy.url });
    assert.match(byId(legacyChecks, 'server').detail, /legacy path \/api\/rpc\/command\//);
    assert.match(byId(legacyChecks, 'flags').detail, /without enable-webhooks\. Without enable-webhooks/);
    assert.equal(byId(legacyChecks, 'token').status, 'skip');

    const good = new PenpotClient({ baseUrl: twin.url, token: twin.demoToken });
    t.after(() => good.close());
    const inactive = byId(await runDoctor({ serverUrl: twin.url, api: good, localReceiverUrl: receiver.url }), 'webhooks');
    assert.equal(inactive.status, 'fail');
    assert.match(inactive.detail, /Test Team: inactive/);
  });

  it('gives 404, another server, a timeout, DNS and SSRF their own sentences', async (t) => {
    const { receiver } = await setup(t);
    const other = await startHttpServer((_req, res) => res.writeHead(204).end());
    t.after(() => other.close());
    const slow = await startHttpServer((_req, res) => setTimeout(() => res.writeHead(204).end(), 1500));
    t.after(() => slow.close());
    const local = 'http://127.0.0.1:1';
    const check = (url: string, serverUrl = local) => checkPublicUrl({ serverUrl, publicReceiverUrl: url, headTimeoutMs: 400 });

    const wrongSecret = await check(receiver.url.replace(/\/hooks\/.*/, `/hooks/${generateReceiverSecret()}`));
    assert.match(wrongSecret.detail, /answered 404: the path/);
    const elsewhere = await check(`${other.url}/hooks/${generateReceiverSecret()}`);
    assert.match(elsewhere.detail, /not as this receiver \(no matching x-penpot-integrations-receiver header\)/);
    const late = await check(`${slow.url}/hooks/x`);
    assert.match(late.detail, /no answer within Penpot's 0.4 s/);
    const dns = await check('http://no-such-receiver.invalid/hooks/x');
    assert.match(dns.detail, /was not found \(DNS\)/);
    assert.doesNotMatch(dns.detail, /SSRF/);
    const ssrf = await check(receiver.url, 'https://198.51.100.7');
    assert.equal(ssrf.status, 'fail');
    assert.match(ssrf.detail, /SSRF guard refuses/);
    assert.equal(ssrf.action?.command, 'penpot.receiver.startTunnel');
    for (const c of [wrongSecret, elsewhere, late, dns]) assert.equal(c.status, 'fail');
  });

  it('in the extension, no running receiver fails with Start Receiver; the test-event fix names the webhook', async (t) => {
    const { receiver, twin, api } = await setup(t);
    const advice = 'This window is remote (SSH): the receiver runs on that machine.';
    const missing = await runDoctor({ serverUrl: twin.url, api, receiverExpected: true, remoteAdvice: advice });
    const receiverCheck = byId(missing, 'receiver');
    assert.equal(receiverCheck.status, 'fail');
    assert.equal(receiverCheck.detail, `No receiver is running in this window, so nothing here can take Penpot's events. ${advice}`);
    assert.deepEqual(receiverCheck.action, { label: 'Start Receiver', command: 'penpot.receiver.start' });
    assert.equal(doctorExitCode(missing), 1);
    // The CLI without --receiver-url has no receiver to expect: the same absence is only skipped there.
    assert.equal(byId(await runDoctor({ serverUrl: twin.url, api }), 'receiver').status, 'skip');

    const running = await runDoctor({ serverUrl: twin.url, api, localReceiverUrl: receiver.url, receiverExpected: true, remoteAdvice: advice });
    const runningDetail = byId(running, 'receiver').detail;
    assert.match(runningDetail, /^Running at http:\/\/127\.0\.0\.1:\d+\/hooks\/\S+ \(HEAD answered 204 in \d+ ms\)\. This window is remote/);
    assert.ok(runningDetail.endsWith(advice), runningDetail);
    const webhooks = byId(running, 'webhooks');
    assert.equal(webhooks.status, 'ok');
    const [webhook] = await api.getWebhooks(twin.state.teams[0].id);
    assert.deepEqual(webhooks.action, { label: 'Send Test Event Through Penpot', command: 'penpot.webhook.sendTestEvent', args: [{ webhookId: webhook.id, teamId: webhook.teamId }] });
  });

  it('offers the server setting as the fix when the server cannot be reached', async () => {
    const checks = await runDoctor({ serverUrl: 'http://127.0.0.1:9', serverTimeoutMs: 2000 });
    const server = byId(checks, 'server');
    assert.equal(server.status, 'fail');
    assert.deepEqual(server.action, { label: 'Open Setting', command: 'workbench.action.openSettings', args: ['penpot.serverUrl'] });
    assert.deepEqual(checks.map((c) => [c.id, c.status]), [['server', 'fail'], ['flags', 'skip'], ['token', 'skip'], ['receiver', 'skip'], ['public-url', 'skip'], ['webhooks', 'skip']]);
    assert.equal(byId(checks, 'flags').detail, 'Not checked: the server cannot be reached.');
  });

  it('CLI: doctor --json prints the checks and exits 1 when one fails', async (t) => {
    const { receiver, twin } = await setup(t);
    let stdout = '';
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, env: { PENPOT_URL: twin.url, PENPOT_TOKEN: twin.demoToken } };
    assert.equal(await runCli(['doctor', '--json', '--receiver-url', receiver.url], io), 0);
    const report = JSON.parse(stdout) as { checks: DoctorCheck[] };
    assert.deepEqual(report.checks.map((c) => Object.keys(c).sort()), report.checks.map((c) => (c.fix === undefined ? ['detail', 'id', 'status', 'title'] : ['detail', 'fix', 'id', 'status', 'title'])));
    assert.equal(byId(report.checks, 'public-url').status, 'ok');
    assert.ok(!stdout.includes(twin.demoToken));
    stdout = '';
    const bare = await twinFor(t, { frontendFlags: null });
    assert.equal(await runCli(['doctor', '--receiver-url', receiver.url], { ...io, env: { PENPOT_URL: bare.url } }), 1);
    assert.match(stdout, /^\[FAIL\] Instance flags/m);
    assert.match(stdout, /fix: Add enable-webhooks/);
  });
});
