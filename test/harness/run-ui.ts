// Runs the UI tests (test/ui/**/*.test.ts, node:test in this Node process's runtime) that drive a real workbench
// through test/harness/ui.ts. Installs the toolchain and builds the extension once, then runs the files one at a
// time (each opens its own code-server + Chromium session).
//
//   tsx test/harness/run-ui.ts [substring...]   only files whose path contains one of the substrings
import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { buildProduct } from './build';
import { findFiles } from './files';
import { ensureToolchain } from './install';
import { repoRoot, uiTestsDir } from './paths';

/** Upper bound per test, so a stuck page cannot hang `npm test`. */
const TEST_TIMEOUT_MS = 5 * 60_000;

async function main(): Promise<number> {
  const filters = process.argv.slice(2);
  const files = findFiles(uiTestsDir, '.test.ts')
    .map((file) => relative(repoRoot, file))
    .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)));
  if (files.length === 0) {
    console.error('no UI test files matched');
    return 1;
  }
  await ensureToolchain();
  await buildProduct();
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=1', `--test-timeout=${TEST_TIMEOUT_MS}`, '--test-reporter=spec', ...files],
    { cwd: repoRoot, stdio: 'inherit' },
  );
  return result.status ?? 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
