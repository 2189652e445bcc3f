// Drives a VS Code 1.139 workbench page with playwright-core, for UI tests that run in Node outside VS Code.
// Selectors follow the workbench DOM (quick input widget, pane headers, monaco list rows, webview iframes).
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { repoRoot, screenshotsDir } from './paths';

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;
const UI_TIMEOUT_MS = 15_000;
/** waitUntil's default: state that follows an extension round trip (RPC to the twin, tree refresh) can take longer. */
const WAIT_UNTIL_MS = 20_000;

async function visibleQuickInput(page: Page): Promise<Locator> {
  const widget = page.locator(QUICK_INPUT);
  await widget.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  return widget;
}

/**
 * The quick input row whose label is exactly `label` (highlight spans and codicons do not count). The locator is
 * resolved again when used, so a list that re-renders between finding and clicking does not break it.
 */
function exactRowLocator(page: Page, label: string): Locator {
  const exact = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  return page.locator(QUICK_INPUT_ROWS).filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
}

/** Waits up to `timeoutMs` for the row labelled exactly `label`; undefined if none shows up. */
async function findExactRow(page: Page, label: string, timeoutMs: number): Promise<Locator | undefined> {
  const row = exactRowLocator(page, label);
  try {
    await row.waitFor({ state: 'visible', timeout: Math.max(1, timeoutMs) });
    return row;
  } catch {
    return undefined;
  }
}

async function visibleItems(page: Page): Promise<string[]> {
  const shown = await page.locator(`${QUICK_INPUT_ROWS} .label-name`).allTextContents().catch(() => []);
  return shown.map((t) => t.trim());
}

/** Waits for the quick input row whose label is exactly `label` and returns it. */
async function exactRow(page: Page, label: string): Promise<Locator> {
  const row = await findExactRow(page, label, UI_TIMEOUT_MS);
  if (row) return row;
  throw new Error(`no quick pick item labelled "${label}"; visible items: ${JSON.stringify(await visibleItems(page))}`);
}

/**
 * After a palette row is clicked, waits until the palette is gone: hidden, or replaced by the input the command
 * showed (the same widget, no longer holding the ">" filter). Without this, the next helper can type into the
 * palette itself, which then runs nothing.
 */
async function waitForPaletteToClose(page: Page): Promise<void> {
  const widget = page.locator(QUICK_INPUT);
  const input = widget.locator('input').first();
  await waitUntil(page, 'the command palette to close', async () => {
    if (!(await widget.isVisible())) return true;
    const value = await input.inputValue({ timeout: 1000 });
    return value.startsWith('>') ? undefined : true;
  }, UI_TIMEOUT_MS);
}

/**
 * Runs a command by its palette title (e.g. "View: Toggle Word Wrap") through F1, as a user would. The palette
 * lists the commands known when it opens, and an extension's contributions can arrive a little after the workbench
 * renders (slow machine), so a title not found is retried with a freshly opened palette.
 */
export async function runCommand(page: Page, title: string, options: { timeoutMs?: number } = {}): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout: UI_TIMEOUT_MS });
  const deadline = Date.now() + (options.timeoutMs ?? 2 * UI_TIMEOUT_MS);
  for (;;) {
    await page.keyboard.press('F1');
    const widget = await visibleQuickInput(page);
    // The palette opens with ">"; typing the title filters the list down to the command.
    await widget.locator('input').pressSequentially(title, { delay: 0 });
    const row = await findExactRow(page, title, Math.min(8000, Math.max(0, deadline - Date.now())));
    if (row) {
      await row.click();
      await waitForPaletteToClose(page);
      return;
    }
    const shown = await visibleItems(page);
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
    if (Date.now() > deadline) throw new Error(`no command titled "${title}" in the palette; closest items: ${JSON.stringify(shown)}`);
  }
}

/**
 * Types `text` into the open input box (window.showInputBox or a quick-access box such as Go to Line, where the
 * text includes the prefix, e.g. ":12") and presses Enter. Throws with VS Code's validation message when the box
 * stays open because the input was rejected.
 */
export async function answerInputBox(page: Page, text: string): Promise<void> {
  const widget = await visibleQuickInput(page);
  const input = widget.locator('input');
  await input.fill(text);
  await input.press('Enter');
  try {
    await widget.waitFor({ state: 'hidden', timeout: 3000 });
  } catch {
    const message = await widget.locator('.quick-input-message').textContent().catch(() => null);
    throw new Error(`input box did not accept "${text}"${message?.trim() ? `: ${message.trim()}` : ''}`);
  }
}

/**
 * Answers an input box step that another step follows (a multi-step flow): the next step reuses the widget without
 * hiding it, so this waits for the step title to change, or the widget to close, instead of for it to hide.
 */
