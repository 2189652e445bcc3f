// The webhook receiver inside a real VS Code: start, simulate, replay, forward, export, register as a webhook on
// the Penpot twin (started here, in the extension host) so that the twin's real delivery lands in the store, and
// stop with the webhook deleted. The store is read back through Export, the way a user gets at it.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PenpotIntegrationsApi } from '../../src/extension/extension';
import type { ReceivedEvent } from '../../src/receiver';
import { startTwin, type RunningTwin } from '../../src/twin';

const TEAM_YOURS = '03d59eb4-1d28-4e78-ba19-bdf94070412e';
const TEAM_DESIGN_SYSTEM = '03b78a74-7743-4313-8c92-096b40a7cc8e';
const EXTENSION_ID = 'penpot-integrations.penpot-integrations';
/** Where the receiver notes the workspaces whose window left it running (restarted with the next window). */
const RUNNING_IN_KEY = 'penpot.receiver.runningIn';

interface Result {
  ok: boolean;
  message?: string;
  [key: string]: unknown;
}

function run(command: string, ...args: unknown[]): Thenable<Result> {
  return vscode.commands.executeCommand<Result>(command, ...args);
}

function receiverConfig(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('penpot.receiver');
}

interface Captured {
  method: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A loopback endpoint standing in for the user's integration: records what it gets, answers 200 with a body. */
async function startTarget(): Promise<{ url: string; requests: Captured[]; close(): Promise<void> }> {
  const requests: Captured[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`got ${requests.length}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/integration`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

let exportDir: string;
let exportCount = 0;

/** Every stored event, read through "Export Webhook Events" into a file. */
async function storedEvents(): Promise<ReceivedEvent[]> {
  const file = join(exportDir, `export-${++exportCount}.json`);
  const result = await run('penpot.receiver.export', { format: 'json', uri: file });
  if (!result.ok && /no stored events/.test(result.message ?? '')) return [];
  assert.equal(result.ok, true, result.message);
  return JSON.parse(readFileSync(file, 'utf8')) as ReceivedEvent[];
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The workspaces globalState says had the receiver running when their window closed. */
function runningIn(api: PenpotIntegrationsApi): unknown {
  return new Map(api.globalState()).get(RUNNING_IN_KEY);
}

describe('webhook receiver', () => {
  let twin: RunningTwin;
  let receiverUrl: string;
  let api: PenpotIntegrationsApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<PenpotIntegrationsApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    api = await extension.activate();
    await api.accountLoaded;
    exportDir = mkdtempSync(join(tmpdir(), 'penpot-receiver-it-'));
    twin = await startTwin();
    // Port 0: any free port, so the suite never collides with a receiver on the default 8787.
    await receiverConfig().update('port', 0, vscode.ConfigurationTarget.Global);
    await run('penpot.receiver.stop', { webhooks: 'keep' });
    await run('penpot.receiver.clear', { confirm: true });
  });

  after(async () => {
    await run('penpot.receiver.stop', { webhooks: 'keep' });
    await run('penpot.receiver.clear', { confirm: true });
    for (const key of ['port', 'forwardUrl', 'publicUrl']) await receiverConfig().update(key, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await twin?.close();
    rmSync(exportDir, { recursive: true, force: true });
  });

  it('starts on a free loopback port and copies a URL with the secret path', async () => {
    const started = await run('penpot.receiver.start');
    assert.equal(started.ok, true, started.message);
    receiverUrl = String(started.url);
    assert.match(receiverUrl, /^http:\/\/127\.0\.0\.1:\d+\/hooks\/[A-Za-z0-9_-]{22,}$/);
    assert.notEqual(started.port, 0);
    const again = await run('penpot.receiver.start');
    assert.equal(again.url, receiverUrl, 'a second Start keeps the running receiver');
    const copied = await run('penpot.receiver.copyUrl');
    assert.equal(copied.url, receiverUrl);
    assert.equal(await vscode.env.clipboard.readText(), receiverUrl);
    // Penpot's creation check: HEAD must get 200 or 204 (§0.4).
    const head = await fetch(receiverUrl, { method: 'HEAD' });
    assert.equal(head.status, 204);
  });

  it('remembers in globalState, without its secret, that it runs in this workspace, so the next window restarts it', () => {
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.toString() ?? '';
    assert.deepEqual(runningIn(api), [workspace]);
    const secret = new URL(receiverUrl).pathname.split('/').pop()!;
    assert.ok(!JSON.stringify(api.globalState()).includes(secret), 'the URL secret is in globalState');
  });

  it('simulates events in Penpot\'s JSON and Transit shapes and stores them', async () => {
    const json = await run('penpot.receiver.simulate', { name: 'rename-file', format: 'json', reveal: false });
    assert.equal(json.ok, true, json.message);
    assert.equal((json.result as { status: number }).status, 204);
    const transit = await run('penpot.receiver.simulate', { name: 'create-project', format: 'transit', reveal: false });
    assert.equal(transit.ok, true, transit.message);
    const events = await storedEvents();
    assert.deepEqual(events.map((e) => [e.summary.eventName, e.format, e.simulated]), [
      ['rename-file', 'json', true],
      ['create-project', 'transit', true],
    ]);
    assert.equal(events[0].id, json.eventId);
    assert.equal(events[1].contentType, 'application/transit+json');
    assert.equal(events[1].decoded?.kind, 'transit');
    const unknown = await run('penpot.receiver.simulate', { name: 'no-such-event', format: 'json' });
    assert.equal(unknown.ok, false);
    assert.match(unknown.message ?? '', /Unknown Penpot event "no-such-event"/);
  });

  it('replays a stored event with the same bytes and headers and reports the answer', async () => {
    const target = await startTarget();
    try {
      const [first] = await storedEvents();
      const replayed = await run('penpot.receiver.replay', { id: first.id, to: target.url });
      assert.equal(replayed.ok, true, replayed.message);
      const result = replayed.result as { status: number; body: string };
      assert.deepEqual([result.status, result.body], [200, 'got 1']);
      assert.equal(target.requests.length, 1);
      assert.deepEqual(target.requests[0].body, Buffer.from(first.bodyBase64, 'base64'));
      assert.equal(target.requests[0].headers['content-type'], first.contentType);
      const gone = await run('penpot.receiver.replay', { id: 'no-such-id', to: target.url });
      assert.equal(gone.ok, false);
      assert.match(gone.message ?? '', /no longer stored/);
    } finally {
      await target.close();
    }
  });

  it('forwards every received event to the forward target and records its answer', async () => {
    const target = await startTarget();
    try {
      const set = await run('penpot.receiver.forward', { url: target.url });
      assert.deepEqual([set.ok, set.forwardUrl], [true, target.url]);
      const sent = await run('penpot.receiver.simulate', { name: 'delete-file', format: 'transit', target: 'receiver', reveal: false });
      assert.equal(sent.ok, true, sent.message);
      const forwarded = await until('the forward result on the event', async () =>
        (await storedEvents()).find((e) => e.id === sent.eventId && e.forward));
      assert.equal(forwarded.forward?.status, 200);
      assert.equal(forwarded.forward?.body, 'got 1');
      assert.equal(target.requests[0].headers['content-type'], 'application/transit+json');
      assert.deepEqual(target.requests[0].body, Buffer.from(forwarded.bodyBase64, 'base64'));
      const off = await run('penpot.receiver.forward', { url: '' });
      assert.deepEqual([off.ok, off.forwardUrl], [true, null]);
      const bad = await run('penpot.receiver.forward', { url: 'ftp://nope' });
      assert.equal(bad.ok, false);
    } finally {
      await target.close();
    }
  });

  it('exports as NDJSON, one event per line', async () => {
    const file = join(exportDir, 'events.ndjson');
    const result = await run('penpot.receiver.export', { format: 'ndjson', uri: file });
    assert.equal(result.ok, true, result.message);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, result.count);
    assert.equal((JSON.parse(lines[0]) as ReceivedEvent).summary.eventName, 'rename-file');
  });

  it('registers the receiver as a webhook on a twin team, and the twin\'s delivery arrives', async () => {
    const signedIn = await run('penpot.signIn', { serverUrl: twin.url, token: twin.demoToken });
    assert.equal(signedIn.ok, true, signedIn.message);
    const before = (await storedEvents()).length;
    // The twin allow-lists localhost like a self-hosted Penpot with PENPOT_SSRF_ALLOWED_HOSTS.
    const registered = await run('penpot.receiver.register', { teamId: TEAM_YOURS, format: 'transit', useLocalUrl: true });
    assert.equal(registered.ok, true, registered.message);
    assert.equal(registered.url, receiverUrl);
    const webhook = twin.state.webhooks.find((w) => w.id === registered.webhookId);
    assert.ok(webhook, 'the webhook exists in the twin');
    assert.deepEqual([webhook.teamId, webhook.uri, webhook.mtype, webhook.isActive], [TEAM_YOURS, receiverUrl, 'application/transit+json', true]);

    const [delivery] = await twin.emit('rename-file', { teamId: TEAM_YOURS });
    assert.equal(delivery.status, 204);
    const events = await storedEvents();
    assert.equal(events.length, before + 1);
    const received = events[events.length - 1];
    assert.deepEqual([received.summary.eventName, received.format, received.simulated], ['rename-file', 'transit', undefined]);
    assert.match(received.headers.find(([n]) => n.toLowerCase() === 'user-agent')?.[1] ?? '', /^penpot\//);
  });

  it('counts in the Receiver view every team webhook that delivers to it, not only its own registrations', async () => {
    const receivesFrom = async (): Promise<string | undefined> => {
      const rows = await api.receiverView.getChildren();
      const group = rows.find((row) => row.label === 'Receives from');
      return group ? String(group.description) : undefined;
    };
    assert.equal(await receivesFrom(), '1 webhook in 1 team');
    // A webhook made by hand in another team (as a teammate would) also delivers here, so it counts.
    const byHand = await run('penpot.webhook.create', { teamId: TEAM_DESIGN_SYSTEM, uri: receiverUrl, format: 'json', isActive: true });
    assert.equal(byHand.ok, true, byHand.message);
    assert.equal(await receivesFrom(), '2 webhooks in 2 teams');
    const rows = await api.receiverView.getChildren();
    const group = rows.find((row) => row.label === 'Receives from');
    assert.ok(group);
    const teams = (await api.receiverView.getChildren(group)).map((row) => `${String(row.label)} · ${String(row.description)}`);
    const host = new URL(receiverUrl).host;
    assert.deepEqual(teams.sort(), [`Design System · ${host} · JSON`, `Your Penpot · ${host} · Transit`]);
    const deleted = await run('penpot.webhook.delete', { webhookId: byHand.webhookId, confirm: true });
    assert.equal(deleted.ok, true, deleted.message);
    assert.equal(await receivesFrom(), '1 webhook in 1 team');
  });

  it('emits a twin event from the demo command, delivered to the receiver', async () => {
    const before = (await storedEvents()).length;
    const emitted = await run('penpot.twin.emit', { name: 'create-comment', teamId: TEAM_YOURS });
    assert.equal(emitted.ok, true, emitted.message);
    const deliveries = emitted.deliveries as { uri: string; status: number }[];
    assert.ok(deliveries.some((d) => d.uri === receiverUrl && d.status === 204), JSON.stringify(deliveries));
    const events = await storedEvents();
    assert.equal(events.length, before + 1);
    assert.equal(events[events.length - 1].summary.eventName, 'create-comment');
  });

  it('stops and deletes the webhook it was registered as, when asked to', async () => {
    const webhookIds = twin.state.webhooks.filter((w) => w.uri === receiverUrl).map((w) => w.id);
    assert.equal(webhookIds.length, 1);
    const stopped = await run('penpot.receiver.stop', { webhooks: 'delete' });
    assert.equal(stopped.ok, true, stopped.message);
    assert.deepEqual(stopped.webhooksChanged, webhookIds);
    assert.deepEqual(runningIn(api), [], 'stopped on purpose: the next window leaves it stopped');
    assert.equal(twin.state.webhooks.some((w) => w.uri === receiverUrl), false);
    await assert.rejects(fetch(receiverUrl, { method: 'HEAD' }));
    // Stored events outlive the listener.
    assert.ok((await storedEvents()).length >= 5);
  });

  it('clears the store only when confirmed', async () => {
    const cleared = await run('penpot.receiver.clear', { confirm: true });
    assert.equal(cleared.ok, true);
    assert.deepEqual(await storedEvents(), []);
    const none = await run('penpot.receiver.export', { format: 'json', uri: join(exportDir, 'empty.json') });
    assert.equal(none.ok, false);
    assert.match(none.message ?? '', /no stored events/);
  });
});
