// Installs, once per checkout, the toolchain that runs a real VS Code without downloading VS Code: Node 24 from the
// npm registry (its package carries the headers too), then code-server (VS Code's server + web workbench) and
// playwright-core, installed by npm running under that Node 24: code-server's postinstall refuses to run unless the
// Node major in npm_config_user_agent is 24, and it compiles its native modules against `npm_config_nodedir`.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { delimiter, dirname, join, relative } from 'node:path';
import type * as Playwright from 'playwright-core';
import { repoRoot, toolchainDir } from './paths';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

export interface Toolchain {
  /** Node 24 binary that runs code-server. */
  readonly node: string;
  /** code-server's entry script (`out/node/entry.js`). */
  readonly codeServerEntry: string;
  /** Folder of the cached playwright-core package (load it with `loadPlaywright`). */
  readonly playwrightCoreDir: string;
}

interface Stamp {
  node: string;
  codeServer: string;
  playwrightCore: string;
  platform: string;
  arch: string;
}

const nodePackage = `node-${process.platform}-${process.arch}`;
const nodePrefix = join(toolchainDir, 'node');
const nodePackageDir = join(nodePrefix, 'node_modules', nodePackage);
const appPrefix = join(toolchainDir, 'app');
const stampFile = join(toolchainDir, 'stamp.json');
const installLog = join(toolchainDir, 'install.log');
const lockDir = `${toolchainDir}.lock`;
const LOCK_WAIT_MS = 20 * 60_000;

/** playwright-core's version is pinned once, in package.json devDependencies (which also provides its types). */
export function playwrightCoreVersion(): string {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    devDependencies?: Record<string, string>;
  };
  const version = manifest.devDependencies?.['playwright-core'];
  if (!version || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(`package.json must pin devDependencies["playwright-core"] to an exact version (found ${version ?? 'none'})`);
  }
  return version;
}

function wantedStamp(): Stamp {
  return {
    node: NODE_VERSION,
    codeServer: CODE_SERVER_VERSION,
    playwrightCore: playwrightCoreVersion(),
    platform: process.platform,
    arch: process.arch,
  };
}

function toolchainPaths(): Toolchain {
  return {
    node: join(nodePackageDir, 'bin', process.platform === 'win32' ? 'node.exe' : 'node'),
    codeServerEntry: join(appPrefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    playwrightCoreDir: join(appPrefix, 'node_modules', 'playwright-core'),
  };
}

function isInstalled(): boolean {
  if (!existsSync(stampFile)) return false;
  let stamp: unknown;
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return false;
  }
  const paths = toolchainPaths();
  return (
    JSON.stringify(stamp) === JSON.stringify(wantedStamp()) &&
    [paths.node, paths.codeServerEntry, paths.playwrightCoreDir].every((p) => existsSync(p))
  );
}

/** Returns the cached toolchain, installing it first when the stamp is missing or names other versions. */
export async function ensureToolchain(log: (line: string) => void = (line) => console.log(line)): Promise<Toolchain> {
  if (isInstalled()) return toolchainPaths();
  await withInstallLock(async () => {
    if (isInstalled()) return; // another process finished the install while we waited
    const started = Date.now();
    const where = relative(process.cwd(), toolchainDir) || toolchainDir;
    log(`harness: installing Node ${NODE_VERSION}, code-server ${CODE_SERVER_VERSION} and playwright-core into ${where} (first run only, a few minutes)`);
    rmSync(toolchainDir, { recursive: true, force: true });
    mkdirSync(toolchainDir, { recursive: true });
    try {
      await installNode();
      await installApp();
    } catch (error) {
      log(`harness: install failed; full log: ${installLog}`);
      log(tail(installLog, 40));
      throw error;
    }
    writeFileSync(stampFile, `${JSON.stringify(wantedStamp(), null, 2)}\n`);
    log(`harness: toolchain installed in ${Math.round((Date.now() - started) / 1000)} s`);
  });
  return toolchainPaths();
}

async function installNode(): Promise<void> {
  await runNpm(process.execPath, npmEnv(process.env), [
    'install', '--prefix', nodePrefix, '--ignore-scripts', '--no-save', '--no-package-lock',
    '--no-audit', '--no-fund', `${nodePackage}@${NODE_VERSION}`,
  ]);
  const node = toolchainPaths().node;
  if (!existsSync(node)) throw new Error(`npm installed ${nodePackage} but ${node} is missing`);
  if (!existsSync(join(nodePackageDir, 'include', 'node'))) {
    throw new Error(`${nodePackage}@${NODE_VERSION} ships no include/node headers; native modules cannot be built`);
  }
  chmodSync(node, 0o755);
}