export async function answerInputStep(page: Page, text: string): Promise<void> {
  const widget = await visibleQuickInput(page);
  const title = async () =>
    ((await widget.locator('.quick-input-title').first().textContent({ timeout: 1000 }).catch(() => '')) ?? '').trim();
  // A step has a title; an untitled widget is still whatever came before (the palette, or the widget between steps).
  const before = await waitUntil(page, 'a titled input step', async () => ((await widget.isVisible()) ? (await title()) || undefined : undefined), UI_TIMEOUT_MS);
  const input = widget.locator('.quick-input-box input').first();
  await input.fill(text);
  await input.press('Enter');
  await waitUntil(page, `input step "${before}" to be accepted`, async () =>
    !(await widget.isVisible()) || (await title()) !== before ? true : undefined);
}

/**
 * Picks the item labelled exactly `label` from the open quick pick. The label is typed after the current value to
 * filter long lists first (for quick access such as "View: Open View" the value keeps its prefix). In a multi-select
 * pick this toggles the item; press Enter to accept.
 */
export async function pickQuickPickItem(page: Page, label: string): Promise<void> {
  const widget = await visibleQuickInput(page);
  const input = widget.locator('input');
  await input.press('End');
  await input.pressSequentially(label, { delay: 0 });
  const row = await exactRow(page, label);
  await row.click();
}

export interface TreeRow {
  readonly label: string;
  readonly description: string;
  /** Codicon name (e.g. "account") or file-icon theme classes when the row shows an icon. */
  readonly icon?: string;
  /** Depth in the tree, 1 for top-level rows. */
  readonly level: number;
  /** true/false for expandable rows, undefined for leaves. */
  readonly expanded?: boolean;
}

/**
 * Reads the rendered rows of the view whose pane header says `viewName` (case-insensitive), expanding the pane
 * when collapsed. A view not on screen is opened first through "View: Open View". Only rows in the viewport exist
 * in the DOM (the tree is virtualised).
 */
export async function readTreeRows(page: Page, viewName: string): Promise<TreeRow[]> {
  const pane = await viewPane(page, viewName);
  const header = pane.locator('.pane-header').first();
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  await pane.locator('.pane-body').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const rows = pane.locator('.pane-body .monaco-list-row');
  await rows.first().waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS }).catch(() => undefined);
  // No named helpers inside: this function is serialised into the page, where tsx's __name wrapper does not exist.
  return rows.evaluateAll((elements) =>
    elements.map((row) => {
      const codicon = Array.from(row.querySelectorAll('[class*="codicon-"]'))
        .flatMap((el) => Array.from(el.classList))
        .find((c) => c.startsWith('codicon-') && c !== 'codicon-tree-item-expanded' && !c.startsWith('codicon-chevron'));
      const fileIcon = row.querySelector('.monaco-icon-label.file-icon, .monaco-icon-label.folder-icon');
      const expanded = row.getAttribute('aria-expanded');
      return {
        label: (row.querySelector('.label-name') ?? row.querySelector('.monaco-highlighted-label'))?.textContent?.trim() ?? '',
        description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
        icon: codicon
          ? codicon.slice('codicon-'.length)
          : fileIcon
            ? Array.from(fileIcon.classList).filter((c) => c.endsWith('-icon')).join(' ')
            : undefined,
        level: Number(row.getAttribute('aria-level') ?? '1'),
        expanded: expanded === null ? undefined : expanded === 'true',
      };
    }),
  );
}

async function viewPane(page: Page, viewName: string): Promise<Locator> {
  const wanted = viewName.trim().toLowerCase();
  const findPane = async (): Promise<Locator | undefined> => {
    const panes = page.locator('.pane:visible');
    const count = await panes.count();
    for (let i = 0; i < count; i++) {
      const title = await panes.nth(i).locator('.pane-header .title').first().textContent().catch(() => null);
      if (title?.trim().toLowerCase() === wanted) return panes.nth(i);
    }
    return undefined;
  };
  const visible = await findPane();
  if (visible) return visible;
  await runCommand(page, 'View: Open View');
  await pickQuickPickItem(page, viewName);
  const deadline = Date.now() + UI_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const opened = await findPane();
    if (opened) return opened;
    await page.waitForTimeout(100);
  }
  throw new Error(`no view pane titled "${viewName}" after opening it`);
}

/**
 * Polls `probe` every 200 ms until it returns something other than undefined, and returns that. A probe that throws
 * counts as not yet; after `timeoutMs` the error names `what` and the last thrown error.
 */
export async function waitUntil<T>(page: Page, what: string, probe: () => Promise<T | undefined>, timeoutMs = WAIT_UNTIL_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await page.waitForTimeout(200);
  }
  // A picture of the page as it was when the wait gave up, for a failure that only a loaded CI machine shows.
  const picture = await screenshot(page, `timeout-${what.replace(/[^\w.-]+/g, '-').slice(0, 80)}`).catch(() => undefined);
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}${picture ? ` (screenshot: ${relative(repoRoot, picture)})` : ''}`);
}

/** The content frame of the active webview (VS Code nests it: outer iframe, then #active-frame). */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** Saves a PNG of the page as test-results/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`screenshot name must be a plain file name, got "${name}"`);
  mkdirSync(screenshotsDir, { recursive: true });
  const path = join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
