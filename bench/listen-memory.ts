// Issue 14 row 5 at 200 MiB (the unit test stops at 60 MiB): the bundled `listen --json` fed forty 5 MiB Transit
// bodies nested 998 deep, all sent at once; its peak resident memory. Run alone with `npx tsx bench/listen-memory.ts`.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { loadListen } from '../test/unit/receiver/listenLoad';
import type { BenchFigure } from './types';

const root = path.resolve(__dirname, '..');

export async function benchListenMemory(details: Record<string, unknown>): Promise<BenchFigure> {
  const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  if (build.status !== 0) throw new Error(`esbuild.js failed: ${build.stderr}`);
  const result = await loadListen(path.join(root, 'dist', 'cli.js'), 40);
  const decoded = result.lines.filter((line) => line.decodedKind !== undefined).length;
  const peak = Math.round(result.peakRssMiB);
  details.listenMemory = { peakRssMiB: peak, lines: result.lines.length, decoded, seconds: Math.round(result.ms / 1000) };
  return {
    name: `listen --json fed 200 MiB of deep Transit at once: peak RSS (${decoded} of ${result.lines.length} lines decoded, all out in ${Math.round(result.ms / 1000)} s)`,
    value: peak, unit: 'MiB', goal: '< 1,024 MiB, every delivery answered and printed', pass: peak < 1024 && result.lines.length === 45,
  };
}

if (require.main === module) {
  void benchListenMemory({}).then((figure) => console.log(JSON.stringify(figure)));
}
