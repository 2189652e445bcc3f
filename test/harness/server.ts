// Starts code-server (VS Code 1.139's server + web workbench) on loopback in a throw-away session folder: its own
// user-data and extensions dirs and a private HOME/XDG_*/TMPDIR, so nothing lands in the real home directory.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Toolchain } from './install';

/** User settings that keep a test session quiet and offline-friendly. */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
};

export interface CodeServerOptions {
  readonly toolchain: Toolchain;
  /** Folder to open; a fresh empty one inside the session when omitted. */
  readonly workspace?: string;
  /** Folder copied into the session (same base name) and opened instead, so tests cannot alter the original. */
  readonly workspaceTemplate?: string;
  /** Merged over QUIET_SETTINGS into the session's `User/settings.json`. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Extra environment for code-server, which passes it on to the extension host. */
  readonly env?: Readonly<Record<string, string>>;
  /** .vsix files installed (`code-server --install-extension`) into the session before it starts. */
  readonly installExtensions?: readonly string[];
  /** Fixed port (e.g. for `npm start -- --port`); OS-assigned when omitted. */
  readonly port?: number;
  /** Time to wait for the server to listen. */
  readonly startTimeoutMs?: number;
}

export interface CodeServer {
  /** e.g. `http://127.0.0.1:41234` */
  readonly origin: string;
  readonly port: number;
  readonly workspace: string;
  readonly sessionDir: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly logFile: string;
  /** Output of the `--install-extension` runs for `installExtensions`. */
  readonly installOutput: string;
  /** Settles with the exit code (or signal) when the code-server process ends, expectedly or not. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
  /** Workbench URL that loads `extensionDevelopmentPath` (and runs `extensionTestsPath` when given). */
  workbenchUrl(load?: { extensionDevelopmentPath?: string; extensionTestsPath?: string }): string;
  /** Copies the server log and VS Code's own logs into `dir`. */
  keepLogs(dir: string): void;
  /** Stops code-server and its children and deletes the session folder. */
  close(): Promise<void>;
}

const LISTENING = /HTTP server listening on (http:\/\/127\.0\.0\.1:(\d+))/;

/** Private home and temp folders for a child process (code-server or Chromium), created under `sessionDir`. */
export function privateHomeEnv(sessionDir: string): Record<string, string> {
  const dirs = {
    HOME: join(sessionDir, 'home'),
    XDG_CONFIG_HOME: join(sessionDir, 'home', '.config'),
    XDG_DATA_HOME: join(sessionDir, 'home', '.local', 'share'),
    XDG_STATE_HOME: join(sessionDir, 'home', '.local', 'state'),
    XDG_CACHE_HOME: join(sessionDir, 'home', '.cache'),
    TMPDIR: join(sessionDir, 'tmp'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  return dirs;
}

/**
 * The caller's environment minus what would make code-server misbehave: `VSCODE_*` from an enclosing VS Code
 * terminal (code-server would hand the folder to that instance instead of serving it) and Electron's node mode.
 */
export function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^VSCODE_/.test(key) || key === 'ELECTRON_RUN_AS_NODE') continue;
    env[key] = value;
  }
  return env;
}

export function newSessionDir(): string {
  return mkdtempSync(join(tmpdir(), 'penpot-vscode-'));
}

