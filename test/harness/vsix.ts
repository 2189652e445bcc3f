// Builds the .vsix through `npm run package` (the one definition of how the extension is packaged) and lists a
// package's files by reading the zip's central directory.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { npmCli } from './install';
import { repoRoot } from './paths';

/** Runs `npm run package -- --out <file>` (production build + vsce) and returns its combined output. */
export function packageVsix(outFile: string): string {
  const result = spawnSync(process.execPath, [npmCli(), 'run', 'package', '--', '--out', outFile], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'], // no stdin: a vsce prompt fails instead of waiting forever
    encoding: 'utf8',
    timeout: 5 * 60_000,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) throw new Error(`npm run package failed (${result.signal ?? `exit ${result.status}`}):\n${output}`);
  return output;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;

/** Names of the entries of a zip file (a .vsix), in stored order. Zip64 archives are not supported. */
export function zipEntryNames(file: string): string[] {
  const zip = readFileSync(file);
  // The end-of-central-directory record is the last 22 bytes plus an optional comment of up to 64 KiB.
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error(`${file} is not a zip file (no end-of-central-directory record)`);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY) throw new Error(`${file}: corrupt central directory entry ${i}`);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
