// The benchmark server (server-process.ts) bundled the way esbuild.js bundles the CLI and the extension, so that
// the receiver's figures are those of the code that ships. Run under tsx instead, every function expression is
// wrapped in a `__name` call (esbuild's keepNames, which tsx turns on), a cost per closure the bundle does not pay:
// it made a contract check 6.7 µs instead of 3.7 (measured). Not minified, so that a profile names the functions;
// esbuild's `// src/…` comments tell which file each line of the bundle comes from.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes the bundle into `dir` and returns its path. */
export async function bundleServer(dir: string): Promise<string> {
  const outfile = path.join(dir, 'server-process.js');
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'server-process.ts')], outfile, bundle: true, platform: 'node', format: 'cjs',
    target: 'node20', logLevel: 'silent',
  });
  return outfile;
}

/** For each line of the bundle (0-based), the source file it comes from ("src/receiver/store.ts"), or ''. */
export function bundleSourceLines(bundle: string): string[] {
  let current = '';
  return fs.readFileSync(bundle, 'utf8').split('\n').map((line) => {
    const marker = /^\/\/ ((?:src|bench|node_modules)\/\S+)$/.exec(line);
    if (marker) current = marker[1];
    return current;
  });
}
