// Exercises each UI driver helper (test/harness/ui.ts) against VS Code's built-ins in a workbench session with the
// extension loaded, on a copy of a small fixture workspace.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { answerInputBox, pickQuickPickItem, readTreeRows, runCommand, screenshot, webviewFrame } from '../harness/ui';
import { keepArtifactsOnFailure, openWorkbench, VIEWPORT, type Workbench } from '../harness/workbench';

const fixtureWorkspace = join(__dirname, 'fixtures', 'workspace');
const UI_WAIT_MS = 15_000;

describe('UI driver against a VS Code workbench', { timeout: 5 * 60_000 }, () => {
  let workbench: Workbench;
  const step = (name: string, steps: () => Promise<void>) => () => keepArtifactsOnFailure(workbench, name, steps);

  before(async () => {
    // Word wrap off is the baseline the toggle test relies on, set through the session's user settings.
    workbench = await openWorkbench({ workspaceTemplate: fixtureWorkspace, settings: { 'editor.wordWrap': 'off' } });
  });

  after(async () => {
    await workbench?.close();
  });

  it('readTreeRows lists the Explorer rows of the fixture workspace', step('explorer-rows', async () => {
    const rows = await readTreeRows(workbench.page, 'workspace');
    assert.deepEqual(rows.map((r) => r.label).sort(), ['README.md', 'docs', 'notes.txt']);
    const docs = rows.find((r) => r.label === 'docs');
    assert.equal(docs?.expanded, false, 'a folder row is expandable and collapsed');
    assert.equal(docs?.level, 1);
    const readme = rows.find((r) => r.label === 'README.md');
    assert.equal(readme?.expanded, undefined, 'a file row is a leaf');
    assert.match(readme?.icon ?? '', /file-icon/);
  }));

  it('runCommand and pickQuickPickItem open a file through "Go to File..."', step('go-to-file', async () => {
    const { page } = workbench;
    await runCommand(page, 'Go to File...');
    await pickQuickPickItem(page, 'notes.txt');
    await page.locator('.tab.active', { hasText: 'notes.txt' }).waitFor({ timeout: UI_WAIT_MS });
  }));

  it('runCommand reports a title the palette does not have, with the closest items', step('unknown-command', async () => {
    const { page } = workbench;
    await assert.rejects(runCommand(page, 'View: Toggle Nothing At All', { timeoutMs: 3000 }), /no command titled "View: Toggle Nothing At All"/);
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: UI_WAIT_MS });
  }));

  it('answerInputBox answers the "Go to Line/Column..." box', step('go-to-line', async () => {
    const { page } = workbench;
    await runCommand(page, 'Go to Line/Column...');
    await answerInputBox(page, ':3');
    await page.locator('.statusbar-item', { hasText: 'Ln 3, Col 1' }).waitFor({ timeout: UI_WAIT_MS });
  }));

  it('runCommand toggles word wrap, which wraps the long line of notes.txt', step('word-wrap', async () => {
    const { page } = workbench;
    const viewLines = page.locator('.editor-group-container.active .monaco-editor .view-line');
    const before = await viewLines.count();
    await runCommand(page, 'View: Toggle Word Wrap');
    await assert.doesNotReject(
      page.waitForFunction(
        (n) => document.querySelectorAll('.editor-group-container.active .monaco-editor .view-line').length > n,
        before,
        { timeout: UI_WAIT_MS },
      ),
      `still ${before} visual lines after toggling word wrap`,
    );
  }));

  it('pickQuickPickItem opens the Search view from "View: Open View"', step('open-view', async () => {
    const { page } = workbench;
    await runCommand(page, 'View: Open View');
    await pickQuickPickItem(page, 'Search');
    await page.locator('.part.sidebar .composite.title', { hasText: /search/i }).waitFor({ timeout: UI_WAIT_MS });
  }));

  it('webviewFrame reads the rendered Markdown preview of README.md', step('markdown-preview', async () => {
    const { page } = workbench;
    await runCommand(page, 'Go to File...');
    await pickQuickPickItem(page, 'README.md');
    await page.locator('.tab.active', { hasText: 'README.md' }).waitFor({ timeout: UI_WAIT_MS });
    await runCommand(page, 'Markdown: Open Preview');
    const heading = webviewFrame(page).locator('h1');
    await heading.waitFor({ timeout: UI_WAIT_MS });
    assert.equal((await heading.textContent())?.trim(), 'Fixture workspace');
  }));

  it('screenshot writes a PNG of the workbench under test-results/screenshots', step('screenshot', async () => {
    const file = await screenshot(workbench.page, 'ui-driver-workbench');
    assert.ok(existsSync(file), file);
    const png = readFileSync(file);
    assert.equal(png.toString('latin1', 1, 4), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [VIEWPORT.width, VIEWPORT.height]);
  }));
});
