// Drives the Penpot views as a person would, in a real workbench (code-server + headless Chromium) against the
// Penpot twin running in this process: welcome view, sign-in through the palette and input boxes, the populated
// Teams and Access Tokens trees (plus a screenshot of them), multi-step webhook creation including Penpot's
// refusal shown under the URL field, the context menu offering only allowed actions, a modal delete, and sign-out.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { answerInputStep, pickQuickPickItem, readTreeRows, runCommand, screenshot, waitUntil, type TreeRow } from '../harness/ui';
import { openWorkbench, type Workbench } from '../harness/workbench';
import { startTwin, type RunningTwin } from '../../src/twin';

const TEAM_YOURS = '03d59eb4-1d28-4e78-ba19-bdf94070412e';
const WAIT_MS = 20_000;

let twin: RunningTwin;
let workbench: Workbench;
let page: Page;
let hookTarget: http.Server;
let hookOrigin = '';

/** The quick input as it shows now: title (with "(n/m)" step), prompt or validation message, and value. */
async function quickInputState(): Promise<{ title: string; message: string; value: string }> {
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible', timeout: WAIT_MS });
  const text = async (locator: Locator) => ((await locator.first().textContent().catch(() => '')) ?? '').trim();
  return {
    title: await text(widget.locator('.quick-input-title')),
    message: await text(widget.locator('.quick-input-message')),
    value: await widget.locator('.quick-input-box input').first().inputValue(),
  };
}

/** Waits until the quick input shows the step whose title matches (e.g. "Create Webhook (2/4)"). */
async function step(title: RegExp, message?: RegExp): Promise<{ title: string; message: string; value: string }> {
  return waitUntil(page, `the input step ${title}${message ? ` saying ${message}` : ''}`, async () => {
    const state = await quickInputState();
    return title.test(state.title) && (!message || message.test(state.message)) ? state : undefined;
  });
}

async function rowsOf(view: string, wanted: string): Promise<TreeRow[]> {
  return waitUntil(page, `"${wanted}" in the ${view} view`, async () => {
    const rows = await readTreeRows(page, view);
    return rows.some((r) => r.label === wanted) ? rows : undefined;
  });
}

function treeRow(view: string, label: string): Locator {
  return page.locator('.pane', { has: page.locator('.pane-header .title', { hasText: view }) })
    .locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: label }) }).first();
}

async function contextMenuEntries(row: Locator): Promise<string[]> {
  await row.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor({ state: 'visible', timeout: WAIT_MS });
  const entries = (await menu.locator('.action-label').allTextContents()).map((t) => t.trim()).filter(Boolean);
  return entries;
}

/** Finds a notification in the notification center (toasts are not rendered in this headless workbench). */
/** Drags the side bar's edge to the right, so the screenshot shows whole descriptions. */
async function widenSideBar(): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const edge = { x: box.x + box.width + 1, y: box.y + box.height / 2 };
  await page.mouse.move(edge.x, edge.y);
  await page.mouse.down();
  await page.mouse.move(edge.x + 260, edge.y, { steps: 8 });
  await page.mouse.up();
  await page.mouse.move(box.x + box.width + 500, box.y + 20); // off the sash, which highlights while hovered
}

/**
 * Clicks an entry of the open context menu. VS Code ignores a click that comes right after the menu opened, so the
 * click is repeated until the menu closes.
 */
async function chooseMenuEntry(label: string): Promise<void> {
  const menu = page.locator('.context-view .monaco-menu');
  const entry = menu.locator('.action-label', { hasText: label });
  await waitUntil(page, `the menu entry "${label}" to run`, async () => {
    if (!(await menu.isVisible())) return true;
    await entry.click({ timeout: 2000 });
    await page.waitForTimeout(200);
    return (await menu.isVisible()) ? undefined : true;
  });
}

async function notificationText(pattern: RegExp): Promise<string> {
  await runCommand(page, 'Notifications: Show Notifications');
  try {
    return await waitUntil(page, `a notification matching ${pattern}`, async () => {
      const texts = await page.locator('.notifications-center .notification-list-item-message').allTextContents();
      return texts.find((t) => pattern.test(t));
    });
  } finally {
    await runCommand(page, 'Notifications: Clear All Notifications');
  }
}

async function welcomeText(view: string): Promise<string> {
  const pane = page.locator('.pane', { has: page.locator('.pane-header .title', { hasText: view }) });
  return waitUntil(page, `the welcome view of ${view}`, async () => {
    const text = (await pane.locator('.welcome-view-content').textContent({ timeout: 1000 }))?.trim();
    return text || undefined;
  });
}

