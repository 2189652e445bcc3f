// Webhooks as code in the workbench, as a person uses it: a webhooks file in the workspace, its code lens "Plan"
// opening the plan beside the file, then "Penpot: Apply Webhooks from File" with its modal listing the changes.
// Screenshots of both are written to test-results/screenshots/.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { answerInputStep, runCommand, screenshot, waitUntil } from '../harness/ui';
import { openWorkbench, type Workbench } from '../harness/workbench';
import { startTwin, type RunningTwin } from '../../src/twin';

const TEAM_DESIGN_SYSTEM = '03b78a74-7743-4313-8c92-096b40a7cc8e';
const WAIT_MS = 20_000;

let twin: RunningTwin;
let workbench: Workbench;
let page: Page;
let hookTarget: http.Server;
let folder: string;
let newUri = '';

describe('Webhooks file in the workbench', { timeout: 5 * 60_000 }, () => {
  before(async () => {
    twin = await startTwin();
    hookTarget = http.createServer((_req, res) => res.writeHead(204).end());
    await new Promise<void>((resolve) => hookTarget.listen(0, '127.0.0.1', resolve));
    newUri = `http://127.0.0.1:${(hookTarget.address() as AddressInfo).port}/from-file`;
    // The Design System team as Penpot has it, with one webhook switched off and one added.
    const current = twin.state.webhooks.filter((w) => w.teamId === TEAM_DESIGN_SYSTEM).sort((a, b) => (a.uri < b.uri ? -1 : 1));
    const webhooks = current.map((w, i) => ({ uri: w.uri, format: w.mtype === 'application/json' ? 'json' : 'transit', active: i === 0 ? !w.isActive : w.isActive === true }));
    webhooks.push({ uri: newUri, format: 'json', active: true });
    folder = mkdtempSync(join(tmpdir(), 'penpot-webhooks-ui-'));
    writeFileSync(join(folder, 'penpot-webhooks.json'), `${JSON.stringify({ teams: [{ team: 'Design System', id: TEAM_DESIGN_SYSTEM, webhooks }] }, null, 2)}\n`);
    workbench = await openWorkbench({ settings: { 'penpot.serverUrl': twin.url }, workspace: folder });
    page = workbench.page;
    await page.locator('.statusbar-item', { hasText: 'Penpot:' }).first().waitFor({ timeout: 60_000 });
  });

  after(async () => {
    await workbench?.close();
    await new Promise<void>((resolve) => (hookTarget ? hookTarget.close(() => resolve()) : resolve()));
    await twin?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('signs in', async () => {
    await runCommand(page, 'Penpot: Sign In');
    await answerInputStep(page, twin.url);
    await answerInputStep(page, twin.demoToken);
    await waitUntil(page, 'the status bar to show Ada', async () =>
      (await page.locator('.statusbar-item', { hasText: 'Ada Lovelace' }).count()) > 0 ? true : undefined);
  });

  it('shows the plan beside the file from the code lens', async () => {
    await page.keyboard.press('Control+P');
    const quickOpen = page.locator('.quick-input-widget');
    await quickOpen.waitFor({ state: 'visible', timeout: WAIT_MS });
    await quickOpen.locator('input').pressSequentially('penpot-webhooks.json', { delay: 0 });
    await quickOpen.locator('.monaco-list-row', { hasText: 'penpot-webhooks.json' }).first().waitFor({ timeout: WAIT_MS });
    await page.keyboard.press('Enter');
    const lens = page.locator('.codelens-decoration a', { hasText: 'Plan' }).first();
    await lens.waitFor({ state: 'visible', timeout: 60_000 });
    await lens.click();
    const planText = await waitUntil(page, 'the plan document', async () => {
      // VS Code renders spaces as non-breaking spaces in .view-lines.
      const editors = (await page.locator('.editor-instance .view-lines').allTextContents()).map((t) => t.replace(/\u00a0/g, ' '));
      return editors.find((t) => t.includes('+ create'));
    });
    const flat = planText;
    assert.match(flat, /Design System:/);
    assert.match(flat, /\+ create http:\/\/127\.0\.0\.1:\d+\/from-file \(format json, active true\)/);
    assert.match(flat, /~ update https:\/\/\S+ \(active: (true → false|false → true)\)/);
    assert.equal(await page.locator('.tabs-container .tab', { hasText: 'penpot-webhooks.json.plan' }).count(), 1);
    assert.ok((await page.locator('.editor-group-container').count()) >= 2, 'the plan is in a second editor group');
    // Without the side bar, so the screenshot shows the plan's lines whole.
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await screenshot(page, 'webhooks-file-plan');
  });

  it('applies after a modal listing the changes', async () => {
    const before = twin.state.webhooks.filter((w) => w.teamId === TEAM_DESIGN_SYSTEM).length;
    await runCommand(page, 'Penpot: Apply Webhooks from File');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: WAIT_MS });
    const text = ((await dialog.textContent()) ?? '').replace(/\u00a0/g, ' ');
    assert.match(text, /Apply penpot-webhooks\.json to http:\/\/127\.0\.0\.1:\d+\? 1 to create, 1 to update, 0 to delete\./);
    assert.match(text, /\+ create Design System: .*\/from-file/);
    await screenshot(page, 'webhooks-file-apply-confirm');
    await dialog.locator('.monaco-button', { hasText: /^Apply$/ }).click();
    const created = await waitUntil(page, 'the new webhook in the twin', async () => twin.state.webhooks.find((w) => w.uri === newUri));
    assert.equal(created.teamId, TEAM_DESIGN_SYSTEM);
    assert.equal(twin.state.webhooks.filter((w) => w.teamId === TEAM_DESIGN_SYSTEM).length, before + 1);
  });
});
