// Mocha entry point loaded by the extension host (`extensionTestsPath`), under code-server (test/harness) or
// @vscode/test-electron. The harness bundles each test/integration/**/*.test.ts next to this file, so adding a
// suite needs no harness change.
import Mocha from 'mocha';
import { findFiles } from '../harness/files';
import { report } from './report';

/** Environment a runner may set: a mocha `grep` pattern and a per-test timeout. */
const GREP_ENV = 'PENPOT_TEST_GREP';
const TIMEOUT_ENV = 'PENPOT_TEST_TIMEOUT_MS';

export async function run(): Promise<void> {
  const timeout = Number(process.env[TIMEOUT_ENV] ?? '') || 20_000;
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout });
  const grep = process.env[GREP_ENV];
  if (grep) mocha.grep(grep);
  const files = findFiles(__dirname, '.test.js');
  if (files.length === 0) throw new Error(`no *.test.js bundles next to ${__dirname}`);
  for (const file of files) mocha.addFile(file);
  // mocha's reporters print through Base.consoleLog; route the report through report() so the harness sees it.
  Mocha.reporters.Base.consoleLog = report;
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
