// The generated webhook types compile with `tsc --strict` against the generator's examples of every event and shape,
// narrow by `name`, and reject a mistyped payload.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PAYLOAD_SHAPES, PENPOT_EVENTS } from '../../../src/penpot/catalog';
import { buildPenpotEvent, encodePenpotEvent } from '../../../src/penpot/events';
import { generateWebhookTypes, pascalName } from '../../../src/penpot/typesGen';

// What node_modules/.bin/tsc runs, started with this Node.
const tsc = resolve(__dirname, '..', '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
let dir: string;

function compile(files: Record<string, string>): { code: number | null; output: string } {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const tsconfig = {
    compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'commonjs', types: [], skipLibCheck: true, exactOptionalPropertyTypes: true },
    files: Object.keys(files),
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  const run = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8', timeout: 120_000 });
  return { code: run.status, output: run.stdout + run.stderr };
}

const json = (name: string, shape: (typeof PAYLOAD_SHAPES)[number]): string =>
  encodePenpotEvent(buildPenpotEvent(name, { shape }), 'json').body;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'penpot-types-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('generated webhook types', () => {
  it('declare one interface per event, the union and the names', () => {
    const source = generateWebhookTypes();
    for (const info of PENPOT_EVENTS) {
      assert.match(source, new RegExp(`export interface ${pascalName(info.name)}Event \\{\\n  name: '${info.name}';`));
      assert.ok(source.includes(`/** ${info.description}`), info.name);
    }
    assert.equal(pascalName('unlink-file-from-library'), 'UnlinkFileFromLibrary');
  });

  it('compile with tsc --strict against the examples of every event and shape, and narrow by name', () => {
    const files: Record<string, string> = {};
    PAYLOAD_SHAPES.forEach((shape, index) => {
      files[`types${index}.ts`] = generateWebhookTypes(shape);
      files[`examples${index}.ts`] = [
        `import type { PenpotWebhookEvent, RenameFileEvent } from './types${index}';`,
        `export const examples: PenpotWebhookEvent[] = [\n${PENPOT_EVENTS.map((e) => json(e.name, shape)).join(',\n')}\n];`,
        'export function summary(event: PenpotWebhookEvent): string {',
        '  switch (event.name) {',
        "    case 'rename-file': { const renamed: RenameFileEvent = event; return renamed.props.name; }",
        "    case 'create-comment-thread': return `${event.props.content} at ${event.props.position.x}`;",
        "    case 'move-files': return event.props.ids.join(',');",
        '    default: return event.name;',
        '  }',
        '}',
        '',
      ].join('\n');
    });
    const result = compile(files);
    assert.equal(result.code, 0, result.output);
  });

  it('reject a mistyped payload, a prop of another event and a misspelled name', () => {
    const good = JSON.parse(json('rename-file', '2.15+')) as { props: Record<string, unknown> };
    const mistyped = JSON.stringify({ ...good, props: { ...good.props, name: 42 } }, null, 2);
    const result = compile({
      'types.ts': generateWebhookTypes(),
      'bad.ts': [
        "import type { PenpotWebhookEvent } from './types';",
        `export const mistyped: PenpotWebhookEvent = ${mistyped};`,
        "export function wrongProp(event: PenpotWebhookEvent): string { return event.name === 'rename-file' ? event.props.fontFamily : ''; }",
        "export const misspelled: PenpotWebhookEvent['name'] = 'rename-fil';",
        '',
      ].join('\n'),
    });
    assert.notEqual(result.code, 0);
    const errors = result.output.split('\n').filter((line) => /error TS\d+/.test(line));
    assert.equal(errors.length, 3, result.output);
    assert.match(result.output, /bad\.ts\(\d+,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
    assert.match(result.output, /Property 'fontFamily' does not exist on type 'RenameFileProps'/);
    assert.match(result.output, /"rename-fil"/);
  });
});
