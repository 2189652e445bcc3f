// Prints into the suite's report. Under code-server the extension host's console reaches the harness mixed with the
// workbench's own log lines in the same format, and VS Code locks the console methods against patching, so report
// lines carry the tag the runner passes in PENPOT_TEST_CONSOLE_TAG; the harness prints exactly the tagged lines.
// Plain console.log output from a test still lands in the browser console log kept on failure.
import { format } from 'node:util';

export const CONSOLE_TAG_ENV = 'PENPOT_TEST_CONSOLE_TAG';

export function report(...args: unknown[]): void {
  console.log(`${process.env[CONSOLE_TAG_ENV] ?? ''}${format(...args)}`);
}
