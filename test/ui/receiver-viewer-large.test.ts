// Issue 14 row 4 in the viewer: the detail of a 5 MiB Transit body nested 998 deep. The extension host decodes it in
// its decode workers and sends the payload as JSON text, which the webview parses and draws as the usual tree; the
// contract check comes from the worker's tree. Screenshot: test-results/screenshots/receiver-viewer-large-detail.png.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTwin, type RunningTwin } from '../../src/twin';
import { largestDeepTransit } from '../unit/receiver/deepTransit';
import { answerInputStep, pickQuickPickItem, runCommand, screenshot, waitUntil, webviewFrame } from '../harness/ui';
import { openWorkbench, type Workbench } from '../harness/workbench';

let twin: RunningTwin;
let workbench: Workbench;

describe('Payload viewer: the detail of the largest deep Transit body', { timeout: 5 * 60_000 }, () => {
  before(async () => {
    twin = await startTwin();
    workbench = await openWorkbench({ settings: { 'penpot.serverUrl': twin.url, 'penpot.receiver.port': 0 } });
  });

  after(async () => {
    await workbench?.close();
    await twin?.close();
  });

  it('shows the decoded tree and the contract check of a 5 MiB body nested 998 deep', async () => {
    const page = workbench.page;
    await waitUntil(page, 'the extension to activate', async () =>
      (await page.locator('.statusbar-item', { hasText: 'Penpot' }).count()) > 0 ? true : undefined, 60_000);
    await runCommand(page, 'Penpot: Start Webhook Receiver');
    await waitUntil(page, 'the receiver status bar item', async () =>
      (await page.locator('.statusbar-item', { hasText: '127.0.0.1:' }).count()) > 0 ? true : undefined);
    // Registering on the twin is how a test learns the receiver's URL with its secret path.
    await runCommand(page, 'Penpot: Sign In');
    await answerInputStep(page, twin.url);
    await answerInputStep(page, twin.demoToken);
    await waitUntil(page, 'the status bar to show Ada', async () =>
      (await page.locator('.statusbar-item', { hasText: 'Ada Lovelace' }).count()) > 0 ? true : undefined);
    await runCommand(page, 'Penpot: Register Receiver as Team Webhook');
    await pickQuickPickItem(page, 'Use the local URL anyway (self-hosted Penpot with PENPOT_SSRF_ALLOWED_HOSTS)');
    await pickQuickPickItem(page, 'Your Penpot');
    await pickQuickPickItem(page, 'JSON');
    const webhook = await waitUntil(page, 'the webhook in the twin', async () =>
      twin.state.webhooks.find((w) => /^http:\/\/127\.0\.0\.1:\d+\/hooks\//.test(w.uri)));

    const answer = await fetch(webhook.uri, { method: 'POST', body: largestDeepTransit(), headers: { 'content-type': 'application/transit+json' } });
    assert.equal(answer.status, 204);
    await runCommand(page, 'Penpot: Open Webhook Viewer');
    const viewer = webviewFrame(page);
    const row = viewer.locator('.list-spacer > .list-row[data-id]:not([hidden])').first();
    await row.waitFor({ timeout: 20_000 });
    await row.click();
    const tree = viewer.locator('#detail-body .tree-row');
    await waitUntil(page, 'the decoded tree', async () => ((await tree.count()) > 0 ? true : undefined), 60_000);
    assert.equal((await viewer.locator('.detail-title').textContent())?.trim(), 'update-file');
    const name = tree.filter({ has: viewer.locator('.tree-key', { hasText: /^name$/ }) }).first();
    assert.equal((await name.locator('.tree-value').textContent())?.trim(), '"update-file"');
    assert.equal(await viewer.locator('.chips .chip', { hasText: 'not decoded' }).count(), 0);
    assert.equal((await viewer.locator('#count').textContent())?.trim(), '1 event', 'a counted noun, not "1 events"');
    // A made-up payload: the check (from the worker's tree) lists what Penpot's update-file has and this one lacks.
    assert.match(await viewer.locator('#detail-body, .detail').first().innerText(), /Does not match update-file/);
    await screenshot(page, 'receiver-viewer-large-detail');
  });
});
