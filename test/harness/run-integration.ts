// Runs a mocha suite inside a real VS Code extension host (code-server + headless Chromium) and exits with its
// result: 0 when every test passed, 1 when a test failed, 2 on a harness error, 124 on timeout.
//
//   tsx test/harness/run-integration.ts [--suite <dir>] [--grep <pattern>] [--env KEY=VALUE]... [--timeout <s>]
//   tsx test/harness/run-integration.ts --build-only   (bundles for desktop VS Code's "Extension Tests" launch)
//
// --suite   folder whose *.test.ts files form the suite (default test/integration)
// --grep    only tests whose full title matches
// --env     extra environment for the extension host (repeatable)
// --timeout seconds for the whole run, VS Code start included (default 600)
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildProduct, buildSuite } from './build';
import { ensureToolchain } from './install';
import { integrationOutDir, integrationSourceDir, repoRoot, resultsDir } from './paths';
import { openWorkbench, type Workbench } from './workbench';

const USAGE = 'usage: tsx test/harness/run-integration.ts [--suite <dir>] [--grep <pattern>] [--env KEY=VALUE]... [--timeout <s>] [--build-only]';

export const EXIT_TESTS_FAILED = 1;
export const EXIT_HARNESS_ERROR = 2;
export const EXIT_TIMEOUT = 124;
export const EXIT_INTERRUPTED = 130;


function parseCommandLine(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      suite: { type: 'string' },
      grep: { type: 'string' },
      env: { type: 'string', multiple: true },
      timeout: { type: 'string', default: '600' },
      'build-only': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const env: Record<string, string> = {};
  for (const pair of values.env ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--env expects KEY=VALUE, got "${pair}"`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const timeoutSeconds = Number(values.timeout);
  if (!(timeoutSeconds > 0)) throw new Error(`--timeout expects a positive number of seconds, got "${values.timeout}"`);
  return {
    suiteDir: values.suite ? resolve(values.suite) : integrationSourceDir,
    grep: values.grep,
    env,
    timeoutMs: timeoutSeconds * 1000,
    buildOnly: values['build-only'] ?? false,
  };
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseCommandLine>;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    console.error(`harness: ${(error as Error).message}\n${USAGE}`);
    return EXIT_HARNESS_ERROR;
  }
  await buildProduct();
  const isDefaultSuite = options.suiteDir === integrationSourceDir;
  const outDir = isDefaultSuite ? integrationOutDir : join(repoRoot, 'out', 'suites', basename(options.suiteDir));
  const testsPath = await buildSuite(options.suiteDir, outDir);
  if (options.buildOnly) return 0;
  const toolchain = await ensureToolchain();

  const artifactsDir = join(resultsDir, 'integration', `${basename(options.suiteDir)}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const consoleLog: string[] = [];
  // test/integration/report.ts prefixes the suite's report with this tag; everything else is workbench noise.
  const consoleTag = `[suite ${randomBytes(4).toString('hex')}] `;
  let settle: (code: number) => void = () => undefined;
  const result = new Promise<number>((r) => (settle = r));
  const timer = setTimeout(() => settle(EXIT_TIMEOUT), options.timeoutMs);
  // Ctrl-C or a parent's kill still closes code-server and Chromium (they run in their own process groups).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => settle(EXIT_INTERRUPTED));

  let workbench: Workbench | undefined;
  let code: number;
  try {
    workbench = await openWorkbench(
      {
        extensionTestsPath: testsPath,
        env: {
          PENPOT_TEST_HARNESS: 'code-server',
          PENPOT_TEST_CONSOLE_TAG: consoleTag,
          ...(options.grep ? { PENPOT_TEST_GREP: options.grep } : {}),
          ...options.env,
        },
        onConsole: (line) => {
          consoleLog.push(line);
          const at = line.indexOf(consoleTag);
          if (at >= 0) process.stdout.write(`${line.slice(at + consoleTag.length)}\n`);
        },
        onAutomationLog: (line) => consoleLog.push(`[workbench log] ${line}`),
        onAutomationExit: settle,
        waitForWorkbench: false, // the run can settle before the workbench finishes rendering
      },
      toolchain,
    );
    code = await result;
  } catch (error) {
    console.error(`harness: ${(error as Error).stack ?? String(error)}`);
    code = EXIT_HARNESS_ERROR;
  } finally {
    clearTimeout(timer);
  }

  if (code === EXIT_TIMEOUT) console.error(`harness: no result within ${options.timeoutMs / 1000} s`);
  if (code === EXIT_INTERRUPTED) console.error('harness: interrupted');
  if (code !== 0 && workbench) {
    await workbench.keepArtifacts(artifactsDir);
    mkdirSync(artifactsDir, { recursive: true });
    appendFileSync(join(artifactsDir, 'browser-console.log'), consoleLog.map((l) => `${l}\n`).join(''));
    console.error(`harness: kept the server log, VS Code logs, browser console and a screenshot in ${relative(process.cwd(), artifactsDir)}`);
  }
  await workbench?.close();
  return code;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`harness: ${(error as Error).stack ?? String(error)}`);
      process.exit(EXIT_HARNESS_ERROR);
    },
  );
}
