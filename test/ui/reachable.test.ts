// Issue 9 in the workbench as a person sees it, against the twin: the doctor report (a webview) with a failing
// check whose fix button starts the receiver, Run Again showing it fixed, registering from the report, and the test
// event sent through Penpot from the report arriving in the payload viewer, its latency in the notification, and the
// report coming back after a window reload. (The
// tunnel is covered inside VS Code by test/integration/reachable.test.ts.) Screenshots go to test-results/screenshots/.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { startTwin, type RunningTwin } from '../../src/twin';
import { answerInputStep, pickQuickPickItem, runCommand, screenshot, waitUntil } from '../harness/ui';
import { openWorkbench, type Workbench } from '../harness/workbench';
import { writeStandIns, type StandIns } from '../unit/receiver/tunnel-standins';

const TEAM_YOURS = '03d59eb4-1d28-4e78-ba19-bdf94070412e';

let twin: RunningTwin;
let workbench: Workbench;
let page: Page;
let standIns: StandIns;

/** The webview in front (the doctor report and the viewer share the editor area; only one is visible). */
function visibleWebview(): FrameLocator {
  return page.frameLocator('iframe.webview.ready:visible').frameLocator('#active-frame');
}

function checkRow(report: FrameLocator, id: string): Locator {
  return report.locator(`#checks > li[data-check="${id}"]`);
}

/** Each check's id and status word as drawn, top to bottom. */
async function statuses(report: FrameLocator): Promise<string[][]> {
  return report.locator('#checks > li').evaluateAll((items) =>
    items.map((item) => [item.getAttribute('data-check') ?? '', item.querySelector('.status-word')?.textContent ?? '']));
}

async function waitForStatus(report: FrameLocator, id: string, word: string): Promise<void> {
  await waitUntil(page, `the ${id} check to read ${word}`, async () =>
    ((await checkRow(report, id).locator('.status-word').textContent({ timeout: 1000 })) === word ? true : undefined), 30_000);
}

/** Opens the notification center and returns the text of the first notification matching `pattern`. */
async function notificationMatching(pattern: RegExp): Promise<Locator> {
  await runCommand(page, 'Notifications: Show Notifications');
  const item = page.locator('.notifications-center .notification-list-item', { hasText: pattern }).first();
  await item.waitFor({ timeout: 30_000 });
  return item;
}

