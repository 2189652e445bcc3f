// "Penpot: Generate Webhook Types" and "Penpot: Browse Webhook Events" inside a real VS Code: the types land in the
// workspace, open in an editor, and compile with `tsc --strict` (the project's own typescript, in a child process)
// together with a handler that narrows by `name`, while a mistyped handler is rejected; an existing file is only
// replaced when allowed; without a file the types open as an untitled TypeScript document.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { buildPenpotEvent, encodePenpotEvent } from '../../src/penpot/events';
import { generateWebhookTypes } from '../../src/penpot/typesGen';

const EXTENSION_ID = 'penpot-integrations.penpot-integrations';

interface Result {
  ok: boolean;
  message?: string;
  cancelled?: boolean;
  uri?: string;
  shape?: string;
  events?: number;
  outcome?: string;
}

function run(command: string, ...args: unknown[]): Thenable<Result> {
  return vscode.commands.executeCommand<Result>(command, ...args);
}

let folder: string;
let typesFile: string;

/** `tsc -p` over `files` (written into the workspace next to the generated types); exit code and diagnostics. */
function compile(files: Record<string, string>): { code: number | null; output: string } {
  const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  const tsconfig = {
    compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'commonjs', types: [], skipLibCheck: true },
    files: ['src/penpot-webhooks.ts', ...Object.keys(files)],
  };
  writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify(tsconfig));
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', folder], {
    encoding: 'utf8', timeout: 120_000, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  return { code: tsc.status, output: `${tsc.stdout}${tsc.stderr}${tsc.error ? String(tsc.error) : ''}` };
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const HANDLER = `import type { PenpotWebhookEvent, RenameFileEvent } from './src/penpot-webhooks';

/** What a handler in a user's project does: narrow by name, then read that event's props. */
export function describeEvent(event: PenpotWebhookEvent): string {
  switch (event.name) {
    case 'rename-file': return \`file \${event.props.id} is now "\${event.props.name}" (project \${event.props.projectId})\`;
    case 'create-comment-thread': return \`\${event.props.ownerFullname}: \${event.props.content} at \${event.props.position.x},\${event.props.position.y}\`;
    case 'update-file': return event.props.features.join(', ');
    case 'set-file-shared': return event.props.projectId ?? 'published: reaches nobody';
    default: return \`\${event.name} at \${event.createdAt}\`;
  }
}
`;

