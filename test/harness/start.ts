// `npm start`: builds the extension, keeps rebuilding it on save (esbuild --watch) and serves VS Code (code-server)
// with it loaded as a development extension, so "Developer: Reload Window" picks up edits. Runs until Ctrl-C.
//
//   npm start [-- --open] [--demo] [--port <n>] [--folder <dir>] [--no-watch]
//
// --open    open the URL in this machine's browser (xdg-open / open), when there is one
// --demo    also start the local Penpot twin with its demo seed and point the `penpot.serverUrl` setting at it
// --port    fixed port for code-server (default: a free one)
// --folder  folder to open (default: an empty throw-away folder)
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startTwin, type RunningTwin } from '../../src/twin';
import { buildProduct } from './build';
import { CODE_SERVER_VERSION, ensureToolchain } from './install';
import { repoRoot } from './paths';
import { startCodeServer, stopProcessGroup, type CodeServer } from './server';

function parseCommandLine(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      open: { type: 'boolean', default: false },
      demo: { type: 'boolean', default: false },
      port: { type: 'string' },
      folder: { type: 'string' },
      'no-watch': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new Error(`--port expects a port number, got "${values.port}"`);
  }
  const folder = values.folder === undefined ? undefined : resolve(values.folder);
  if (folder !== undefined && !existsSync(folder)) throw new Error(`--folder ${folder} does not exist`);
  return { open: values.open ?? false, demo: values.demo ?? false, port, folder, watch: !values['no-watch'] };
}

/** The desktop's URL opener, or undefined on a machine without one (a container, CI). */
function browserOpener(): string | undefined {
  const name = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? undefined : 'xdg-open';
  if (!name) return undefined;
  return (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, name)).find((candidate) => existsSync(candidate));
}

function openInBrowser(url: string): void {
  const opener = browserOpener();
  if (!opener) return; // no browser here: the printed URL is enough
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parseCommandLine>;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\nusage: npm start [-- --open] [--demo] [--port <n>] [--folder <dir>] [--no-watch]`);
    process.exit(2);
  }
  const toolchain = await ensureToolchain();
  await buildProduct();

  let twin: RunningTwin | undefined;
  let server: CodeServer | undefined;
  let watcher: ChildProcess | undefined;
  let stopping = false;
  const stop = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      if (watcher) await stopProcessGroup(watcher);
      await server?.close();
      await twin?.close();
    }
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  try {
    if (options.demo) twin = await startTwin(); // default seed: the demo seed
    server = await startCodeServer({
      toolchain,
      port: options.port,
      workspace: options.folder,
      settings: twin ? { 'penpot.serverUrl': twin.url } : {},
    });
    if (options.watch) {
      watcher = spawn(process.execPath, [join(repoRoot, 'esbuild.js'), '--watch'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    }
  } catch (error) {
    console.error((error as Error).message);
    return stop(1);
  }

  const url = server.workbenchUrl({ extensionDevelopmentPath: repoRoot });
  console.log(`\ncode-server ${CODE_SERVER_VERSION} (VS Code in the browser) with Penpot Integrations loaded:\n\n  ${url}\n`);
  if (twin) {
    console.log(`Penpot twin (demo seed): ${twin.url}  (set as penpot.serverUrl)`);
    console.log(`Demo access token:       ${twin.demoToken}\n`);
  }
  console.log(options.watch ? 'Edits rebuild automatically; run "Developer: Reload Window" to load them.' : 'Run `npm run build`, then "Developer: Reload Window", to load edits.');
  console.log(`Server log: ${server.logFile}\nCtrl-C stops everything.`);
  if (options.open) openInBrowser(url);

  const exit = await server.exited;
  if (!stopping) {
    console.error(`code-server exited unexpectedly (${String(exit)}); see the log above.`);
    await stop(1);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