async function installApp(): Promise<void> {
  mkdirSync(appPrefix, { recursive: true });
  writeFileSync(join(appPrefix, 'package.json'), '{ "name": "vscode-web-toolchain", "private": true }\n');
  const node = toolchainPaths().node;
  const env = npmEnv(process.env);
  // A tiny `npm` first on PATH runs npm's CLI under Node 24, for the `npm install` inside code-server's postinstall.
  const shimDir = join(toolchainDir, 'bin');
  mkdirSync(shimDir, { recursive: true });
  writeFileSync(join(shimDir, 'npm'), `#!/bin/sh\nexec ${shellQuote(node)} ${shellQuote(npmCli())} "$@"\n`, { mode: 0o755 });
  env.PATH = [shimDir, dirname(node), env.PATH ?? ''].join(delimiter);
  env.npm_config_nodedir = nodePackageDir; // headers for node-gyp, so it never downloads them
  // Scripts off first, so code-server's manifest can be adjusted before its postinstall builds the native modules.
  await runNpm(node, env, [
    'install', '--prefix', appPrefix, '--no-audit', '--no-fund', '--no-package-lock', '--ignore-scripts',
    `code-server@${CODE_SERVER_VERSION}`, `playwright-core@${playwrightCoreVersion()}`,
  ]);
  const codeServerDir = join(appPrefix, 'node_modules', 'code-server');
  makeKerberosOptional(join(codeServerDir, 'lib', 'vscode'));
  // What npm would have run: the script reads the Node major from npm's user agent and refuses anything but 24.
  env.npm_config_user_agent = `npm node/v${NODE_VERSION} ${process.platform} ${process.arch}`;
  await runLogged('sh', ['postinstall.sh'], codeServerDir, env, 'code-server postinstall');
}

/**
 * VS Code's server loads `kerberos` only for Kerberos proxy authentication (a dynamic import inside a try), but
 * lists it as a plain dependency, so its native build (which needs the system's gssapi headers, Debian's
 * libkrb5-dev) failing would fail the whole install. As an optional dependency it is built where the headers exist
 * and skipped elsewhere.
 */
export function makeKerberosOptional(vscodeDir: string): void {
  const manifestFile = join(vscodeDir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
  const version = manifest.dependencies?.kerberos;
  if (version === undefined) return; // a code-server without it, or already adjusted
  delete manifest.dependencies!.kerberos;
  manifest.optionalDependencies = { ...manifest.optionalDependencies, kerberos: version };
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);

  const lockFile = ['npm-shrinkwrap.json', 'package-lock.json'].map((f) => join(vscodeDir, f)).find((f) => existsSync(f));
  if (!lockFile) return;
  const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as {
    packages?: Record<string, { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; optional?: boolean }>;
  };
  const root = lock.packages?.[''];
  if (root?.dependencies?.kerberos !== undefined) {
    root.optionalDependencies = { ...root.optionalDependencies, kerberos: root.dependencies.kerberos };
    delete root.dependencies.kerberos;
  }
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (path === 'node_modules/kerberos' || path.startsWith('node_modules/kerberos/')) entry.optional = true;
  }
  writeFileSync(lockFile, `${JSON.stringify(lock, null, 2)}\n`);
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The environment for a child npm: without the variables an enclosing `npm run` exports, because npm reads
 * `npm_config_*` as configuration (an inherited user agent would name Node 20 and code-server's postinstall would
 * refuse) and the prefix variables would point the install at the project.
 */
function npmEnv(parent: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(parent)) {
    const scriptContext =
      /^npm_(lifecycle|package)_/i.test(key) ||
      /^npm_config_(user_agent|local_prefix|prefix|global_prefix|nodedir)$/i.test(key) ||
      /^(npm_command|npm_execpath|npm_node_execpath|INIT_CWD|NODE)$/i.test(key);
    if (!scriptContext) env[key] = value;
  }
  return env;
}

/** npm's own CLI script, run with whichever Node we choose (Node 24's npm package carries no npm). */
export function npmCli(): string {
  const candidates = [
    process.env.npm_execpath,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    join(dirname(process.execPath), 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ];
  const found = candidates.find((c): c is string => !!c && /npm-cli\.js$/.test(c) && existsSync(c));
  if (!found) throw new Error('cannot find npm-cli.js next to this Node; run the harness through npm or a standard Node install');
  return found;
}

function runNpm(node: string, env: NodeJS.ProcessEnv, args: string[]): Promise<void> {
  return runLogged(node, [npmCli(), ...args], toolchainDir, env, `npm ${args[0]} ${args[args.length - 1]}`);
}

function runLogged(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, what: string): Promise<void> {
  const logStream = createWriteStream(installLog, { flags: 'a' });
  logStream.write(`\n$ (${cwd}) ${command} ${args.join(' ')}\n`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(logStream, { end: false });
    child.stderr.pipe(logStream, { end: false });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      logStream.end();
      if (code === 0) resolvePromise();
      else reject(new Error(`${what} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no install log)';
  }
}

/** Serialises installs across processes (e.g. unit and UI tests started together) with an atomic mkdir. */
async function withInstallLock(work: () => Promise<void>): Promise<void> {
  mkdirSync(dirname(lockDir), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!lockHolderAlive()) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for another toolchain install (${lockDir})`, { cause: error });
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function lockHolderAlive(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
  } catch {
    return true; // the holder has created the folder but not yet written its pid
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Loads the cached playwright-core (pure JavaScript, so it runs in the harness's own Node). */
export function loadPlaywright(toolchain: Toolchain): typeof Playwright {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(toolchain.playwrightCoreDir) as typeof Playwright;
}
