// Builds what a VS Code session loads: the product bundles (through esbuild.js, the single build definition) and
// a mocha suite bundle for the extension host (test/integration/index.ts + every *.test.ts of a suite folder).
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { findFiles } from './files';
import { integrationSourceDir, repoRoot } from './paths';

/** Runs `node esbuild.js` with the given flags (e.g. `--production`), inheriting its output. */
export function buildProduct(flags: string[] = []): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'esbuild.js'), ...flags], { cwd: repoRoot, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise() : reject(new Error(`node esbuild.js failed (exit ${code})`))));
  });
}

/**
 * Bundles the mocha runner and every `*.test.ts` below `suiteDir` into `outDir` (emptied first, so a deleted test
 * never runs from a stale bundle). Returns the runner's path, the `extensionTestsPath` to load.
 */
export async function buildSuite(suiteDir: string, outDir: string): Promise<string> {
  const testFiles = findFiles(suiteDir, '.test.ts');
  if (testFiles.length === 0) throw new Error(`no *.test.ts files in ${suiteDir}`);
  rmSync(outDir, { recursive: true, force: true });
  const common = {
    bundle: true,
    platform: 'node' as const,
    format: 'cjs' as const,
    target: 'node20',
    sourcemap: true,
    sourcesContent: false,
    // vscode is provided by the extension host; mocha is loaded from node_modules so the runner and the test files
    // share one instance (its bdd globals).
    external: ['vscode', 'mocha'],
    logLevel: 'warning' as const,
  };
  await build({ ...common, entryPoints: [join(integrationSourceDir, 'index.ts')], outfile: join(outDir, 'index.js') });
  await build({ ...common, entryPoints: testFiles, outbase: suiteDir, outdir: outDir });
  const runner = join(outDir, 'index.js');
  if (!existsSync(runner)) throw new Error(`esbuild did not write ${runner}`);
  return runner;
}
