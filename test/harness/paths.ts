// Folders the harness reads and writes, all relative to the repository root.
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..');
/**
 * Installed toolchain (Node 24, code-server, playwright-core); gitignored via `.cache/`. VSCODE_WEB_TOOLCHAIN_DIR
 * moves it (e.g. one cache shared by several clones, or a CI cache folder).
 */
export const toolchainDir = process.env.VSCODE_WEB_TOOLCHAIN_DIR
  ? resolve(process.env.VSCODE_WEB_TOOLCHAIN_DIR)
  : join(repoRoot, '.cache', 'vscode-web');
/** Failure artifacts (server logs, screenshots); gitignored. */
export const resultsDir = join(repoRoot, 'test-results');
export const screenshotsDir = join(resultsDir, 'screenshots');
/** The integration suite bundle that the extension host loads (`extensionTestsPath`). */
export const integrationSourceDir = join(repoRoot, 'test', 'integration');
export const integrationOutDir = join(repoRoot, 'out', 'integration');
export const uiTestsDir = join(repoRoot, 'test', 'ui');
