// The .vsix built by `npm run package` holds exactly what the installed extension uses: the production bundles
// (no source maps or test bundles), media/ without its TypeScript sources, the icons the manifest points at,
// package.json, README.md and LICENSE.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findFiles } from '../harness/files';
import { packageVsix, zipEntryNames } from '../harness/vsix';

const root = resolve(__dirname, '..', '..');
/** vsce's own bookkeeping entries next to the `extension/` folder. */
const VSIX_METADATA = ['[Content_Types].xml', 'extension.vsixmanifest'];

/** Files below `dir` (relative to the repository root, '/'-separated) for which `keep` holds. */
function treeFiles(dir: string, keep: (file: string) => boolean): string[] {
  return findFiles(join(root, dir), '')
    .map((file) => relative(root, file).split('\\').join('/'))
    .filter(keep);
}

/** File paths the manifest refers to (entry point, icons); codicon references such as `$(sync)` are not files. */
function manifestFileReferences(manifest: Record<string, unknown>): string[] {
  const found = new Set<string>();
  const add = (path: unknown): void => {
    if (typeof path === 'string' && !path.startsWith('$(')) found.add(path.replace(/^\.\//, ''));
  };
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'icon') {
          // An icon is a path, a codicon reference, or { light, dark } paths.
          if (child && typeof child === 'object') Object.values(child).forEach(add);
          else add(child);
        } else visit(child);
      }
    }
  };
  add(manifest.main);
  add(manifest.icon);
  visit(manifest.contributes);
  return [...found].sort();
}

describe('extension package (.vsix)', { timeout: 10 * 60_000 }, () => {
  let workDir: string;
  let entries: string[];
  let files: string[];

  before(() => {
    workDir = mkdtempSync(join(tmpdir(), 'penpot-vsix-'));
    const vsix = join(workDir, 'penpot-integrations.vsix');
    packageVsix(vsix);
    entries = zipEntryNames(vsix);
    files = entries.filter((name) => name.startsWith('extension/')).map((name) => name.slice('extension/'.length)).sort();
  });

  after(() => rmSync(workDir, { recursive: true, force: true }));

  it('holds exactly the bundles, media (icons included), package.json, README.md and LICENSE', () => {
    const expected = [
      'LICENSE.txt', // vsce stores LICENSE and README.md under these names
      'readme.md',
      'package.json',
      ...treeFiles('dist', (f) => !f.endsWith('.map') && !f.endsWith('.test.js')),
      ...treeFiles('media', (f) => !f.endsWith('.ts') && !f.endsWith('tsconfig.json')),
      ...treeFiles('schemas', (f) => f.endsWith('.json')),
    ].sort();
    assert.deepEqual(files, expected);
    assert.deepEqual(entries.filter((name) => !name.startsWith('extension/')).sort(), VSIX_METADATA);
  });

  it('contains the entry point, the 128×128 icon and every file the manifest points at', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    const referenced = manifestFileReferences(manifest);
    assert.ok(referenced.includes('dist/extension.js') && referenced.includes('media/icon.png'), `references: ${referenced.join(', ')}`);
    assert.deepEqual(referenced.filter((file) => !files.includes(file)), [], 'referenced by package.json but not packaged');
    const png = readFileSync(join(root, 'media', 'icon.png'));
    assert.equal(png.toString('latin1', 1, 4), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'icon width × height');
  });

  it('leaves out sources, source maps, tests and tooling', () => {
    const unwanted = files.filter((f) => /\.(ts|map)$|^(src|test|node_modules|out|\.cache|\.vscode|\.ci)\//.test(f));
    assert.deepEqual(unwanted, []);
  });
});
