// Issue 9 inside a real VS Code: a test event sent through Penpot (the twin) arriving at the receiver with its
// latency, the doctor report rendered, and a public tunnel started and stopped with a stand-in cloudflared.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { DoctorCheck } from '../../src/penpot/doctor';
import type { TestDeliveryReport } from '../../src/penpot/testDelivery';
import { projectsOf } from '../../src/twin/projects';
import { startTwin, type RunningTwin } from '../../src/twin';
import type { PenpotIntegrationsApi } from '../../src/extension/extension';
import { STANDIN_CLOUDFLARED_HOST, writeStandIns, type StandIns } from '../unit/receiver/tunnel-standins';

const TEAM_YOURS = '03d59eb4-1d28-4e78-ba19-bdf94070412e';
const EXTENSION_ID = 'penpot-integrations.penpot-integrations';

interface Result {
  ok: boolean;
  message?: string;
  [key: string]: unknown;
}

const run = (command: string, ...args: unknown[]): Thenable<Result> => vscode.commands.executeCommand<Result>(command, ...args);

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('Reachable from Penpot: test event, doctor, tunnel', () => {
  let twin: RunningTwin;
  let standIns: StandIns;
  let receiverUrl: string;
  let webhookId: string;

  before(async () => {
    const extension = vscode.extensions.getExtension<PenpotIntegrationsApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    const api = await extension.activate();
    await api.accountLoaded;
    twin = await startTwin();
    standIns = writeStandIns(['cloudflared']);
    await vscode.workspace.getConfiguration('penpot.receiver').update('port', 0, vscode.ConfigurationTarget.Global);
    const signedIn = await run('penpot.signIn', { serverUrl: twin.url, token: twin.demoToken });
    assert.equal(signedIn.ok, true, signedIn.message);
    const started = await run('penpot.receiver.start');
    assert.equal(started.ok, true, started.message);
    receiverUrl = String(started.url);
    const registered = await run('penpot.receiver.register', { teamId: TEAM_YOURS, format: 'json', useLocalUrl: true });
    assert.equal(registered.ok, true, registered.message);
    webhookId = String(registered.webhookId);
  });

  after(async () => {
    await run('penpot.receiver.stop', { webhooks: 'delete' });
    await run('penpot.receiver.clear', { confirm: true });
    await vscode.workspace.getConfiguration('penpot.receiver').update('port', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('penpot.tunnel').update('cloudflaredPath', undefined, vscode.ConfigurationTarget.Global);
    await run('penpot.signOut', { serverUrl: twin.url });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await twin?.close();
    standIns?.cleanup();
  });

  it('sends a test event through Penpot: it arrives at the receiver with its latency, and the test project is deleted', async () => {
    const sent = await run('penpot.webhook.sendTestEvent', { webhookId, timeoutS: 10 });
    assert.equal(sent.ok, true, sent.message);
    const report = sent.report as TestDeliveryReport;
    assert.equal(report.ok, true, report.verdict);
    assert.equal(typeof report.latencyMs, 'number');
    assert.match(report.verdict, /^The create-project event arrived at the receiver \d+ ms after the request/);
    assert.match(report.done, /^Created and deleted the project "Webhook test by Penpot Integrations \(safe to delete\) [^"]+" in the team "Your Penpot"\. Penpot keeps a deleted project/);
    assert.equal(projectsOf(twin.state).filter((p) => p.deletedAt === null && !p.isDefault).length, 0, 'no test project left');
    const delivered = twin.deliveries.filter((d) => d.uri === receiverUrl).map((d) => d.eventName);
    await until(() => twin.deliveries.filter((d) => d.uri === receiverUrl).length >= 2);
    assert.deepEqual(twin.deliveries.filter((d) => d.uri === receiverUrl).map((d) => d.eventName).slice(-2), ['create-project', 'delete-project'], JSON.stringify(delivered));
    await vscode.commands.executeCommand('penpot.receiver.open');
  });

  it('renders the doctor report with every check passing for this setup', async () => {
    const result = await run('penpot.doctor');
    assert.equal(result.ok, true, result.message);
    const checks = result.checks as DoctorCheck[];
    assert.deepEqual(checks.map((c) => [c.id, c.status]), [['server', 'ok'], ['flags', 'ok'], ['token', 'ok'], ['receiver', 'ok'], ['public-url', 'ok'], ['webhooks', 'ok']], JSON.stringify(checks, null, 1));
    // The workbench tells the extension host about new tabs asynchronously.
    const reportTab = (): vscode.Tab | undefined => vscode.window.tabGroups.all.flatMap((group) => group.tabs)
      .find((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('penpot.doctorReport'));
    await until(() => reportTab() !== undefined);
    assert.equal(reportTab()?.label, 'Penpot Webhook Setup');
    const text = String(result.markdown);
    assert.match(text, /^# Penpot webhook setup\n\nServer: http:\/\/127\.0\.0\.1:\d+, checked \d{4}-/);
    assert.match(text, /\n- \*\*OK\*\*: Public URL \(what Penpot calls\)\. HEAD http:\/\/127\.0\.0\.1:\d+\/hooks\/\S+ reached this receiver/);
    assert.ok(!text.includes(twin.demoToken), 'the token never appears');
  });

  it('starts a public tunnel with a stand-in cloudflared and stops it with the receiver', async () => {
    const tool = join(standIns.dir, 'cloudflared');
    await vscode.workspace.getConfiguration('penpot.tunnel').update('cloudflaredPath', tool, vscode.ConfigurationTarget.Global);
    const started = await run('penpot.receiver.startTunnel', 'cloudflared');
    assert.equal(started.ok, true, started.message);
    assert.equal(started.publicUrl, `https://${STANDIN_CLOUDFLARED_HOST}`);
    assert.equal(started.webhookUrl, `https://${STANDIN_CLOUDFLARED_HOST}${new URL(receiverUrl).pathname}`);
    const log = standIns.logFile('cloudflared');
    assert.ok(existsSync(log));
    assert.deepEqual(JSON.parse(readFileSync(log, 'utf8').split('\n')[0]), ['tunnel', '--no-autoupdate', '--url', `http://127.0.0.1:${new URL(receiverUrl).port}`]);
    const stopped = await run('penpot.receiver.stop', { webhooks: 'keep' });
    assert.equal(stopped.ok, true, stopped.message);
    await until(() => readFileSync(log, 'utf8').includes('stopped'));
  });
});
