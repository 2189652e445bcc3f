// Runs the integration suite through @vscode/test-electron, i.e. in a desktop VS Code that it downloads into
// .vscode-test/ (for machines that can reach update.code.visualstudio.com; not part of `npm test`).
//
//   npm run test:electron                          latest stable VS Code
//   VSCODE_TEST_VERSION=1.139.1 npm run test:electron
//   VSCODE_EXECUTABLE_PATH=/path/to/code npm run test:electron   an installed VS Code, no download
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests, TestRunFailedError } from '@vscode/test-electron';
import { buildProduct, buildSuite } from './build';
import { integrationOutDir, integrationSourceDir, repoRoot } from './paths';

async function main(): Promise<number> {
  await buildProduct();
  const extensionTestsPath = await buildSuite(integrationSourceDir, integrationOutDir);
  const sessionDir = mkdtempSync(join(tmpdir(), 'penpot-vscode-electron-'));
  mkdirSync(join(sessionDir, 'workspace'));
  try {
    return await runTests({
      version: process.env.VSCODE_TEST_VERSION || undefined,
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath,
      // The smoke suite checks that runner-provided environment reaches the extension host.
      extensionTestsEnv: { PENPOT_TEST_HARNESS: 'electron' },
      launchArgs: [
        join(sessionDir, 'workspace'),
        '--user-data-dir', join(sessionDir, 'user-data'),
        '--extensions-dir', join(sessionDir, 'extensions'),
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
      timeout: 60_000, // idle timeout of the VS Code download
    });
  } finally {
    rmSync(sessionDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof TestRunFailedError) {
      console.error(`test-electron: the suite failed (${error.signal ?? `exit ${error.code}`})`);
    } else {
      console.error(`test-electron: ${(error as Error).message ?? String(error)}`);
      console.error('This runner needs to download VS Code (or VSCODE_EXECUTABLE_PATH); where that is impossible use `npm run test:integration`.');
    }
    process.exit(1);
  },
);
