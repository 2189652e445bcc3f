// Recursive file listing shared by the harness (Node) and the integration runner (extension host).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file below `dir` whose name ends with `suffix`, sorted; skips node_modules and missing folders. */
export function findFiles(dir: string, suffix: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name !== 'node_modules')
    .flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? findFiles(full, suffix) : full.endsWith(suffix) ? [full] : [];
    })
    .sort();
}
