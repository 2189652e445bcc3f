// The webhook receiver and its payload viewer, driven as a person would in a real workbench (code-server + headless
// Chromium) against the Penpot twin running in this process: start, simulate from the palette, sign in and register
// the receiver on a twin team, the twin's delivery appearing in the viewer, search and event filter, the detail
// tabs, a hostile payload staying text, a replay answered 202 shown as a warning (Penpot counts only 200/204), a
// window reload restoring the viewer and restarting the receiver, 10,000 events, every event checked against
// Penpot's contract (a match, a drift and a wrong type, the "Does not match" filter), and Stop deleting the webhook.
// Screenshots go to test-results/screenshots/.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { request } from 'undici';
import { buildPenpotEvent, encodePenpotEvent } from '../../src/penpot/events';
import { startTwin, type RunningTwin } from '../../src/twin';
import { answerInputBox, answerInputStep, pickQuickPickItem, readTreeRows, runCommand, screenshot, waitUntil, webviewFrame } from '../harness/ui';
import { openWorkbench, type Workbench } from '../harness/workbench';

const TEAM_YOURS = '03d59eb4-1d28-4e78-ba19-bdf94070412e';
const WAIT_MS = 20_000;
/** Markup a payload may carry; the viewer must show it as characters. */
const HOSTILE = `<img src=x onerror="document.title='pwned'"><script>document.title='pwned'</script>`;
const MANY = 10_000;

let twin: RunningTwin;
let workbench: Workbench;
let page: Page;
let viewer: FrameLocator;
let receiverUrl = '';

/** Waits for the quick pick whose placeholder matches, and returns the text of its list (items, details, separators). */
async function quickPickShowing(placeholder: RegExp): Promise<string> {
  const widget = page.locator('.quick-input-widget');
  await waitUntil(page, `a quick pick asking ${placeholder}`, async () =>
    placeholder.test((await widget.locator('.quick-input-box input').first().getAttribute('placeholder')) ?? '') ? true : undefined, 60_000);
  return widget.locator('.quick-input-list').innerText();
}

/** Event names of the viewer's rows as drawn, top to bottom. */
async function listedEvents(): Promise<string[]> {
  const rows = viewer.locator('.list-spacer > .list-row[data-id]:not([hidden])');
  return rows.evaluateAll((elements) => elements
    .map((el) => ({ top: new DOMMatrixReadOnly(getComputedStyle(el).transform).m42, name: el.querySelector('.event-name')?.textContent ?? '' }))
    .sort((a, b) => a.top - b.top)
    .map((r) => r.name));
}

async function waitForList(what: string, check: (names: string[]) => boolean): Promise<string[]> {
  return waitUntil(page, what, async () => {
    const names = await listedEvents();
    return check(names) ? names : undefined;
  });
}

/** The row drawn at `index` (0 = top): rows keep their element while they move, so DOM order is not list order. */
function row(index: number): Locator {
  return viewer.locator(`.list-spacer > .list-row[data-id]:not([hidden])[aria-posinset="${index + 1}"]`);
}

async function detailTitle(): Promise<string> {
  return waitUntil(page, 'the detail title', async () => (await viewer.locator('.detail-title').textContent({ timeout: 1000 }))?.trim() || undefined);
}

/** Waits until the detail pane shows the event `name` (a click loads the detail asynchronously). */
async function detailShows(name: string): Promise<void> {
  await waitUntil(page, `the detail of ${name}`, async () => ((await detailTitle()) === name ? true : undefined));
}

async function showTab(name: 'decoded' | 'raw' | 'headers' | 'forward'): Promise<Locator> {
  await viewer.locator(`#tab-${name}`).click();
  await waitUntil(page, `the ${name} tab`, async () => ((await viewer.locator(`#tab-${name}`).getAttribute('aria-selected')) === 'true' ? true : undefined));
  return viewer.locator('#detail-body');
}

async function openViewerFrame(): Promise<void> {
  viewer = webviewFrame(page);
  await viewer.locator('#app .toolbar').waitFor({ timeout: WAIT_MS });
}