describe('Penpot views in the workbench', { timeout: 5 * 60_000 }, () => {
  before(async () => {
    twin = await startTwin();
    hookTarget = http.createServer((req, res) => {
      res.writeHead(req.method === 'HEAD' || req.method === 'POST' ? 200 : 405);
      res.end();
    });
    await new Promise<void>((resolve) => hookTarget.listen(0, '127.0.0.1', resolve));
    hookOrigin = `http://127.0.0.1:${(hookTarget.address() as AddressInfo).port}`;
    // As `npm start -- --demo` does: the configured server is the twin, so Sign In offers it.
    workbench = await openWorkbench({ settings: { 'penpot.serverUrl': twin.url } });
    page = workbench.page;
    // The status bar item appears once the extension has activated and registered its commands.
    await page.locator('.statusbar-item', { hasText: 'Penpot:' }).first().waitFor({ timeout: 60_000 });
  });

  after(async () => {
    await workbench?.close();
    await new Promise<void>((resolve) => (hookTarget ? hookTarget.close(() => resolve()) : resolve()));
    await twin?.close();
  });

  it('shows the signed-out welcome view and status bar item', async () => {
    await page.locator('.activitybar [aria-label="Penpot"]').first().click();
    assert.match(await welcomeText('Teams'), /Sign In/);
    const status = await waitUntil(page, 'the Penpot status bar item', async () =>
      (await page.locator('.statusbar-item', { hasText: 'Penpot' }).first().textContent())?.trim() || undefined);
    assert.match(status, /Penpot: Signed Out/);
  });

  it('signs in through the palette: server prefilled from the setting, then the token in a password box', async () => {
    await runCommand(page, 'Penpot: Sign In');
    const serverStep = await step(/Sign In to Penpot \(1\/2\)/, /Address of your Penpot server/);
    assert.equal(serverStep.value, twin.url);
    await answerInputStep(page, twin.url);
    await step(/Sign In to Penpot \(2\/2\)/, /Access token for 127\.0\.0\.1/);
    assert.equal(await page.locator('.quick-input-widget .quick-input-box input').first().getAttribute('type'), 'password');
    await answerInputStep(page, twin.demoToken);
    assert.match(await notificationText(/Signed in to Penpot/), /as Ada Lovelace \(ada@example\.com\)/);
    await waitUntil(page, 'the status bar to show Ada', async () =>
      (await page.locator('.statusbar-item', { hasText: 'Ada Lovelace' }).count()) > 0 ? true : undefined);
  });

  it('shows the seeded teams, webhooks and tokens, and writes a screenshot of them', async () => {
    const teams = await rowsOf('Teams', 'hooks.example.com/penpot/design-system');
    const find = (label: string) => teams.find((r) => r.label === label);
    assert.equal(find('Design System')?.description, '4/8 webhooks · owner');
    assert.equal(find('Agency Clients')?.description, '8/8 webhooks · admin');
    assert.deepEqual([find('hooks.example.com/penpot/design-system')?.description, find('hooks.example.com/penpot/design-system')?.icon],
      ['JSON · Active', 'pass']);
    assert.deepEqual([find('builds.example.net/penpot/rebuild-tokens')?.description, find('builds.example.net/penpot/rebuild-tokens')?.icon],
      ['JSON · Inactive', 'error']);
    const tokens = await rowsOf('Access Tokens', 'CI pipeline');
    assert.equal(tokens.find((r) => r.label === 'CI pipeline')?.icon, 'warning');
    assert.match(tokens.find((r) => r.label === 'Old laptop')?.description ?? '', /^Expired on /);
    await widenSideBar();
    const path = await screenshot(page, 'penpot-views');
    assert.ok(path.endsWith('penpot-views.png'));
  });

  it('says in the webhook tooltip what Penpot counts toward the auto-disable, and writes a screenshot of it', async () => {
    await treeRow('Teams', 'builds.example.net/penpot/rebuild-tokens').hover();
    const hover = page.locator('.monaco-hover', { hasText: 'Errors in a row' }).first();
    await hover.waitFor({ state: 'visible', timeout: WAIT_MS });
    const text = (await hover.textContent()) ?? '';
    assert.match(text, /counts only deliveries that cannot reach the endpoint/);
    assert.match(text, /could not reach the endpoint/);
    assert.doesNotMatch(text, /answers 200 or 204/);
    await screenshot(page, 'webhook-tooltip');
    await page.mouse.move(5, 5);
    await runCommand(page, 'Preferences: Open Settings (UI)');
    const search = page.locator('.settings-editor .suggest-input-container .monaco-editor').first();
    await search.waitFor({ state: 'visible', timeout: WAIT_MS });
    await search.click();
    await page.keyboard.type('penpot.receiver.responseStatus');
    const setting = page.locator('.settings-editor .setting-item-contents', { hasText: 'Response Status' }).first();
    await setting.waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.match((await setting.textContent()) ?? '', /never counts an answered delivery/);
    await screenshot(page, 'receiver-answer-status-setting');
    await page.keyboard.press('Control+W');
  });

  it('creates a webhook with the multi-step input (team, URL, format, active)', async () => {
    await runCommand(page, 'Penpot: Create Webhook');
    await step(/Create Webhook \(1\/4\)/);
    await pickQuickPickItem(page, 'Your Penpot');
    await step(/Create Webhook \(2\/4\)/);
    await answerInputStep(page, `${hookOrigin}/from-ui`);
    await step(/Create Webhook \(3\/4\)/);
    await pickQuickPickItem(page, 'Transit');
    await step(/Create Webhook \(4\/4\)/);
    await pickQuickPickItem(page, 'Active');
    const created = await waitUntil(page, 'the webhook in the twin', async () =>
      twin.state.webhooks.find((w) => w.uri === `${hookOrigin}/from-ui`));
    assert.deepEqual([created.teamId, created.mtype, created.isActive], [TEAM_YOURS, 'application/transit+json', true]);
    const rows = await rowsOf('Teams', `${new URL(hookOrigin).host}/from-ui`);
    assert.equal(rows.find((r) => r.label === `${new URL(hookOrigin).host}/from-ui`)?.description, 'Transit · Active');
  });

  it('shows Penpot\'s refusal of a URL under the URL field, in Penpot\'s words, ready to fix', async () => {
    const count = twin.state.webhooks.length;
    await runCommand(page, 'Penpot: Create Webhook');
    await step(/Create Webhook \(1\/4\)/);
    await pickQuickPickItem(page, 'Your Penpot');
    const urlStep = await step(/Create Webhook \(2\/4\)/);
    // Validation as you type: not yet an http(s) URL.
    await page.locator('.quick-input-widget .quick-input-box input').first().fill('ftp://x');
    await waitUntil(page, 'the as-you-type validation message', async () =>
      /must start with http:\/\/ or https:\/\//.test((await quickInputState()).message) ? true : undefined);
    await answerInputStep(page, 'http://10.20.30.40/hook');
    await step(/Create Webhook \(3\/4\)/);
    await pickQuickPickItem(page, 'JSON');
    await step(/Create Webhook \(4\/4\)/);
    await pickQuickPickItem(page, 'Active');
    const refused = await waitUntil(page, 'the URL step to come back with Penpot\'s reason', async () => {
      const state = await quickInputState();
      return state.title === urlStep.title && /Connection error, URL not reacheable/.test(state.message) ? state : undefined;
    });
    assert.match(refused.message, /PENPOT_SSRF_ALLOWED_HOSTS/);
    assert.equal(refused.value, 'http://10.20.30.40/hook');
    await page.keyboard.press('Escape');
    assert.equal(twin.state.webhooks.length, count);
  });

  it('offers only allowed actions in the context menu', async () => {
    await rowsOf('Teams', 'marketing.example.com/webhooks/penpot');
    const readOnly = await contextMenuEntries(treeRow('Teams', 'marketing.example.com/webhooks/penpot'));
    await page.keyboard.press('Escape');
    assert.ok(readOnly.includes('Copy Webhook URL'), JSON.stringify(readOnly));
    assert.ok(!readOnly.some((e) => /Edit|Delete|Disable|Enable/.test(e)), JSON.stringify(readOnly));
    const autoDisabled = await contextMenuEntries(treeRow('Teams', 'builds.example.net/penpot/rebuild-tokens'));
    await page.keyboard.press('Escape');
    for (const entry of ['Re-enable Webhook (Reset Errors)', 'Edit Webhook…', 'Copy Webhook URL', 'Delete Webhook…']) {
      assert.ok(autoDisabled.includes(entry), `${entry} missing from ${JSON.stringify(autoDisabled)}`);
    }
    // A team at Penpot's quota keeps "Create Webhook" visible but greyed out; its tooltip says why.
    await contextMenuEntries(treeRow('Teams', 'Agency Clients'));
    const create = page.locator('.context-view .monaco-menu .action-item', { hasText: 'Create Webhook' });
    assert.match((await create.getAttribute('class')) ?? '', /\bdisabled\b/);
    await page.keyboard.press('Escape');
    await contextMenuEntries(treeRow('Teams', 'Your Penpot'));
    const createOnFree = page.locator('.context-view .monaco-menu .action-item', { hasText: 'Create Webhook' });
    assert.doesNotMatch((await createOnFree.getAttribute('class')) ?? '', /\bdisabled\b/);
    await page.keyboard.press('Escape');
  });

  it('deletes a webhook from its context menu after a modal confirmation', async () => {
    const label = `${new URL(hookOrigin).host}/from-ui`;
    await contextMenuEntries(treeRow('Teams', label));
    await chooseMenuEntry('Delete Webhook…');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.match((await dialog.textContent()) ?? '', /This cannot be undone/);
    await dialog.locator('.monaco-button', { hasText: 'Delete Webhook' }).click();
    await waitUntil(page, 'the webhook to leave the twin', async () =>
      twin.state.webhooks.some((w) => w.uri === `${hookOrigin}/from-ui`) ? undefined : true);
    await waitUntil(page, 'the row to leave the tree', async () =>
      (await readTreeRows(page, 'Teams')).some((r) => r.label === label) ? undefined : true);
  });

  it('signs out through the palette and the welcome view returns', async () => {
    await runCommand(page, 'Penpot: Sign Out');
    await notificationText(/Signed out of Penpot/);
    assert.match(await welcomeText('Teams'), /Sign In/);
    assert.match(await welcomeText('Access Tokens'), /Sign In/);
  });

  it('signs in again from the status bar item\'s account actions', async () => {
    await page.locator('.statusbar-item', { hasText: 'Penpot: Signed Out' }).first().click();
    await step(/Penpot: signed out/);
    await pickQuickPickItem(page, 'Sign In…');
    await step(/Sign In to Penpot \(1\/2\)/);
    await answerInputStep(page, twin.url);
    await step(/Sign In to Penpot \(2\/2\)/);
    await answerInputStep(page, twin.demoToken);
    await waitUntil(page, 'the status bar to show Ada', async () =>
      (await page.locator('.statusbar-item', { hasText: 'Ada Lovelace' }).count()) > 0 ? true : undefined);
  });

  it('creates an access token, shows it once with Copy and Sign In, and signs in with it', async () => {
    await runCommand(page, 'Penpot: Create Access Token');
    await step(/Create Access Token \(1\/2\)/);
    await answerInputStep(page, 'UI test token');
    await step(/Create Access Token \(2\/2\)/);
    await pickQuickPickItem(page, '30 days');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: WAIT_MS });
    const created = twin.state.tokens.find((t) => t.name === 'UI test token');
    assert.ok(created, 'the twin has no such token');
    const text = (await dialog.textContent()) ?? '';
    assert.match(text, /Access token "UI test token" created/);
    assert.match(text, /cannot be shown again/);
    assert.ok(text.includes(created.value), 'the dialog does not show the new token');
    assert.ok(await dialog.locator('.monaco-button', { hasText: /^Copy$/ }).isVisible());
    // The token exists once shown: dismissing closes the dialog, there is nothing left to cancel.
    assert.ok(await dialog.locator('.monaco-button', { hasText: /^Close$/ }).isVisible());
    assert.equal(await dialog.locator('.monaco-button', { hasText: /^Cancel$/ }).count(), 0);
    await screenshot(page, 'token-created-once');
    await dialog.locator('.monaco-button', { hasText: 'Sign In with This Token' }).click();
    const rows = await waitUntil(page, 'the new token marked as the one signed in with', async () => {
      const tokenRows = await readTreeRows(page, 'Access Tokens');
      return tokenRows.some((r) => r.label === 'UI test token' && /signed in here/.test(r.description)) ? tokenRows : undefined;
    });
    assert.match(rows.find((r) => r.label === 'UI test token')?.description ?? '', /^Expires on /);
  });

  it('warns that deleting the token VS Code signed in with signs out, then does so', async () => {
    await contextMenuEntries(treeRow('Access Tokens', 'UI test token'));
    await chooseMenuEntry('Delete Access Token…');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.match((await dialog.textContent()) ?? '', /deleting it signs you out here/);
    await dialog.locator('.monaco-button', { hasText: 'Delete Token and Sign Out' }).click();
    await waitUntil(page, 'the token to leave the twin', async () =>
      twin.state.tokens.some((t) => t.name === 'UI test token') ? undefined : true);
    assert.match(await welcomeText('Teams'), /Sign In/);
    await waitUntil(page, 'the status bar to show signed out', async () =>
      (await page.locator('.statusbar-item', { hasText: 'Penpot: Signed Out' }).count()) > 0 ? true : undefined);
  });
});
