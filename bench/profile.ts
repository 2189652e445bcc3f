// `npx tsx bench/profile.ts [receiver|bare] [seconds]`: a CPU profile (node --cpu-prof) of one benchmark server
// under the throughput phase's load, and its top frames by self and inclusive time. The profile itself goes to the
// OS temp directory (its path is printed; open it in Chrome DevTools or VS Code for the call tree).
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { load, typicalRequests } from './load';
import { bundleServer, bundleSourceLines } from './server-bundle';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

async function main(): Promise<void> {
  const mode = process.argv[2] === 'bare' ? 'bare' : 'receiver';
  const seconds = Number(process.argv[3] ?? 8);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'penpot-receiver-profile-'));
  const profileDir = path.join(scratch, 'profile');
  // The server as it ships (server-bundle.ts): its frames are named by the source file each bundle line comes from.
  const bundle = await bundleServer(scratch);
  const sourceOf = bundleSourceLines(bundle);
  const child = fork(bundle, [mode], {
    execArgv: ['--expose-gc', '--cpu-prof', `--cpu-prof-dir=${profileDir}`],
    env: { ...process.env, BENCH_HISTORY_FILE: path.join(scratch, 'history.jsonl') },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve) => child.once('message', (m: { url: string }) => resolve(m.url)));
  const { result } = await load(url, { connections: 10, duration: seconds }, typicalRequests());
  await new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.send({ type: 'close' }); });
  const file = fs.readdirSync(profileDir).map((name) => path.join(profileDir, name)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
  // Kept out of the repository: a profile names the files of this checkout.
  const out = path.join(os.tmpdir(), `penpot-receiver-profile-${mode}.cpuprofile`);
  fs.copyFileSync(file, out);
  fs.rmSync(scratch, { recursive: true, force: true });
  const profile = JSON.parse(fs.readFileSync(out, 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const keyOf = (id: number): string => {
    const { functionName, url: source, lineNumber } = nodes.get(id)!.callFrame;
    const file = source.endsWith(path.basename(bundle)) ? sourceOf[lineNumber] ?? source : source;
    return `${functionName || '(anonymous)'} ${file.split('/').slice(-2).join('/')}`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    const key = keyOf(id);
    if (nodes.get(id)!.callFrame.functionName === '(idle)') return;
    busy += micros;
    self.set(key, (self.get(key) ?? 0) + micros);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const frame = keyOf(at);
      if (!seen.has(frame)) inclusive.set(frame, (inclusive.get(frame) ?? 0) + micros);
      seen.add(frame);
    }
  });
  const answered = result['2xx'];
  const perRequest = (micros: number): string => `${(micros / answered).toFixed(1).padStart(5)} µs/req`;
  console.log(`Profile: ${out}`);
  console.log(`${mode}: ${answered} requests answered in ${seconds} s; ${Math.round(busy / 1000)} ms busy = ${perRequest(busy)} (start-up included)`);
  console.log('Top frames by self time:');
  for (const [key, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`${(100 * micros / busy).toFixed(1).padStart(5)}%  ${perRequest(micros)}  ${key}`);
  }
  console.log('The project\'s own frames by inclusive time:');
  for (const [key, micros] of [...inclusive].filter(([k]) => /(receiver|transit)\//.test(k)).sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    console.log(`${(100 * micros / busy).toFixed(1).padStart(5)}%  ${perRequest(micros)}  ${key}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
