// The packaged extension as a user gets it: `npm run package` builds the .vsix, `code-server --install-extension`
// accepts it, and VS Code then shows its contributions and activates it (no development extension loaded).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '../harness/ui';
import { packageVsix } from '../harness/vsix';
import { keepArtifactsOnFailure, openWorkbench, type Workbench } from '../harness/workbench';

interface Manifest {
  publisher: string;
  name: string;
  version: string;
  displayName: string;
  contributes?: { viewsContainers?: { activitybar?: { title: string }[] } };
}

const manifest = JSON.parse(readFileSync(resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;
const UI_WAIT_MS = 20_000;

describe('packaged extension (.vsix) installed into code-server', { timeout: 10 * 60_000 }, () => {
  let workDir: string;
  let workbench: Workbench;
  const step = (name: string, steps: () => Promise<void>) => () => keepArtifactsOnFailure(workbench, name, steps);

  before(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'penpot-vsix-ui-'));
    const vsix = join(workDir, `${manifest.name}.vsix`);
    packageVsix(vsix);
    workbench = await openWorkbench({ installExtensions: [vsix], extensionDevelopmentPath: false });
  });

  after(async () => {
    await workbench?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('is accepted by code-server --install-extension', () => {
    assert.match(workbench.server.installOutput, /was successfully installed/);
    const installed = join(workbench.server.extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
    for (const file of ['package.json', 'dist/extension.js']) {
      assert.ok(existsSync(join(installed, file)), `${file} missing from the installed extension`);
    }
  });

  it('shows its activity bar containers', step('vsix-activity-bar', async () => {
    const titles = (manifest.contributes?.viewsContainers?.activitybar ?? []).map((c) => c.title);
    for (const title of titles) {
      await workbench.page.locator(`.activitybar .action-item .action-label[aria-label="${title}"]`).waitFor({ timeout: UI_WAIT_MS });
    }
  }));

  it('activates (listed with an activation time by "Developer: Show Running Extensions")', step('vsix-running', async () => {
    const { page } = workbench;
    await runCommand(page, 'Developer: Show Running Extensions');
    const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: manifest.displayName });
    // The activation time appears once activate() has returned.
    await row.filter({ hasText: 'Activation' }).waitFor({ timeout: UI_WAIT_MS });
  }));
});