describe('Reachable from Penpot in the workbench', { timeout: 5 * 60_000 }, () => {
  before(async () => {
    twin = await startTwin();
    standIns = writeStandIns(['cloudflared']);
    workbench = await openWorkbench({
      settings: { 'penpot.serverUrl': twin.url, 'penpot.receiver.port': 0, 'penpot.tunnel.cloudflaredPath': join(standIns.dir, 'cloudflared') },
    });
    page = workbench.page;
    await waitUntil(page, 'the extension to activate', async () =>
      (await page.locator('.statusbar-item', { hasText: 'Penpot' }).count()) > 0 ? true : undefined, 60_000);
  });

  after(async () => {
    await workbench?.close();
    await twin?.close();
    standIns?.cleanup();
  });

  it('renders the doctor report; the failing check\'s button starts the receiver and Run Again shows it OK', async () => {
    await runCommand(page, 'Penpot: Sign In');
    await answerInputStep(page, twin.url);
    await answerInputStep(page, twin.demoToken);
    await waitUntil(page, 'the status bar to show Ada', async () =>
      (await page.locator('.statusbar-item', { hasText: 'Ada Lovelace' }).count()) > 0 ? true : undefined);
    await runCommand(page, 'Penpot: Check Webhook Setup');
    const report = visibleWebview();
    await report.locator('#checks > li').first().waitFor({ timeout: 60_000 }).catch(async (error: unknown) => {
      await screenshot(page, 'doctor-report-failed');
      throw error;
    });
    assert.deepEqual(await statuses(report), [
      ['server', 'OK'], ['flags', 'OK'], ['token', 'OK'], ['receiver', 'Failed'], ['public-url', 'Skipped'], ['webhooks', 'Skipped'],
    ]);
    assert.equal(await report.locator('h1').textContent(), 'Penpot webhook setup');
    assert.equal(await report.locator('#summary').textContent(), '1 of 6 checks failed: Receiver.');
    const receiver = checkRow(report, 'receiver');
    assert.equal(await receiver.locator('.check-detail').textContent(), "No receiver is running in this window, so nothing here can take Penpot's events.");
    assert.equal(await receiver.locator('.check-fix').textContent(), 'Fix: Start the receiver (Penpot: Start Webhook Receiver).');
    // The status icons are the bundled codicon font, not emoji a headless browser has no glyphs for.
    assert.equal(await receiver.locator('.check-status .codicon-error').count(), 1);
    assert.equal(await checkRow(report, 'server').locator('.check-status .codicon-pass-filled').count(), 1);
    assert.equal(await report.locator('body').evaluate(async () => {
      await document.fonts.ready;
      return document.fonts.check('16px codicon');
    }), true);
    assert.ok(!(await report.locator('body').innerText()).includes(twin.demoToken), 'the token never appears');
    await screenshot(page, 'doctor-report');

    await receiver.locator('button.fix-button', { hasText: 'Start Receiver' }).click();
    await waitUntil(page, 'the fix to be done', async () =>
      ((await report.locator('#notice').textContent()) === 'Start Receiver: done. Run Again to check.' ? true : undefined), 30_000);
    await waitUntil(page, 'the receiver status bar item', async () =>
      (await page.locator('.statusbar-item', { hasText: '127.0.0.1:' }).count()) > 0 ? true : undefined);
    await report.locator('#run-again').click();
    await waitForStatus(report, 'receiver', 'OK');
    assert.deepEqual(await statuses(report), [
      ['server', 'OK'], ['flags', 'OK'], ['token', 'OK'], ['receiver', 'OK'], ['public-url', 'OK'], ['webhooks', 'Warning'],
    ]);
    assert.match((await receiver.locator('.check-detail').textContent()) ?? '', /^Running at http:\/\/127\.0\.0\.1:\d+\/hooks\/\S+ \(HEAD answered 204 in \d+ ms\)\.$/);
    assert.equal(await report.locator('#summary').textContent(), 'No check failed; 1 warning.');
    await screenshot(page, 'doctor-report-fixed');

    await report.locator('#copy-markdown').click();
    await waitUntil(page, 'the report to be copied', async () =>
      ((await report.locator('#notice').textContent()) === 'Copied the report as Markdown.' ? true : undefined), 30_000);
  });

  it('registers from the report, then sends a test event through Penpot: it arrives in the viewer, with its latency', async () => {
    const report = visibleWebview();
    await checkRow(report, 'webhooks').locator('button.fix-button', { hasText: 'Register Receiver' }).click();
    await pickQuickPickItem(page, 'Use the local URL anyway (self-hosted Penpot with PENPOT_SSRF_ALLOWED_HOSTS)');
    await pickQuickPickItem(page, 'Your Penpot');
    await pickQuickPickItem(page, 'JSON');
    const webhook = await waitUntil(page, 'the webhook in the twin', async () =>
      twin.state.webhooks.find((w) => w.teamId === TEAM_YOURS && /\/hooks\/[A-Za-z0-9_-]+$/.test(w.uri)));
    await runCommand(page, 'Notifications: Clear All Notifications');
    await report.locator('#run-again').click();
    await waitForStatus(report, 'webhooks', 'OK');
    assert.match((await checkRow(report, 'webhooks').locator('.check-detail').textContent()) ?? '', /^1 webhook: Your Penpot: active, no error recorded\./);

    const deliveriesBefore = twin.deliveries.length;
    await checkRow(report, 'webhooks').locator('button.fix-button', { hasText: 'Send Test Event Through Penpot' }).click();
    const notification = await notificationMatching(/The create-project event arrived at the receiver \d+ ms after the request/);
    const message = (await notification.locator('.notification-list-item-message').textContent()) ?? '';
    const latency = Number(/arrived at the receiver (\d+) ms/.exec(message)?.[1]);
    assert.ok(Number.isInteger(latency) && latency >= 0, message);
    assert.match(message, /\(end to end, through Penpot\)\. Created and deleted the project "Webhook test by Penpot Integrations \(safe to delete\) [^"]+" in the team "Your Penpot"\. Penpot keeps a deleted project, marked deleted, until its deletion delay has passed/);
    assert.ok(!message.includes('**') && !message.includes('`'), `no literal Markdown in the notification: ${message}`);
    // The doctor says the outcome too, where the button was pressed.
    assert.match((await report.locator('#notice').textContent()) ?? '', /^The create-project event arrived at the receiver \d+ ms after the request .*Run Again to see the webhook's state\.$/);
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await screenshot(page, 'test-event-notification');
    assert.deepEqual(twin.deliveries.slice(deliveriesBefore).filter((d) => d.uri === webhook.uri).map((d) => d.eventName).slice(0, 1), ['create-project']);

    await notification.locator('.monaco-button', { hasText: 'Open Viewer' }).click();
    const viewer = visibleWebview();
    await viewer.locator('#app .toolbar').waitFor({ timeout: 30_000 });
    const names = await waitUntil(page, 'both test events in the viewer', async () => {
      const shown = await viewer.locator('.list-spacer > .list-row[data-id]:not([hidden]) .event-name').allTextContents();
      return shown.includes('create-project') && shown.includes('delete-project') ? shown : undefined;
    }, 30_000);
    assert.equal(names.filter((n) => n === 'create-project').length, 1, names.join(', '));
    await screenshot(page, 'test-event-viewer');
  });

  it('restores the report after a window reload and runs its checks again', async () => {
    const reportTab = page.locator('.tab', { hasText: 'Penpot Webhook Setup' });
    await reportTab.click();
    await visibleWebview().locator('#checks > li').first().waitFor({ timeout: 30_000 });
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await reportTab.click();
    const report = visibleWebview();
    // What each check finds right after the reload depends on how far the window got (sign-in, the receiver's
    // restart); that the report is back, with every check, is what this test is about.
    const ids = await waitUntil(page, 'the restored report with its six checks', async () => {
      const shown = (await statuses(report)).map(([id]) => id);
      return shown.length === 6 ? shown : undefined;
    }, 60_000);
    assert.deepEqual(ids, ['server', 'flags', 'token', 'receiver', 'public-url', 'webhooks']);
    assert.equal(await report.locator('h1').textContent(), 'Penpot webhook setup');
    assert.ok(!(await report.locator('body').innerText()).includes(twin.demoToken), 'the token never appears');
    assert.equal(await reportTab.count(), 1, 'one report per window');
  });
});
