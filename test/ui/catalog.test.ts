// "Penpot: Browse Webhook Events" and "Penpot: Generate Webhook Types" driven as a person would in a real workbench
// (code-server + headless Chromium): open the catalog, filter it, select rename-file and read its routing, props and
// examples, Simulate it into the local receiver, Copy Type onto the clipboard, look at it in a dark and a light
// theme; then generate the types through the palette's picks, and replace a changed file only after the question;
// last, a window reload brings the catalog back as it was.
// Screenshots go to test-results/screenshots/.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { generateWebhookTypes } from '../../src/penpot/typesGen';
import { pickQuickPickItem, readTreeRows, runCommand, screenshot, waitUntil, webviewFrame } from '../harness/ui';
import { openWorkbench, type Workbench } from '../harness/workbench';

const WAIT_MS = 20_000;

let workbench: Workbench;
let page: Page;
let catalog: FrameLocator;
let workspace: string;

/** Names of the listed events, top to bottom. */
async function listedEvents(): Promise<string[]> {
  return catalog.locator('#event-list .event-item .event-name').allTextContents();
}

async function waitForList(what: string, check: (names: string[]) => boolean): Promise<string[]> {
  return waitUntil(page, what, async () => {
    const names = await listedEvents();
    return check(names) ? names : undefined;
  });
}

async function exampleShows(tab: 'json' | 'transit' | 'schema' | 'type', check: (text: string) => boolean): Promise<string> {
  await catalog.locator(`#tab-${tab}`).click();
  return waitUntil(page, `the ${tab} tab`, async () => {
    const text = (await catalog.locator('#example').textContent()) ?? '';
    return check(text) ? text : undefined;
  });
}

/** The props table as [name, JSON type, optional] rows. */
async function propsRows(): Promise<string[][]> {
  return catalog.locator('#props tbody tr').evaluateAll((rows) => rows.map((row) =>
    [...row.querySelectorAll('td')].slice(0, 4).filter((_, i) => i !== 2).map((cell) => (cell.querySelector('code')?.textContent ?? cell.textContent ?? '').trim())));
}