describe('Penpot: Generate Webhook Types and Browse Webhook Events', function () {
  // tsc over the generated module takes several seconds on a busy machine.
  this.timeout(120_000);
  before(() => {
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(workspace, 'the harness opens a workspace folder');
    folder = workspace;
    typesFile = join(folder, 'src', 'penpot-webhooks.ts');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const name of ['src', 'handler.ts', 'mistyped.ts', 'example.ts', 'tsconfig.json']) rmSync(join(folder, name), { recursive: true, force: true });
  });

  it('writes the types into the workspace, opens them, and they compile with tsc --strict with a handler narrowing by name', async () => {
    const result = await run('penpot.events.generateTypes', { uri: typesFile, shape: '2.15+' });
    assert.equal(result.ok, true, result.message);
    assert.equal(result.outcome, 'created');
    assert.equal(result.shape, '2.15+');
    assert.equal(result.events, 24);
    assert.equal(vscode.Uri.parse(result.uri!).fsPath, typesFile);
    // The CLI's `events types` prints the same function's output.
    assert.equal(readFileSync(typesFile, 'utf8'), generateWebhookTypes('2.15+'));
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, typesFile, 'the generated file is open');

    const example = encodePenpotEvent(buildPenpotEvent('rename-file', { shape: '2.15+' }), 'json').body;
    const compiled = compile({
      'handler.ts': HANDLER,
      // A payload as the receiver gets it is assignable to the event's interface.
      'example.ts': `import type { RenameFileEvent } from './src/penpot-webhooks';\nexport const renamed: RenameFileEvent = ${example};\n`,
    });
    assert.equal(compiled.code, 0, compiled.output);
  });

  it('rejects a handler that reads a prop the event does not have, or a name Penpot does not send', () => {
    const compiled = compile({
      'mistyped.ts': [
        "import type { PenpotWebhookEvent } from './src/penpot-webhooks';",
        'export function projectOf(event: PenpotWebhookEvent): string {',
        '  switch (event.name) {',
        "    case 'create-project': return event.props.projectId;",
        "    case 'rename-fil': return 'misspelled';",
        '    default: return event.name;',
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    assert.notEqual(compiled.code, 0, 'tsc accepted a mistyped handler');
    assert.match(compiled.output, /mistyped\.ts\(4,\d+\): error TS2339: Property 'projectId' does not exist on type 'CreateProjectProps'/);
    assert.match(compiled.output, /mistyped\.ts\(5,\d+\): error TS2678: Type '"rename-fil"' is not comparable/);
  });

  it('replaces a file holding something else only when allowed, and leaves one already holding the types as it is', async () => {
    writeFileSync(typesFile, '// my own code\n');
    const refused = await run('penpot.events.generateTypes', { uri: typesFile, shape: '2.15+', overwrite: false });
    assert.equal(refused.ok, false);
    assert.equal(refused.cancelled, true);
    assert.match(refused.message ?? '', /Left src\/penpot-webhooks\.ts as it was/);
    assert.equal(readFileSync(typesFile, 'utf8'), '// my own code\n');

    const replaced = await run('penpot.events.generateTypes', { uri: typesFile, penpotVersion: '2.14', overwrite: true });
    assert.equal(replaced.ok, true, replaced.message);
    assert.equal(replaced.outcome, 'replaced');
    assert.equal(replaced.shape, '2.14');
    assert.equal(readFileSync(typesFile, 'utf8'), generateWebhookTypes('2.14'));

    // Same content: nothing to ask, nothing written.
    const again = await run('penpot.events.generateTypes', { uri: typesFile, shape: '2.14' });
    assert.equal(again.ok, true, again.message);
    assert.equal(again.outcome, 'unchanged');
  });

  it('creates the folders the file goes in', async () => {
    const nested = join(folder, 'src', 'types', 'generated', 'penpot.ts');
    assert.equal(existsSync(join(folder, 'src', 'types')), false);
    const result = await run('penpot.events.generateTypes', { uri: nested, shape: '2.0–2.1' });
    assert.equal(result.ok, true, result.message);
    assert.equal(readFileSync(nested, 'utf8'), generateWebhookTypes('2.0–2.1'));
  });

  it('opens the types as an untitled TypeScript document when asked for no file', async () => {
    const result = await run('penpot.events.generateTypes', { uri: 'untitled', penpotVersion: '2.13' });
    assert.equal(result.ok, true, result.message);
    assert.equal(result.outcome, 'untitled');
    assert.equal(result.shape, '2.2–2.13');
    const document = vscode.window.activeTextEditor?.document;
    assert.ok(document?.isUntitled, 'an untitled document is active');
    assert.equal(document.languageId, 'typescript');
    assert.equal(document.getText(), generateWebhookTypes('2.2–2.13'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('names what is wrong with an unknown shape or version', async () => {
    const shape = await run('penpot.events.generateTypes', { uri: typesFile, shape: '3.0' });
    assert.equal(shape.ok, false);
    assert.match(shape.message ?? '', /Unknown payload shape "3\.0"; use one of 2\.15\+, 2\.14, 2\.2–2\.13, 2\.0–2\.1/);
    const version = await run('penpot.events.generateTypes', { uri: typesFile, penpotVersion: '1.19' });
    assert.equal(version.ok, false);
    assert.match(version.message ?? '', /Unknown Penpot version "1\.19"/);
  });

  it('Browse Webhook Events opens one catalog panel, and a second call brings it back', async () => {
    const catalogTabs = (): vscode.Tab[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('penpot.eventCatalog'));
    const opened = await run('penpot.events.browse', { event: 'rename-file' });
    assert.equal(opened.ok, true);
    // The tab model follows the panel's creation asynchronously.
    const [tab] = await until('the catalog tab', () => (catalogTabs().length ? catalogTabs() : undefined));
    assert.equal(tab.label, 'Penpot Webhook Events');
    await run('penpot.events.browse', 'create-comment');
    // A tab opened after the second call shows up after anything that call opened (the main thread keeps the order).
    const marker = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: 'marker' }), { preview: false });
    await until('the marker tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === marker.document.uri.toString()));
    assert.equal(catalogTabs().length, 1, 'one catalog per window');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