describe('Webhook receiver and payload viewer in the workbench', { timeout: 8 * 60_000 }, () => {
  before(async () => {
    twin = await startTwin();
    workbench = await openWorkbench({
      settings: { 'penpot.serverUrl': twin.url, 'penpot.receiver.port': 0, 'penpot.receiver.maxEvents': MANY },
    });
    page = workbench.page;
    // The extension has activated once its account item is in the status bar; commands typed earlier can get lost.
    await waitUntil(page, 'the extension to activate', async () =>
      (await page.locator('.statusbar-item', { hasText: 'Penpot' }).count()) > 0 ? true : undefined, 60_000);
  });

  after(async () => {
    await workbench?.close();
    await twin?.close();
  });

  it('starts the receiver and simulates events from the palette; the viewer lists them newest first', async () => {
    await runCommand(page, 'Penpot: Start Webhook Receiver');
    await waitUntil(page, 'the receiver status bar item', async () =>
      (await page.locator('.statusbar-item', { hasText: '127.0.0.1:' }).count()) > 0 ? true : undefined);
    await runCommand(page, 'Penpot: Simulate Webhook Event');
    await pickQuickPickItem(page, 'rename-file');
    await pickQuickPickItem(page, 'JSON');
    await openViewerFrame();
    await waitForList('the simulated rename-file', (names) => names.length === 1);
    await runCommand(page, 'Penpot: Simulate Webhook Event');
    await pickQuickPickItem(page, 'create-project');
    await pickQuickPickItem(page, 'Transit');
    const names = await waitForList('both simulated events', (n) => n.length === 2);
    assert.deepEqual(names, ['create-project', 'rename-file']);
    assert.match((await viewer.locator('#receiver-status').textContent()) ?? '', /^Listening on 127\.0\.0\.1:\d+ · answers 204/);
    assert.equal((await row(0).locator('.col-format').textContent())?.trim(), 'Transit');
    assert.equal((await row(0).locator('.tag').textContent())?.trim(), 'sim');
    // The time's tooltip, the date with the time, is made when the pointer reaches the cell.
    const time = row(0).locator('.col-time');
    await time.hover();
    const title = await waitUntil(page, 'the time tooltip', async () => (await time.getAttribute('title')) || undefined);
    assert.ok(title.endsWith(` ${(await time.textContent())?.trim()}`), title);
  });

  it('registers the receiver on a twin team, explaining in the pick why a local URL needs the allow-list', async () => {
    await runCommand(page, 'Penpot: Sign In');
    await answerInputStep(page, twin.url);
    await answerInputStep(page, twin.demoToken);
    await waitUntil(page, 'the status bar to show Ada', async () =>
      (await page.locator('.statusbar-item', { hasText: 'Ada Lovelace' }).count()) > 0 ? true : undefined);

    await runCommand(page, 'Penpot: Register Receiver as Team Webhook');
    const explanation = await quickPickShowing(/How will Penpot reach this receiver/);
    assert.match(explanation, /Penpot refuses loopback URLs such as 127\.0\.0\.1:\d+/);
    assert.match(explanation, /SSRF guard/);
    assert.match(explanation, /PENPOT_SSRF_ALLOWED_HOSTS/);
    assert.match(explanation, /Use a tunnel or a public forwarded port/);
    assert.match(explanation, /host\.docker\.internal/);
    await screenshot(page, 'receiver-register-pick');
    await pickQuickPickItem(page, 'Use the local URL anyway (self-hosted Penpot with PENPOT_SSRF_ALLOWED_HOSTS)');
    await pickQuickPickItem(page, 'Your Penpot');
    await pickQuickPickItem(page, 'JSON');
    const webhook = await waitUntil(page, 'the webhook in the twin', async () =>
      twin.state.webhooks.find((w) => w.teamId === TEAM_YOURS && /\/hooks\/[A-Za-z0-9_-]+$/.test(w.uri)));
    assert.equal(webhook.isActive, true);
    assert.match(webhook.uri, /^http:\/\/127\.0\.0\.1:\d+\/hooks\//);
    receiverUrl = webhook.uri;
    const rows = await waitUntil(page, 'the Receiver view to list the registration', async () => {
      const shown = await readTreeRows(page, 'Receiver');
      return shown.some((r) => r.label === 'Your Penpot') ? shown : undefined;
    });
    const labelled = (label: string) => rows.find((r) => r.label === label);
    assert.match(labelled(rows[0].label)?.label ?? '', /^Listening on 127\.0\.0\.1:\d+$/);
    assert.equal(labelled('Local URL')?.description, new URL(receiverUrl).host);
    assert.equal(labelled('Forward')?.description, 'off');
    assert.equal(labelled('Receives from')?.description, '1 webhook in 1 team');
    assert.equal(labelled('Your Penpot')?.description, `${new URL(receiverUrl).host} · JSON`);
    assert.equal(labelled('Events')?.description, '2 stored');
    await screenshot(page, 'receiver-view');
  });

  it('shows the twin\'s delivery, with a hostile payload kept as text', async () => {
    const [delivery] = await twin.emit('rename-file', { teamId: TEAM_YOURS, props: { name: HOSTILE } });
    assert.equal(delivery.status, 204);
    await waitForList('the delivered event on top', (names) => names.length === 3);
    assert.equal(await row(0).locator('.tag').count(), 0, 'a real delivery is not marked simulated');
    await row(0).click();
    await detailShows('rename-file');
    // the payload shape of the twin's Penpot version (2.17: the 2.15+ shape)
    await waitUntil(page, 'the shape chip', async () => ((await viewer.locator('.chips .chip', { hasText: 'Penpot 2.15+' }).count()) > 0 ? true : undefined));

    const decoded = await showTab('decoded');
    const nameValue = decoded.locator('.tree-row', { has: viewer.locator('.tree-key', { hasText: /^name$/ }) }).last();
    assert.equal((await nameValue.locator('.tree-value').textContent())?.trim(), JSON.stringify(HOSTILE));
    // Nothing from the payload became markup: no image, no second script, and the script never ran.
    assert.equal(await viewer.locator('#app img').count(), 0);
    assert.equal(await viewer.locator('#app script').count(), 0);
    assert.notEqual(await viewer.locator('body').evaluate(() => document.title), 'pwned');
    await screenshot(page, 'receiver-viewer-hostile');

    const raw = await showTab('raw');
    const rawText = (await raw.locator('pre').textContent()) ?? '';
    assert.ok(rawText.includes('<img src=x onerror='), rawText.slice(0, 300));
    assert.equal((JSON.parse(rawText) as { props: { name: string } }).props.name, HOSTILE);

    const headers = await showTab('headers');
    const userAgent = headers.locator('tr', { has: viewer.locator('th', { hasText: /^user-agent$/i }) });
    assert.match((await userAgent.locator('td').textContent()) ?? '', /^penpot\/2\.17$/);
    assert.match((await headers.locator('tr.meta td').first().textContent()) ?? '', /^POST \/hooks\/\{secret\}$/);
  });

  it('decodes Transit with type badges and writes a screenshot of the viewer', async () => {
    await row(1).click();
    await detailShows('create-project');
    const decoded = await showTab('decoded');
    const badges = await decoded.locator('.badge').allTextContents();
    assert.ok(badges.includes('uuid') && badges.includes('instant'), `badges: ${badges.join(', ')}`);
    assert.match((await decoded.locator('.subbar').textContent()) ?? '', /Transit, decoded with its type tags/);
    await page.keyboard.press('Escape');
    await screenshot(page, 'receiver-viewer');
  });

  it('acts on the selected event: Open as JSON, Copy JSON, Copy as curl and Replay with its answer shown', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(workbench.url).origin });
    const clipboard = (): Promise<string> => page.evaluate(() => navigator.clipboard.readText());
    await detailShows('create-project');

    await viewer.locator('#action-openJson').click();
    const editor = page.locator('.editor-instance .view-lines').last();
    const text = await waitUntil(page, 'the JSON document', async () => {
      const shown = await editor.textContent();
      return shown && shown.includes('create-project') ? shown : undefined;
    });
    assert.match(text, /"profile-id":/);
    assert.ok(await page.locator('.tab', { hasText: /^2-create-project\.json/ }).count() > 0, 'a tab named after the event');

    await viewer.locator('#action-copyJson').click();
    const json = await waitUntil(page, 'the payload JSON on the clipboard', async () => {
      const copied = await clipboard();
      return copied.includes('"create-project"') ? copied : undefined;
    });
    assert.equal((JSON.parse(json) as { name: string }).name, 'create-project');

    await viewer.locator('#action-copyCurl').click();
    const curl = await waitUntil(page, 'a curl command on the clipboard', async () => {
      const copied = await clipboard();
      return copied.includes('curl -X ') ? copied : undefined;
    });
    // The body reaches curl through stdin from a quoted literal; every word is quoted, the method too.
    assert.match(curl, /^printf '%s' '/);
    assert.ok(curl.includes(`| curl -X 'POST' --url '${receiverUrl}'`), curl.slice(0, 400));
    assert.match(curl, /--data-binary @-$/);
    assert.match(curl, /-H 'content-type: application\/transit\+json'/);

    const target = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(202, { 'content-type': 'text/plain' }).end('accepted by the integration'));
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    try {
      await viewer.locator('#action-replay').click();
      await answerInputBox(page, `http://127.0.0.1:${(target.address() as AddressInfo).port}/replayed`);
      const forwardTab = await waitUntil(page, 'the replay result', async () =>
        (await viewer.locator('#tab-forward').getAttribute('aria-selected')) === 'true' ? viewer.locator('#detail-body') : undefined);
      const result = (await forwardTab.locator('.result').first().innerText()).replace(/\s+/g, ' ');
      assert.match(result, /^Replay Target http:\/\/127\.0\.0\.1:\d+\/replayed Status 202 /);
      assert.match(result, /accepted by the integration/);
      // A 2xx other than 200/204 works for HTTP but is a failed delivery for Penpot (§4.1): a warning, not green.
      const status = forwardTab.locator('.result').first().locator('td.status');
      assert.equal(await status.getAttribute('class'), 'status warn');
      assert.match((await status.getAttribute('title')) ?? '', /^Penpot would count 202 as a failed delivery: only 200 and 204 count as delivered/);
      assert.equal(await status.locator('.codicon-warning').count(), 1);
      await screenshot(page, 'receiver-viewer-replay');
    } finally {
      await new Promise<void>((resolve) => target.close(() => resolve()));
    }
  });

  it('filters by free text over the payloads and by event name', async () => {
    await viewer.locator('#search').fill('onerror');
    assert.deepEqual(await waitForList('the search to narrow the list', (n) => n.length === 1), ['rename-file']);
    assert.match((await viewer.locator('#count').textContent()) ?? '', /^1 of 3 events$/);
    await viewer.locator('#search').fill('');
    await waitForList('the search to be cleared', (n) => n.length === 3);
    await viewer.locator('#event-filter').selectOption('rename-file');
    assert.deepEqual(await waitForList('the event filter', (n) => n.length === 2), ['rename-file', 'rename-file']);
    await viewer.locator('#event-filter').selectOption('');
    await waitForList('the filter to be cleared', (n) => n.length === 3);
    // Filters combine: format and event name, and the search on top.
    await viewer.locator('#format-filter').selectOption('transit');
    assert.deepEqual(await waitForList('the format filter', (n) => n.length === 1), ['create-project']);
    await viewer.locator('#event-filter').selectOption('rename-file');
    await waitForList('no row passing both filters', (n) => n.length === 0);
    assert.equal(await viewer.locator('#no-match').isVisible(), true);
    assert.match((await viewer.locator('#no-match').textContent()) ?? '', /No events match the filters\./);
    assert.match((await viewer.locator('#count').textContent()) ?? '', /^0 of 3 events$/);
    await viewer.locator('#clear-filters').click();
    await waitForList('every row again', (n) => n.length === 3);
    assert.equal(await viewer.locator('#no-match').isVisible(), false);
    assert.equal(await viewer.locator('#format-filter').inputValue(), '');
    // Every event is checked against Penpot's contract; these three are what Penpot sends.
    assert.equal(await viewer.locator('#check-filter').isVisible(), true);
    assert.deepEqual((await viewer.locator('#check-filter option').allTextContents()).map((t) => t.trim()), ['Any status (3)', 'Does not match (0)', 'Matches (3)']);
    assert.equal((await row(0).locator('.col-check').textContent())?.trim(), 'Matches');
  });

  it('restores the viewer, its list and its selection after a window reload, and starts the receiver again', async () => {
    const wasAt = /^Listening on (\S+)/.exec((await viewer.locator('#receiver-status').textContent()) ?? '')?.[1];
    assert.ok(wasAt, 'the receiver runs before the reload');
    const selected = (await listedEvents())[2];
    await row(2).click();
    await detailShows(selected);
    await viewer.locator('#tab-headers').click();
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await openViewerFrame();
    const names = await waitForList('the restored list', (n) => n.length === 3);
    assert.deepEqual(names, ['rename-file', 'create-project', 'rename-file']);
    await detailShows(selected);
    assert.equal(await viewer.locator('#tab-headers').getAttribute('aria-selected'), 'true');
    // It was running when the window went away, so it listens again without a Start (penpot.receiver.autoStart).
    const nowAt = await waitUntil(page, 'the receiver to listen again by itself', async () =>
      /^Listening on (\S+)/.exec((await viewer.locator('#receiver-status').textContent()) ?? '')?.[1]);
    assert.equal(await page.locator('.notifications-toasts .notification-toast').count(), 0, 'the restart shows no pop-up');
    // Port 0: the OS picks the port again. When it differs, the webhook Penpot has still points at the old one.
    const rows = await waitUntil(page, 'the Receiver view with the registration and the stored events', async () => {
      const shown = await readTreeRows(page, 'Receiver');
      return shown.some((r) => r.label === 'Your Penpot') && shown.some((r) => r.label === `Listening on ${nowAt}`) ? shown : undefined;
    });
    assert.equal(rows.find((r) => r.label === 'Events')?.description, '3 stored');
    const registration = rows.find((r) => r.label === 'Your Penpot');
    assert.equal(registration?.description, `${wasAt} · JSON`);
    assert.equal(registration?.icon, nowAt === wasAt ? 'organization' : 'warning');
    await screenshot(page, 'receiver-view-after-reload');
  });

  it(`keeps a virtualised list of ${MANY} events`, async () => {
    const listening = /^Listening on (\S+)/.exec((await viewer.locator('#receiver-status').textContent()) ?? '')?.[1];
    assert.ok(listening, 'the receiver listens');
    // Port 0 picked a new port; the secret path was kept (in SecretStorage) across the reload.
    const url = new URL(receiverUrl);
    url.host = listening;
    const target = url.toString();
    const { body, contentType } = encodePenpotEvent(buildPenpotEvent('update-file', { teamId: TEAM_YOURS }), 'json');
    // MANY - 1 more: the ring (maxEvents = MANY) drops the two simulated events and keeps the twin's delivery.
    let next = 0;
    const send = async (): Promise<void> => {
      while (next < MANY - 1) {
        next++;
        const answer = await request(target, { method: 'POST', body, headers: { 'content-type': contentType } });
        await answer.body.dump();
        assert.equal(answer.statusCode, 204);
      }
    };
    await Promise.all(Array.from({ length: 16 }, send));
    await waitUntil(page, 'the list to hold them all', async () =>
      (await viewer.locator('#count').textContent())?.trim() === `${MANY} events` ? true : undefined, 3 * 60_000);
    const drawn = await viewer.locator('.list-spacer > .list-row').count();
    assert.ok(drawn < 120, `${drawn} row elements for ${MANY} events`);
    const box = await viewer.locator('.list-scroll').evaluate((el) => ({ client: el.clientHeight, scroll: el.scrollHeight, window: innerHeight }));
    assert.ok(box.client > 0 && box.client <= box.window && box.scroll > box.client, `the list scrolls inside the panel: ${JSON.stringify(box)}`);
    await viewer.locator('.list-scroll').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    const bottom = await waitForList('the bottom of the list', (n) => n[n.length - 1] === 'rename-file');
    assert.ok(bottom.slice(0, -1).every((name) => name === 'update-file'), bottom.join(', '));
    await viewer.locator('#search').fill('onerror');
    assert.deepEqual(await waitForList('search among the events', (n) => n.length === 1), ['rename-file']);
    await viewer.locator('#search').fill('');
    await waitForList('the whole list again', (n) => n.length > 1);
    await viewer.locator('.list-scroll').evaluate((el) => { el.scrollTop = 0; });
    await screenshot(page, 'receiver-viewer-10k');
  });

  it('checks every event against Penpot\'s contract: match, drift and a wrong type, with a filter for what does not match', async () => {
    const url = new URL(receiverUrl);
    url.host = /^Listening on (\S+)/.exec((await viewer.locator('#receiver-status').textContent()) ?? '')?.[1] ?? url.host;
    const base = JSON.parse(encodePenpotEvent(buildPenpotEvent('rename-file', { teamId: TEAM_YOURS, props: { name: 'Checkout redesign' } }), 'json').body) as { props: Record<string, unknown> };
    const deliver = async (payload: unknown): Promise<void> => {
      const answer = await request(url.toString(), { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
      await answer.body.dump();
      assert.equal(answer.statusCode, 204);
    };
    await deliver({ ...base, props: { ...base.props, colour: 'teal' } }); // a field Penpot does not send
    await deliver({ ...base, props: { ...base.props, name: 42 } }); // a wrong type
    const status = async (index: number): Promise<string> => (await row(index).locator('.col-check').textContent())?.trim() ?? '';
    await waitUntil(page, 'both deliveries on top with their statuses', async () =>
      (await status(0)) === 'Invalid' && (await status(1)) === 'Drift' ? true : undefined);
    assert.equal(await status(2), 'Matches');
    assert.equal((await row(1).locator('.col-label').textContent())?.trim(), 'Checkout redesign', 'the catalog\'s summary column: the file name');

    await viewer.locator('#check-filter').selectOption('\u0000not-matching');
    assert.deepEqual(await waitForList('the mismatching events only', (n) => n.length === 2), ['rename-file', 'rename-file']);
    assert.match((await viewer.locator('#count').textContent()) ?? '', new RegExp(`^2 of ${MANY} events$`));
    await row(1).click();
    await waitUntil(page, 'the drift in the detail', async () =>
      /^Drift from rename-file \(Penpot 2\.15\+\)/.test((await viewer.locator('#contract .contract-head').textContent()) ?? '') ? true : undefined);
    assert.deepEqual(await viewer.locator('#contract li').allTextContents(), ['props.colour: a field Penpot does not send with rename-file']);
    assert.match((await viewer.locator('#contract .why').textContent()) ?? '', /derived from Penpot's source/);
    await row(0).click();
    await waitUntil(page, 'the wrong type in the detail', async () =>
      /^Does not match rename-file \(Penpot 2\.15\+\): 1 difference$/.test((await viewer.locator('#contract .contract-head').textContent()) ?? '') ? true : undefined);
    assert.deepEqual(await viewer.locator('#contract li').allTextContents(), ['props.name: expected string, got number 42']);
    // The status filter combines with the search.
    await viewer.locator('#search').fill('teal');
    assert.deepEqual(await waitForList('drift and search', (n) => n.length === 1), ['rename-file']);
    await row(0).click();
    await waitUntil(page, 'the drift selected', async () => ((await viewer.locator('#contract li').allTextContents()).length === 1 && (await viewer.locator('#contract.warn').count()) === 1 ? true : undefined));
    await screenshot(page, 'receiver-viewer-check');
    await viewer.locator('#search').fill('');
    await viewer.locator('#check-filter').selectOption('');
    await waitForList('every row again', (n) => n.length > 2);
    await row(2).click();
    await waitUntil(page, 'a match in the detail', async () =>
      /^Matches update-file \(Penpot 2\.15\+\)$/.test((await viewer.locator('#contract .contract-head').textContent()) ?? '') ? true : undefined);
    assert.equal(await viewer.locator('#contract li').count(), 0);
  });

  it('stops, deleting the webhook it was registered as', async () => {
    await runCommand(page, 'Penpot: Stop Webhook Receiver');
    const choices = await quickPickShowing(/registered as a webhook on Your Penpot\. What should happen to it\?/);
    assert.match(choices, /Deactivate the webhook/);
    await pickQuickPickItem(page, 'Delete the webhook');
    await waitUntil(page, 'the webhook to be deleted', async () => (twin.state.webhooks.some((w) => w.uri === receiverUrl) ? undefined : true));
    await waitUntil(page, 'the viewer to show the receiver stopped', async () =>
      /stopped/i.test((await viewer.locator('#receiver-status').textContent()) ?? '') ? true : undefined);
  });
});
