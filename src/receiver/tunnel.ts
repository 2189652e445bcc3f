// One-click public tunnels with tools people already use (issue 9): cloudflared's quick tunnel or ngrok, found on
// PATH or at a configured path, started for the receiver's port. The public URL is read from what the tool prints:
// cloudflared's quick-tunnel banner on stderr, ngrok's JSON log lines (`--log stdout --log-format json`).
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export type TunnelTool = 'cloudflared' | 'ngrok';
export const TUNNEL_TOOLS: readonly TunnelTool[] = ['cloudflared', 'ngrok'];

/** Plain text (no Markdown): shown in notifications and printed by the CLI. */
export const INSTALL_HINTS: Record<TunnelTool, string> = {
  cloudflared: 'Install it from https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/downloads/ (e.g. "brew install cloudflared", or the .deb/.msi there); quick tunnels need no account.',
  ngrok: 'Install it from https://ngrok.com/download, then run "ngrok config add-authtoken <your token>" once (ngrok needs a free account).',
};

export interface TunnelOptions {
  tool: TunnelTool;
  /** The receiver's local port. */
  port: number;
  /** The receiver's host; default 127.0.0.1. */
  host?: string;
  /** The tool's path from a setting; default: searched on PATH. */
  executable?: string;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the URL; default 30 s. */
  timeoutMs?: number;
}

export interface Tunnel {
  tool: TunnelTool;
  /** The public base URL, e.g. https://quiet-river.trycloudflare.com (no path). */
  publicUrl: string;
  /** Resolves when the tool exits, for any reason. */
  readonly exited: Promise<void>;
  /** Stops the tool (SIGTERM, then SIGKILL after 3 s). */
  stop(): Promise<void>;
}

export class TunnelError extends Error {
  override readonly name = 'TunnelError';
}

/** The tool's executable: the configured path if it is one, else the first match on PATH. */
export function findTunnelTool(tool: TunnelTool, configuredPath?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const runnable = (file: string): boolean => {
    try {
      return statSync(file).isFile() && (process.platform === 'win32' || (accessSync(file, constants.X_OK), true));
    } catch {
      return false;
    }
  };
  if (configuredPath !== undefined && configuredPath.trim() !== '') {
    const path = configuredPath.trim();
    return isAbsolute(path) && runnable(path) ? path : undefined;
  }
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const ext of extensions) {
      const candidate = join(dir, tool + ext);
      if (runnable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** cloudflared's quick-tunnel banner line (or its metrics /quicktunnel `hostname`), as the public URL. */
export function parseCloudflaredLine(line: string): string | undefined {
  return /https:\/\/[a-z0-9-]+\.trycloudflare\.com\b/i.exec(line)?.[0];
}

/** One ngrok JSON log line: the tunnel URL, or the error ngrok reports (e.g. ERR_NGROK_4018 without an authtoken). */
export function parseNgrokLine(line: string): { url?: string; error?: string } {
  let entry: { msg?: unknown; url?: unknown; err?: unknown; lvl?: unknown };
  try {
    entry = JSON.parse(line) as typeof entry;
  } catch {
    return {};
  }
  if (typeof entry !== 'object' || entry === null) return {};
  if (entry.msg === 'started tunnel' && typeof entry.url === 'string' && /^https:\/\//.test(entry.url)) return { url: entry.url };
  if (typeof entry.err === 'string' && entry.err !== '<nil>' && (entry.lvl === 'eror' || entry.lvl === 'crit')) {
    return { error: entry.err.replace(/\r/g, '').trim() };
  }
  return {};
}

function argsFor(tool: TunnelTool, local: string, port: number): string[] {
  return tool === 'cloudflared'
    ? ['tunnel', '--no-autoupdate', '--url', local]
    : ['http', String(port), '--log', 'stdout', '--log-format', 'json'];
}

/** Starts the tool and resolves once it has printed its public URL; rejects with the tool's own error otherwise. */
export async function startTunnel(options: TunnelOptions): Promise<Tunnel> {
  const { tool, port } = options;
  const executable = findTunnelTool(tool, options.executable, options.env ?? process.env);
  if (executable === undefined) {
    const where = options.executable ? `at ${options.executable} (the configured path)` : 'on PATH';
    throw new TunnelError(`${tool} was not found ${where}. ${INSTALL_HINTS[tool]}`);
  }
  const host = options.host ?? '127.0.0.1';
  const local = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const child: ChildProcess = spawn(executable, argsFor(tool, local, port), { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const recent: string[] = [];
  let toolError: string | undefined;

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(`${tool} printed no public URL within ${Math.round((options.timeoutMs ?? 30_000) / 1000)} s.`), options.timeoutMs ?? 30_000);
    let settled = false;
    function fail(message: string): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(new TunnelError(message));
    }
    const onLine = (line: string): void => {
      if (settled) return;
      recent.push(line);
      if (recent.length > 20) recent.shift();
      const found = tool === 'cloudflared' ? parseCloudflaredLine(line) : parseNgrokLine(line).url;
      if (tool === 'ngrok') toolError = parseNgrokLine(line).error ?? toolError;
      if (found !== undefined) {
        settled = true;
        clearTimeout(timer);
        resolve(found.replace(/\/+$/, ''));
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        buffered += chunk;
        let at: number;
        while ((at = buffered.indexOf('\n')) !== -1) {
          onLine(buffered.slice(0, at));
          buffered = buffered.slice(at + 1);
        }
      });
    }
    child.once('error', (error) => fail(`${tool} could not be started (${executable}): ${error.message}`));
    child.once('close', (code, signal) => {
      const said = toolError ?? recent.slice(-3).join(' ').trim();
      fail(`${tool} stopped before giving a public URL (${signal ?? `exit code ${code}`})${said ? `: ${said}` : '.'}`);
    });
  });

  let stopping: Promise<void> | undefined;
  return {
    tool,
    publicUrl: url,
    exited,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(killer);
      })();
      return stopping;
    },
  };
}