describe('Penpot webhook event catalog in the workbench', { timeout: 6 * 60_000 }, () => {
  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'penpot-catalog-ws-'));
    workbench = await openWorkbench({ workspace, settings: { 'penpot.receiver.port': 0, 'workbench.colorTheme': 'Default Dark Modern' } });
    page = workbench.page;
    await waitUntil(page, 'the extension to activate', async () =>
      (await page.locator('.statusbar-item', { hasText: 'Penpot' }).count()) > 0 ? true : undefined, 60_000);
  });

  after(async () => {
    await workbench?.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('lists the 24 events grouped by subject, and the filter narrows them by name or prop', async () => {
    await runCommand(page, 'Penpot: Browse Webhook Events');
    catalog = webviewFrame(page);
    const all = await waitForList('the 24 events', (names) => names.length === 24);
    assert.equal(new Set(all).size, 24);
    assert.deepEqual(await catalog.locator('.group-title').allTextContents(), ['Files', 'Libraries', 'Projects', 'Comments', 'Fonts', 'Import and export']);
    assert.equal((await catalog.locator('#count').textContent())?.trim(), '24 events');
    assert.match((await catalog.locator('#provenance').textContent()) ?? '', /Read from Penpot's source code: Penpot publishes no webhook documentation/);

    // Names and what a person does: renaming a font family is update-font.
    await catalog.locator('#filter').fill('rename');
    assert.deepEqual(await waitForList('the rename events', (names) => names.length === 3), ['rename-file', 'rename-project', 'update-font']);
    assert.equal((await catalog.locator('#count').textContent())?.trim(), '3 of 24');
    // A prop's name finds the events that carry it, in either key style.
    await catalog.locator('#filter').fill('prev-name');
    assert.deepEqual(await waitForList('the event with prevName', (names) => names.length === 1), ['rename-project']);
    await catalog.locator('#filter').fill('no such thing');
    await waitForList('an empty list', (names) => names.length === 0);
    assert.equal(await catalog.locator('#no-match').isVisible(), true);
    await catalog.locator('#filter').fill('rename-file');
    await waitForList('rename-file alone', (names) => names.length === 1);
  });

  it('shows rename-file: what causes it, who it reaches, its debounce, its fields and props, and both examples', async () => {
    await catalog.locator('.event-item[data-name="rename-file"]').click();
    await waitUntil(page, 'the rename-file detail', async () => ((await catalog.locator('.detail-title').textContent()) === 'rename-file' ? true : undefined));
    assert.equal((await catalog.locator('#description').textContent())?.trim(), 'Someone renames a file.');
    assert.match((await catalog.locator('#reaches').textContent()) ?? '', /team that owns the project in props\.projectId/);
    assert.equal((await catalog.locator('#debounce').textContent())?.trim(), 'None: every call is delivered.');
    await waitUntil(page, 'the generated example', async () => ((await catalog.locator('#example').textContent())?.startsWith('{') ? true : undefined));
    await screenshot(page, 'catalog-dark');
    assert.deepEqual(await propsRows(), [
      ['name', 'string', '—'],
      ['id', 'string (uuid)', '—'],
      ['projectId', 'string (uuid)', '—'],
      ['createdAt', 'string (ISO instant)', '—'],
      ['modifiedAt', 'string (ISO instant)', '—'],
    ]);
    // The 2.15+ payload: no top-level id.
    assert.deepEqual(await catalog.locator('#top-fields tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-field'))),
      ['name', 'trackedAt', 'profileId', 'createdAt', 'props']);

    const json = JSON.parse(await exampleShows('json', (t) => t.startsWith('{'))) as { name: string; props: Record<string, unknown> };
    assert.equal(json.name, 'rename-file');
    assert.deepEqual(Object.keys(json.props).sort(), ['createdAt', 'id', 'modifiedAt', 'name', 'projectId']);
    const transit = await exampleShows('transit', (t) => t.startsWith('["^ ",'));
    // The same payload: its Transit carries the JSON example's ids (Transit writes uuids as ~u…).
    assert.ok(transit.includes(`"~u${String(json.props.id)}"`), transit);
    assert.match(transit, /"~:name", "rename-file"/);
    const schema = JSON.parse(await exampleShows('schema', (t) => t.includes('$schema'))) as { required: string[] };
    assert.deepEqual(schema.required, ['name', 'trackedAt', 'profileId', 'createdAt', 'props']);
    await exampleShows('json', (t) => t.startsWith('{'));
    await screenshot(page, 'catalog-dark-examples');
  });

  it('picks another payload shape: Penpot 2.14 adds the top-level id', async () => {
    await catalog.locator('#shape').selectOption('2.14');
    await waitUntil(page, 'the 2.14 fields', async () =>
      ((await catalog.locator('#top-fields tbody tr[data-field="id"]').count()) === 1 ? true : undefined));
    const json = JSON.parse(await exampleShows('json', (t) => t.includes('"id"') && t.startsWith('{'))) as Record<string, unknown>;
    assert.equal(typeof json.id, 'string');
    await catalog.locator('#shape').selectOption('2.15+');
    await waitUntil(page, 'the 2.15+ fields', async () =>
      ((await catalog.locator('#top-fields tbody tr[data-field="id"]').count()) === 0 ? true : undefined));
  });

  it('Simulate sends the event to the local receiver, where the Receiver view counts it and the viewer lists it', async () => {
    await catalog.locator('#simulate').click();
    const status = await waitUntil(page, 'the simulate outcome', async () => {
      const text = (await catalog.locator('#action-status').textContent()) ?? '';
      return /answered|failed/.test(text) ? text : undefined;
    });
    assert.match(status, /Sent rename-file \(JSON, 2\.15\+\) to the receiver, which answered 204/);
    const rows = await waitUntil(page, 'the Receiver view to count the event', async () => {
      const shown = await readTreeRows(page, 'Receiver');
      return shown.some((r) => r.label === 'Events' && r.description === '1 stored') ? shown : undefined;
    });
    assert.ok(rows.length > 0);
    await catalog.locator('#show-in-viewer').click();
    const viewer = webviewFrame(page);
    await waitUntil(page, 'the viewer listing rename-file', async () =>
      ((await viewer.locator('.list-spacer > .list-row[data-id] .event-name').allTextContents()).includes('rename-file') ? true : undefined));
    await page.locator('.tab', { hasText: 'Penpot Webhook Events' }).click();
    catalog = webviewFrame(page);
    await waitUntil(page, 'the catalog back on rename-file', async () => ((await catalog.locator('.detail-title').textContent()) === 'rename-file' ? true : undefined));
  });

  it('Copy Type puts the event interface from the generator on the clipboard', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(workbench.url).origin });
    await catalog.locator('#copy-type').click();
    const copied = await waitUntil(page, 'the type on the clipboard', async () => {
      const text = await page.evaluate(() => navigator.clipboard.readText());
      return text.includes('interface RenameFileEvent') ? text : undefined;
    });
    assert.ok(generateWebhookTypes('2.15+').includes(copied.slice(copied.indexOf('/** Props of `rename-file`.'))), 'the generator\'s declarations');
    assert.match((await catalog.locator('#action-status').textContent()) ?? '', /Copied interface RenameFileEvent/);
    await catalog.locator('#copy-example').click();
    await waitUntil(page, 'the JSON example on the clipboard', async () => {
      const text = await page.evaluate(() => navigator.clipboard.readText());
      return text === (await catalog.locator('#example').textContent()) ? true : undefined;
    });
  });

  it('reads well in a light theme too, and shows why set-file-shared partly reaches nobody', async () => {
    await runCommand(page, 'Preferences: Color Theme');
    await pickQuickPickItem(page, 'Light Modern');
    await page.locator('.monaco-workbench.vs').waitFor({ timeout: WAIT_MS });
    catalog = webviewFrame(page);
    await catalog.locator('#filter').fill('');
    await catalog.locator('.event-item[data-name="set-file-shared"]').click();
    await waitUntil(page, 'the set-file-shared detail', async () => ((await catalog.locator('.detail-title').textContent()) === 'set-file-shared' ? true : undefined));
    assert.match((await catalog.locator('#reaches-nobody').textContent()) ?? '', /Publishing \(isShared: true\) reaches no webhook/);
    await screenshot(page, 'catalog-light');
  });

  it('Generate Webhook Types asks where and for which Penpot, writes and opens the file; from the catalog it asks before replacing a changed one', async () => {
    await runCommand(page, 'Penpot: Generate Webhook Types');
    await pickQuickPickItem(page, 'src/penpot-webhooks.ts');
    await pickQuickPickItem(page, 'Penpot 2.15 and later');
    const file = join(workspace, 'src', 'penpot-webhooks.ts');
    await waitUntil(page, 'the generated file', async () => {
      try {
        return readFileSync(file, 'utf8') === generateWebhookTypes('2.15+') ? true : undefined;
      } catch {
        return undefined;
      }
    });
    await page.locator('.tab', { hasText: 'penpot-webhooks.ts' }).waitFor({ timeout: WAIT_MS });
    await screenshot(page, 'catalog-generated-types');

    // From the catalog's toolbar: the shape picked there, so only "where" is asked.
    writeFileSync(file, '// edited by hand\n');
    await page.locator('.tab', { hasText: 'Penpot Webhook Events' }).click();
    catalog = webviewFrame(page);
    await catalog.locator('#shape').selectOption('2.14');
    await catalog.locator('#generate-types').click();
    await pickQuickPickItem(page, 'src/penpot-webhooks.ts');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: WAIT_MS });
    assert.match((await dialog.textContent()) ?? '', /Replace src\/penpot-webhooks\.ts\?/);
    await dialog.locator('.monaco-button', { hasText: 'Replace' }).click();
    await waitUntil(page, 'the replaced file', async () => (readFileSync(file, 'utf8') === generateWebhookTypes('2.14') ? true : undefined));
  });

  it('restores the catalog after a window reload: its event, payload shape and example tab', async () => {
    const catalogTab = page.locator('.tab', { hasText: 'Penpot Webhook Events' });
    await catalogTab.click();
    catalog = webviewFrame(page);
    await catalog.locator('.event-item[data-name="create-project"]').click();
    await waitUntil(page, 'the create-project detail', async () => ((await catalog.locator('.detail-title').textContent()) === 'create-project' ? true : undefined));
    await exampleShows('transit', (text) => text.includes('create-project'));
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await catalogTab.click();
    catalog = webviewFrame(page);
    await waitUntil(page, 'the restored catalog showing create-project', async () =>
      ((await catalog.locator('.detail-title').textContent({ timeout: 1000 })) === 'create-project' ? true : undefined), 60_000);
    assert.equal(await catalog.locator('#shape').inputValue(), '2.14');
    assert.equal(await catalog.locator('#tab-transit').getAttribute('aria-selected'), 'true');
    assert.match((await catalog.locator('#example').textContent()) ?? '', /create-project/);
    assert.equal(await catalogTab.count(), 1, 'one catalog per window');
  });
});
