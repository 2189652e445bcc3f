// Webhooks as code in a real VS Code: Export Webhooks to File, Plan (the plan document beside the file) and Apply
// (with the Teams view refreshed) against the Penpot twin started here, in the extension host.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PenpotIntegrationsApi } from '../../src/extension/extension';
import { startTwin, type RunningTwin } from '../../src/twin';

const EXTENSION_ID = 'penpot-integrations.penpot-integrations';
const TEAM_DESIGN_SYSTEM = '03b78a74-7743-4313-8c92-096b40a7cc8e';

interface Result {
  ok: boolean;
  message?: string;
  [key: string]: unknown;
}

function run(command: string, ...args: unknown[]): Thenable<Result> {
  return vscode.commands.executeCommand<Result>(command, ...args);
}

describe('Webhooks as code: export, plan and apply a webhooks file', function () {
  this.timeout(30_000);
  let api: PenpotIntegrationsApi;
  let twin: RunningTwin;
  let target: http.Server;
  let targetUrl: string;
  let dir: string;

  before(async () => {
    const extension = vscode.extensions.getExtension<PenpotIntegrationsApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    await api.accountLoaded;
    twin = await startTwin();
    // Answers Penpot's HEAD check (§3.6).
    target = http.createServer((_req, res) => res.writeHead(204).end());
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'penpot-webhooks-it-'));
    if (api.signedIn()) await run('penpot.signOut');
    const signedIn = await run('penpot.signIn', { serverUrl: twin.url, token: twin.demoToken });
    assert.equal(signedIn.ok, true, signedIn.message);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (api?.signedIn()) await run('penpot.signOut');
    await twin?.close();
    await new Promise<void>((resolve) => (target ? target.close(() => resolve()) : resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const designSystemHooks = () => twin.state.webhooks.filter((w) => w.teamId === TEAM_DESIGN_SYSTEM);

  it('exports, plans beside the file, applies and refreshes the Teams view, then plans in sync', async () => {
    const file = join(dir, 'penpot-webhooks.json');
    const exported = await run('penpot.webhooksFile.export', { uri: file, team: 'Design System' });
    assert.equal(exported.ok, true, exported.message);
    const document = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(document.teams.length, 1);
    assert.equal(document.teams[0].id, TEAM_DESIGN_SYSTEM);
    assert.equal(document.teams[0].webhooks.length, designSystemHooks().length);
    assert.ok(vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === file), 'the exported file is open');

    // Edit: switch every webhook off, and add one.
    for (const hook of document.teams[0].webhooks) hook.active = false;
    const newUri = `${targetUrl}/from-file`;
    document.teams[0].webhooks.push({ uri: newUri, format: 'transit', active: true });
    writeFileSync(file, JSON.stringify(document, null, 2));

    const planned = await run('penpot.webhooksFile.plan', vscode.Uri.file(file));
    assert.equal(planned.ok, true, planned.message);
    const text = planned.text as string;
    assert.match(text, /^Design System:$/m);
    assert.match(text, new RegExp(`^\\+ create ${newUri} \\(format transit, active true\\)$`, 'm'));
    assert.match(text, /^~ update https:\/\/\S+ \(active: true → false\)$/m);
    const planEditor = vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'penpot-webhooks-plan');
    assert.ok(planEditor, 'the plan is shown');
    assert.equal(planEditor.document.languageId, 'diff');
    assert.equal(planEditor.document.getText(), text);
    assert.notEqual(planEditor.viewColumn, vscode.window.visibleTextEditors.find((e) => e.document.uri.fsPath === file)?.viewColumn, 'beside the file');
    const before = designSystemHooks().length;

    const applied = await run('penpot.webhooksFile.apply', { uri: file, confirm: true });
    assert.equal(applied.ok, true, applied.message);
    assert.equal(applied.failed, 0);
    assert.equal(designSystemHooks().length, before + 1);
    assert.ok(designSystemHooks().every((w) => (w.uri === newUri) === (w.isActive === true)));
    const teamNode = (await api.teams.getChildren()).find((n) => n.label === 'Design System');
    assert.ok(teamNode);
    const rows = await api.teams.getChildren(teamNode);
    assert.equal(rows.length, before + 1, 'the Teams view shows the new webhook');

    const again = await run('penpot.webhooksFile.plan', { uri: file });
    assert.equal(again.ok, true, again.message);
    assert.match(again.text as string, /No changes: Penpot matches/);
  });

  it('refuses a file with an unknown team or a syntax error, changing nothing', async () => {
    const before = JSON.stringify(twin.state.webhooks);
    const unknown = join(dir, 'unknown.penpot-webhooks.json');
    writeFileSync(unknown, JSON.stringify({ teams: [{ team: 'Design System', webhooks: [] }, { team: 'Nope', webhooks: [] }] }));
    const refused = await run('penpot.webhooksFile.apply', { uri: unknown, confirm: true, prune: true });
    assert.equal(refused.ok, false);
    assert.match(refused.message ?? '', /cannot be applied; nothing was changed:\n.*\/teams\/1: no team named "Nope"/);
    const broken = join(dir, 'broken.penpot-webhooks.json');
    writeFileSync(broken, '{ "teams": [ }');
    const bad = await run('penpot.webhooksFile.plan', { uri: broken });
    assert.equal(bad.ok, false);
    assert.match(bad.message ?? '', /broken\.penpot-webhooks\.json:1:14: invalid JSON/);
    assert.equal(JSON.stringify(twin.state.webhooks), before);
  });
});
