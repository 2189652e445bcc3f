// Issue 9 in the workbench as a person sees it: the doctor report rendered for a twin with a running receiver
// (the tunnel and the test event are covered inside VS Code by test/integration/reachable.test.ts). Screenshots go to test-results/screenshots/.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startTwin, type RunningTwin } from '../../src/twin';
import { answerInputStep, runCommand, screenshot, waitUntil } from '../harness/ui';
import { openWorkbench, type Workbench } from '../harness/workbench';
import { writeStandIns, type StandIns } from '../unit/receiver/tunnel-standins';

let twin: RunningTwin;
let workbench: Workbench;
let page: Page;
let standIns: StandIns;

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

  it('renders the doctor report, each check with its status', async () => {
    await runCommand(page, 'Penpot: Sign In');
    await answerInputStep(page, twin.url);
    await answerInputStep(page, twin.demoToken);
    await waitUntil(page, 'the status bar to show Ada', async () =>
      (await page.locator('.statusbar-item', { hasText: 'Ada Lovelace' }).count()) > 0 ? true : undefined);
    await runCommand(page, 'Penpot: Start Webhook Receiver');
    await waitUntil(page, 'the receiver status bar item', async () =>
      (await page.locator('.statusbar-item', { hasText: '127.0.0.1:' }).count()) > 0 ? true : undefined);
    await runCommand(page, 'Penpot: Check Webhook Setup');
    const text = await waitUntil(page, 'the report in an editor', async () => {
      const shown = (await page.locator('.monaco-editor .view-lines').allInnerTexts().catch(() => [])).join('\n').replace(/\u00a0/g, ' ');
      return /Penpot webhook setup/.test(shown) ? shown : undefined;
    }, 60_000).catch(async (error: unknown) => {
      await screenshot(page, 'doctor-report-failed');
      throw error;
    });
    assert.match(text, /Penpot server — ok/);
    assert.match(text, /Instance flags \(webhooks, access tokens\) — ok/);
    assert.match(text, /Access token — ok/);
    assert.ok(!text.includes(twin.demoToken));
    await screenshot(page, 'doctor-report');
  });
});
