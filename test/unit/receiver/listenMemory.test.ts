// Issue 14 rows 4 and 5 through the bundled CLI (built here): `listen --json` fed 60 MiB of 5 MiB Transit bodies
// nested 998 deep stays under 1 GiB of resident memory, prints every event decoded, and answers other deliveries
// while it decodes. It used to reach 1.7 GB, and to hold every answer while decoding.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, test } from 'node:test';
import { DEEP_EVENT_SUMMARY } from './deepTransit';
import { MAX_WAITING_BODY_BYTES } from '../../../src/cli/listen';
import { loadListen } from './listenLoad';

const root = resolve(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');

before(() => {
  const started = Date.now();
  const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  const worker = join(root, 'dist', 'decodeWorker.js');
  for (const file of [cli, worker]) {
    assert.ok(existsSync(file) && statSync(file).mtimeMs >= started - 1000, `${file} was not built:\n${build.stderr}`);
  }
});

test('rows 4 and 5: listen --json fed 60 MiB of deep Transit stays under 1 GiB, prints it all decoded, answers meanwhile', { skip: process.platform !== 'linux' && 'reads /proc' }, async (t) => {
  const result = await loadListen(cli, 12);
  t.diagnostic(`peak RSS ${Math.round(result.peakRssMiB)} MiB; all lines out after ${Math.round(result.ms)} ms`);
  assert.ok(result.peakRssMiB < 1024, `peak RSS ${Math.round(result.peakRssMiB)} MiB`);

  assert.equal(result.lines.length, 17);
  const large = result.lines.filter((line) => line.name === DEEP_EVENT_SUMMARY.eventName);
  assert.equal(large.length, 12);
  for (const line of large) {
    assert.equal(line.decodeError, undefined);
    assert.equal(line.decodedKind, 'transit');
  }
  assert.deepEqual(result.lines.filter((line) => line.name === 'rename-file').map((line) => line.decodedKind), ['json', 'json', 'json', 'json', 'json']);
  // The answers never waited for the decodes: each decode takes hundreds of milliseconds in the one worker.
  assert.ok(result.largePrintedWhenSmallAnswered < 12, `${result.largePrintedWhenSmallAnswered} of 12 printed before the small answers`);
});

test('listen --json whose reader stalls holds at most 64 MiB of bodies for it: later large events are printed "Not decoded"', { skip: process.platform !== 'linux' && 'reads /proc' }, async (t) => {
  // Nothing is read until all 16 deliveries (80 MiB) are answered, so no line leaves the process meanwhile.
  const result = await loadListen(cli, 16, 1, { stallOutput: true });
  t.diagnostic(`peak RSS ${Math.round(result.peakRssMiB)} MiB`);
  assert.equal(result.lines.length, 17);
  const large = result.lines.filter((line) => line.name === DEEP_EVENT_SUMMARY.eventName);
  const fits = Math.floor(MAX_WAITING_BODY_BYTES / large[0].size);
  assert.deepEqual(large.map((line) => line.decodedKind ?? 'not decoded'), [
    ...Array<string>(fits).fill('transit'), ...Array<string>(16 - fits).fill('not decoded'),
  ]);
  for (const line of large.slice(fits)) assert.match(line.decodeError ?? '', /^Not decoded: .* still waiting to be decoded and printed; the raw body is kept\.$/);
  assert.equal(result.lines.find((line) => line.name === 'rename-file')?.decodedKind, 'json', 'a small event is still decoded in place');
  assert.ok(result.peakRssMiB < 1024, `peak RSS ${Math.round(result.peakRssMiB)} MiB`);
});