// --- Remote windows -----------------------------------------------------------------------------------------------

/** `vscode.env.remoteName` values whose forwarded ports can be made public from the Ports view. */
const PUBLIC_PORT_REMOTES = new Set(['codespaces', 'tunnel']);

const REMOTE_LABELS: Record<string, string> = {
  codespaces: 'a Codespace', 'ssh-remote': 'SSH', wsl: 'WSL', tunnel: 'a Remote Tunnel',
  'dev-container': 'a dev container', 'attached-container': 'a container',
};

export interface RemoteReachInput {
  /** `vscode.env.remoteName`; undefined in a local window. */
  remoteName: string | undefined;
  /** A tunnel started by the extension is running (it runs where the extension host and the receiver run). */
  tunnelRunning: boolean;
  /** `asExternalUri` of the receiver's URL: what this computer's browser opens; may differ from the local URL. */
  externalUrl?: string;
}

/**
 * What to tell the user about reaching the receiver from Penpot in a remote window, or undefined in a local one. The
 * receiver listens on the remote machine; VS Code forwards its port to this computer, which Penpot's cloud cannot
 * reach, unless the forwarded port is made public (Codespaces, Remote Tunnels) or a public tunnel runs.
 */
export function remoteReachAdvice(input: RemoteReachInput): string | undefined {
  const { remoteName } = input;
  if (!remoteName) return undefined;
  // A workbench served from a VS Code server (code-server, `code serve-web`) names the server's host:port.
  const served = /^\[?([^\]]+?)\]?:\d+$/.exec(remoteName)?.[1];
  if (served !== undefined && /^(localhost|127\.\d+\.\d+\.\d+|::1)$/i.test(served)) return undefined; // the server is this machine
  const label = served !== undefined ? `a VS Code server at ${served}` : REMOTE_LABELS[remoteName] ?? remoteName;
  const where = `This window is remote (${label}): the receiver runs on that machine, next to the extension host.`;
  if (input.tunnelRunning) return `${where} The public tunnel runs there too, so Penpot reaches the receiver through it; no port needs to be public.`;
  const forwarded = input.externalUrl ? ` VS Code forwards its port to this computer as ${input.externalUrl}, for you only.` : ' VS Code forwards its port to this computer, for you only.';
  const way = PUBLIC_PORT_REMOTES.has(remoteName)
    ? ' For Penpot\'s cloud to reach it, make the forwarded port public (Ports view → right-click the port → Port Visibility → Public) and use that address as the public URL, or start a public tunnel.'
    : ' Penpot\'s cloud cannot reach a forwarded port here: start a public tunnel (it runs next to the receiver).';
  return `${where}${forwarded}${way}`;
}
