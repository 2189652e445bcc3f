// Smoke suite: the development extension loads from this repository, activates, and every command the manifest
// mentions is really registered (the manifest is read at test time, so no entry can dangle).
import * as assert from 'node:assert/strict';
import { readFileSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import * as vscode from 'vscode';
import type { PenpotIntegrationsApi } from '../../src/extension/extension';
import { report } from './report';

interface Manifest {
  publisher: string;
  name: string;
  contributes?: {
    commands?: { command: string }[];
    menus?: Record<string, { command?: string }[]>;
    keybindings?: { command: string }[];
  };
}

/** Activation goal from the task; reported, not asserted (speed goals belong to benchmarks). */
const ACTIVATION_GOAL_MS = 50;

// The bundle runs from out/integration/, two levels below the repository root.
const repoRoot = resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(resolve(repoRoot, 'package.json'), 'utf8')) as Manifest;
const extensionId = `${manifest.publisher}.${manifest.name}`;

function extension(): vscode.Extension<PenpotIntegrationsApi> {
  const found = vscode.extensions.getExtension<PenpotIntegrationsApi>(extensionId);
  assert.ok(found, `extension ${extensionId} is not loaded`);
  return found;
}

describe('smoke', () => {
  it('loads this repository as the development extension', () => {
    assert.equal(realpathSync(extension().extensionPath), realpathSync(repoRoot));
  });

  it('activates and exports its API with the activation cost', async function () {
    const api = await extension().activate();
    assert.ok(extension().isActive, 'extension is not active after activate()');
    assert.equal(typeof api?.activationMs, 'number', 'activate() must return { activationMs }');
    assert.ok(Number.isFinite(api.activationMs) && api.activationMs >= 0, `bad activationMs ${api.activationMs}`);
    const verdict = api.activationMs < ACTIVATION_GOAL_MS ? 'within' : 'OVER';
    report(`      activate() took ${api.activationMs.toFixed(2)} ms (${verdict} the ${ACTIVATION_GOAL_MS} ms goal)`);
  });

  it('registers every command contributed in package.json', async () => {
    await extension().activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = (manifest.contributes?.commands ?? []).map((c) => c.command);
    assert.deepEqual(contributed.filter((id) => !registered.has(id)), [], 'contributed but not registered');
    if (contributed.length === 0) report('      (package.json contributes no commands yet)');
  });

  it('registers every command that menus and keybindings refer to', async () => {
    await extension().activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const menuItems = Object.values(manifest.contributes?.menus ?? {}).flat();
    const referenced = [...menuItems, ...(manifest.contributes?.keybindings ?? [])]
      .map((item) => item.command)
      .filter((id): id is string => typeof id === 'string');
    assert.deepEqual([...new Set(referenced)].filter((id) => !registered.has(id)), [], 'referenced but not registered');
  });

  it('receives environment from the runner that started VS Code', () => {
    // Set by test/harness (code-server) and test/harness/electron.ts; proves runner-provided env reaches the suite.
    assert.match(process.env.PENPOT_TEST_HARNESS ?? '(unset)', /^(code-server|electron)$/);
  });
});