export function writeUserSettings(userDataDir: string, settings: Readonly<Record<string, unknown>> = {}): void {
  const file = join(userDataDir, 'User', 'settings.json');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(file, `${JSON.stringify({ ...QUIET_SETTINGS, ...existing, ...settings }, null, 2)}\n`);
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const sessionDir = newSessionDir();
  const userDataDir = join(sessionDir, 'user-data');
  const extensionsDir = join(sessionDir, 'extensions');
  const workspace =
    options.workspace ?? (options.workspaceTemplate ? join(sessionDir, 'folders', basename(options.workspaceTemplate)) : join(sessionDir, 'workspace'));
  const logFile = join(sessionDir, 'server.log');
  if (options.workspaceTemplate) cpSync(options.workspaceTemplate, workspace, { recursive: true });
  for (const dir of [userDataDir, extensionsDir, workspace]) mkdirSync(dir, { recursive: true });
  writeUserSettings(userDataDir, options.settings);
  const env = { ...inheritedEnv(), ...privateHomeEnv(sessionDir), ...options.env };
  let installOutput = '';
  try {
    for (const vsix of options.installExtensions ?? []) {
      installOutput += installExtension(options.toolchain, vsix, { extensionsDir, userDataDir, env });
    }
  } catch (error) {
    rmSync(sessionDir, { recursive: true, force: true });
    throw error;
  }

  const args = [
    options.toolchain.codeServerEntry,
    '--config', '/dev/null',
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${options.port ?? 0}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    // The built workbench honours the `payload` query (development extension, tests path) only with this option.
    '--vscode-option', 'enable-smoke-test-driver',
    workspace,
  ];
  const log = createWriteStream(logFile);
  const child = spawn(options.toolchain.node, args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so close() also ends the extension host and other helpers
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const exited = new Promise<number | NodeJS.Signals | null>((r) => child.once('exit', (code, signal) => r(code ?? signal)));

  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await stopProcessGroup(child);
    log.end();
    rmSync(sessionDir, { recursive: true, force: true, maxRetries: 3 });
  };

  let origin: string;
  try {
    origin = await waitForListening(child, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    const output = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '';
    await close();
    throw new Error(`${(error as Error).message}\n--- code-server output ---\n${output}`, { cause: error });
  }
  const port = Number(new URL(origin).port);

  return {
    origin,
    port,
    workspace,
    sessionDir,
    userDataDir,
    extensionsDir,
    logFile,
    installOutput,
    exited,
    workbenchUrl(load = {}) {
      const payload: [string, string][] = [];
      if (load.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remoteUri(load.extensionDevelopmentPath)]);
      if (load.extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(load.extensionTestsPath)]);
      payload.push(['skipWelcome', 'true']);
      return `${origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    },
    keepLogs(dir) {
      mkdirSync(dir, { recursive: true });
      if (existsSync(logFile)) cpSync(logFile, join(dir, 'server.log'));
      const vscodeLogs = join(userDataDir, 'logs');
      if (existsSync(vscodeLogs)) cpSync(vscodeLogs, join(dir, 'vscode-logs'), { recursive: true });
    },
    close,
  };
}

/** Installs a .vsix with `code-server --install-extension`, as a user would; returns its output, throws on failure. */
export function installExtension(
  toolchain: Toolchain,
  vsix: string,
  target: { extensionsDir: string; userDataDir: string; env: Record<string, string> },
): string {
  const result = spawnSync(
    toolchain.node,
    [toolchain.codeServerEntry, '--config', '/dev/null', '--extensions-dir', target.extensionsDir, '--user-data-dir', target.userDataDir, '--install-extension', vsix],
    { env: target.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 },
  );
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${result.signal ?? `exit ${result.status}`}):\n${output}`);
  return output;
}

/** code-server's remote authority is `remote`; the workbench resolves development paths through it. */
function remoteUri(absolutePath: string): string {
  return `vscode-remote://remote${absolutePath.split('\\').join('/')}`;
}

function waitForListening(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let seen = '';
    const timer = setTimeout(() => finish(new Error(`code-server did not start listening within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      seen = (seen + chunk.toString()).slice(-8192);
      const match = LISTENING.exec(seen);
      if (match) finish(undefined, match[1]);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      finish(new Error(`code-server exited before listening (${signal ?? `exit ${code}`})`));
    function finish(error?: Error, origin?: string): void {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stderr!.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolvePromise(origin!);
    }
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
}

/** SIGTERM to the process group, SIGKILL if it is still there after a grace period. */
export async function stopProcessGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group is already gone
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  signalGroup('SIGKILL'); // helpers that outlived the server (file watcher, pty host)
}
