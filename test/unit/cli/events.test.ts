// `events list|schema|example|validate|types`, run in-process through runCli on real files.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import { runCli } from '../../../src/cli/main';
import { PENPOT_EVENTS } from '../../../src/penpot/catalog';
import { generateWebhookTypes } from '../../../src/penpot/typesGen';

interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(...args: string[]): Promise<Output> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {} });
  return { code, stdout, stderr };
}

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'penpot-events-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('events CLI', () => {
  it('lists the 24 events with routing and debounce', async () => {
    const text = await cli('events', 'list');
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^update-file\s+team-id\s+120 s\s+Someone edits a file/m);
    const json = await cli('events', 'list', '--json');
    const events = JSON.parse(json.stdout) as { name: string; routingKey: string; debounceMs: number | null }[];
    assert.deepEqual(events.map((e) => e.name), PENPOT_EVENTS.map((e) => e.name));
    assert.equal(events.find((e) => e.name === 'update-project-pin')?.debounceMs, 5000);
  });

  it('prints schemas that ajv compiles and that the examples satisfy, per version', async () => {
    const any = JSON.parse((await cli('events', 'schema')).stdout) as Record<string, unknown>;
    const one = JSON.parse((await cli('events', 'schema', 'rename-file', '--penpot-version', '2.13')).stdout) as Record<string, unknown>;
    const ajv = new Ajv2020({ strict: true });
    const example = JSON.parse((await cli('events', 'example', 'rename-file')).stdout) as unknown;
    const old = JSON.parse((await cli('events', 'example', 'rename-file', '--penpot-version', '2.13')).stdout) as unknown;
    assert.equal(ajv.validate(any, example), true);
    assert.equal(ajv.validate(one, old), true);
    assert.equal(ajv.validate(one, example), false, 'a 2.15+ payload is not a 2.2–2.13 one');
    const unknown = await cli('events', 'schema', 'rename-folder');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown event "rename-folder"/);
  });

  it('validates files: names event and shape, lists problems with paths, exit 1 when any does not match', async () => {
    const good = join(dir, 'good.json');
    const transit = join(dir, 'old.transit');
    const sniffed = join(dir, 'sniffed.txt');
    const bad = join(dir, 'bad.json');
    writeFileSync(good, (await cli('events', 'example', 'rename-file')).stdout);
    writeFileSync(transit, (await cli('events', 'example', 'create-comment', '--format', 'transit', '--penpot-version', '2.14')).stdout);
    writeFileSync(sniffed, (await cli('events', 'example', 'move-files', '--format', 'transit')).stdout);
    const payload = JSON.parse(readFileSync(good, 'utf8')) as { props: Record<string, unknown> } & Record<string, unknown>;
    payload.props.name = 42;
    payload.hookId = 'x';
    writeFileSync(bad, JSON.stringify(payload));

    const ok = await cli('events', 'validate', good, transit, sniffed);
    assert.equal(ok.code, 0, ok.stdout);
    assert.equal(ok.stdout, [
      `${good}: matches rename-file (Penpot 2.15+), json`,
      `${transit}: matches create-comment (Penpot 2.14), transit`,
      `${sniffed}: matches move-files (Penpot 2.15+), transit`,
      '',
    ].join('\n'));

    const mixed = await cli('events', 'validate', good, bad, join(dir, 'missing.json'));
    assert.equal(mixed.code, 1);
    assert.match(mixed.stdout, /bad\.json: does not match \(rename-file, checked as Penpot 2\.15\+ \(closest shape\), json\):\n {2}props\.name: expected string, got number 42\n {2}hookId: a field Penpot 2\.15\+ does not send\n/);
    assert.match(mixed.stdout, /missing\.json: no such file/);

    const json = await cli('events', 'validate', bad, '--json');
    const [verdict] = JSON.parse(json.stdout) as { event: string; matches: boolean; problems: { path: string }[] }[];
    assert.deepEqual([verdict.event, verdict.matches, verdict.problems.map((p) => p.path)], ['rename-file', false, ['props.name', 'hookId']]);

    const forced = await cli('events', 'validate', good, '--format', 'transit');
    assert.equal(forced.code, 1, 'JSON read as Transit is not an event with Penpot keys');
    assert.equal((await cli('events', 'validate')).code, 2);
  });

  it('prints the types, or writes them with --out', async () => {
    const printed = await cli('events', 'types');
    assert.equal(printed.stdout, generateWebhookTypes());
    const out = join(dir, 'penpot-webhooks.ts');
    const written = await cli('events', 'types', '--out', out, '--penpot-version', '2.13');
    assert.equal(written.code, 0);
    assert.equal(readFileSync(out, 'utf8'), generateWebhookTypes('2.2–2.13'));
    assert.match(written.stderr, /Wrote .*penpot-webhooks\.ts \(24 events, Penpot 2\.2–2\.13 shape\)/);
  });
});
