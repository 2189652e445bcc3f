// A VS Code workbench session: code-server plus headless Chromium (playwright-core) with the extension loaded as a
// development extension. Used by the integration runner (with an extensionTestsPath), by UI tests and `npm start`.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { ensureToolchain, loadPlaywright, type Toolchain } from './install';
import { ensureSystemPackages, type SystemPackage } from './system';
import { repoRoot, resultsDir } from './paths';
import { privateHomeEnv, startCodeServer, type CodeServer } from './server';

/** Flags that work for Debian's Chromium in a container (no GPU, no sandbox, no network chatter). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
export const VIEWPORT = { width: 1400, height: 850 };

/** Debian's Chromium, unless CHROMIUM_PATH names another binary (then nothing is installed). */
export function chromiumPackage(executablePath = chromiumPath()): SystemPackage {
  return {
    name: 'chromium',
    reason: 'the headless browser that opens VS Code\'s workbench in the integration and UI tests',
    present: () => existsSync(executablePath),
  };
}

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

export interface WorkbenchOptions {
  /** User settings for this session (merged over the quiet defaults). */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Environment for code-server and so for the extension host. */
  readonly env?: Readonly<Record<string, string>>;
  /** Folder to open; an empty throw-away folder when omitted. */
  readonly workspace?: string;
  /** Folder copied into the session and opened (e.g. a fixture workspace that tests may modify). */
  readonly workspaceTemplate?: string;
  /** Extension to load in development mode; this repository by default, none when false. */
  readonly extensionDevelopmentPath?: string | false;
  /** .vsix files to install into the session's extensions folder before VS Code starts. */
  readonly installExtensions?: readonly string[];
  /** Bundled `run()` module for the extension host; omitted for UI-driving sessions. */
  readonly extensionTestsPath?: string;
  /** Receives each console line of the page, extension host output included, already formatted. */
  readonly onConsole?: (line: string) => void;
  /** Receives the workbench's log lines sent to `codeAutomationLog` (smoke-test driver logging). */
  readonly onAutomationLog?: (line: string) => void;
  /** Called with the code the workbench reports through `codeAutomationExit` when a test run settles. */
  readonly onAutomationExit?: (code: number) => void;
  /** Wait for `.monaco-workbench` before returning (default true). */
  readonly waitForWorkbench?: boolean;
}

export interface Workbench {
  readonly page: Page;
  readonly server: CodeServer;
  readonly url: string;
  /** Saves a screenshot and the server/VS Code logs into `dir` (for failure reports). */
  keepArtifacts(dir: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts code-server, opens the workbench in headless Chromium and waits for it to render. */
export async function openWorkbench(options: WorkbenchOptions = {}, toolchain?: Toolchain): Promise<Workbench> {
  const tools = toolchain ?? (await ensureToolchain());
  const server = await startCodeServer({
    toolchain: tools,
    settings: options.settings,
    env: options.env,
    workspace: options.workspace,
    workspaceTemplate: options.workspaceTemplate,
    installExtensions: options.installExtensions,
  });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium(tools, server.sessionDir);
    const page = await browser.newPage({ viewport: VIEWPORT });
    const onConsole = options.onConsole;
    if (onConsole) page.on('console', (message) => void formatConsoleMessage(message).then(onConsole, () => undefined));
    // The smoke-test driver calls these (log lines; the exit code when an extensionTestsPath run settles), so they
    // must exist before navigation.
    await page.exposeFunction('codeAutomationExit', (code: number) => options.onAutomationExit?.(Number(code)));
    await page.exposeFunction('codeAutomationLog', (level: unknown, message: unknown) =>
      options.onAutomationLog?.(`${String(level)} ${Array.isArray(message) ? format(...(message as [unknown])) : format(message)}`),
    );
    const url = server.workbenchUrl({
      extensionDevelopmentPath: options.extensionDevelopmentPath === false ? undefined : (options.extensionDevelopmentPath ?? repoRoot),
      extensionTestsPath: options.extensionTestsPath,
    });
    await page.goto(url);
    if (options.waitForWorkbench ?? true) await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const openedBrowser = browser;
    let closed = false;
    return {
      page,
      server,
      url,
      async keepArtifacts(dir) {
        mkdirSync(dir, { recursive: true });
        await page.screenshot({ path: join(dir, 'screenshot.png'), timeout: 10_000 }).catch(() => undefined);
        server.keepLogs(dir);
      },
      async close() {
        if (closed) return;
        closed = true;
        await openedBrowser.close().catch(() => undefined);
        await server.close();
      },
    };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await server.close();
    throw error;
  }
}

/**
 * Runs `steps`; when they throw, keeps a screenshot plus the server and VS Code logs in test-results/ui/<name>,
 * prints where, and rethrows.
 */
export async function keepArtifactsOnFailure<T>(workbench: Workbench, name: string, steps: () => Promise<T>): Promise<T> {
  try {
    return await steps();
  } catch (error) {
    const dir = join(resultsDir, 'ui', name.replace(/[^\w.-]+/g, '-'));
    await workbench.keepArtifacts(dir);
    console.error(`kept a screenshot and logs in ${dir}`);
    throw error;
  }
}

export async function launchChromium(toolchain: Toolchain, sessionDir: string): Promise<Browser> {
  const executablePath = chromiumPath();
  ensureSystemPackages([chromiumPackage(executablePath)]);
  const { chromium } = loadPlaywright(toolchain);
  return chromium.launch({
    executablePath,
    args: CHROMIUM_ARGS,
    // Keeps Chromium's crash reports and caches out of the real home; Playwright gives it a fresh profile folder.
    env: { ...process.env, ...privateHomeEnv(sessionDir) },
    timeout: 60_000,
  });
}

/**
 * Console messages arrive as printf-style argument lists; the extension host forwards its console as
 * `['%c INFO', 'color: …', format, ...args]`. CSS directives are dropped and the rest formatted like Node's console.
 */
export async function formatConsoleMessage(message: ConsoleMessage): Promise<string> {
  const args = await Promise.all(message.args().map((handle) => handle.jsonValue().catch(() => String(handle))));
  if (args.length === 0) return message.text();
  const [first, ...rest] = args;
  if (typeof first === 'string' && first.includes('%c')) {
    // Each %c consumes one CSS argument that is not part of the text.
    const cssCount = first.split('%c').length - 1;
    const prefix = first.replace(/%c/g, '').trim();
    const remaining = rest.slice(cssCount);
    const body = remaining.length > 0 ? format(...(remaining as [unknown, ...unknown[]])) : '';
    return prefix ? `${prefix} ${body}` : body;
  }
  return format(...(args as [unknown, ...unknown[]]));
}
