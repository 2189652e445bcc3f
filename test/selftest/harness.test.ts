// Self-test of the VS Code harness (test/harness/run-integration.ts): its exit code must follow the suite's result,
// runner-given environment must reach the extension host, and a failed run must keep its logs and a screenshot.
// Each case starts a real code-server and Chromium; the first run on a machine also installs the toolchain.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { ensureToolchain } from '../harness/install';
import { EXIT_TESTS_FAILED, EXIT_TIMEOUT } from '../harness/run-integration';

const root = resolve(__dirname, '..', '..');
const fixtures = join(root, 'test', 'harness', 'fixtures');
const RUN_LIMIT_MS = 180_000;

interface HarnessRun {
  code: number | null;
  output: string;
}

function runHarness(args: string[]): Promise<HarnessRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test', 'harness', 'run-integration.ts'), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // SIGTERM lets the harness close code-server and Chromium before it exits.
    const limit = setTimeout(() => child.kill('SIGTERM'), RUN_LIMIT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(limit);
      resolvePromise({ code, output });
    });
  });
}

describe('VS Code harness', { timeout: 30 * 60_000 }, () => {
  before(async () => {
    await ensureToolchain((line) => console.log(line));
  }, { timeout: 25 * 60_000 });

  it('exits 0 for a passing suite that reads the environment given with --env', async () => {
    const run = await runHarness(['--suite', join(fixtures, 'passing-suite'), '--env', 'HARNESS_FIXTURE_PROBE=reached-the-extension-host']);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /1 passing/);
  });

  it('exits non-zero for the same suite without the environment it needs', async () => {
    const run = await runHarness(['--suite', join(fixtures, 'passing-suite')]);
    assert.equal(run.code, EXIT_TESTS_FAILED, run.output);
  });

  it('exits non-zero for a failing suite, prints the mocha report and keeps logs and a screenshot', async () => {
    const run = await runHarness(['--suite', join(fixtures, 'failing-suite')]);
    assert.equal(run.code, EXIT_TESTS_FAILED, run.output);
    assert.match(run.output, /1 failing/);
    assert.match(run.output, /deliberate failure/);
    const kept = /kept .* in (\S+)/.exec(run.output);
    assert.ok(kept, `no artifacts line in:\n${run.output}`);
    const artifacts = resolve(root, kept[1]);
    for (const file of ['server.log', 'screenshot.png', 'browser-console.log']) {
      assert.ok(existsSync(join(artifacts, file)), `${file} missing from ${artifacts} (has ${readdirSync(artifacts).join(', ')})`);
    }
  });

  it('exits with the timeout code when the suite never settles', async () => {
    const run = await runHarness(['--suite', join(fixtures, 'hanging-suite'), '--timeout', '20']);
    assert.equal(run.code, EXIT_TIMEOUT, run.output);
    assert.match(run.output, /no result within 20 s/);
  });
});
