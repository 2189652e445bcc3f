// Aligned plain-text tables for the CLI's human output.
import type { CliContext } from './command';

// Control characters (C0, DEL, C1), line/paragraph separators and bidi overrides: a name from Penpot or a payload
// that carries them could move the cursor, write the clipboard (OSC 52), fake a link (OSC 8) or reorder the line.
 
const UNSAFE_FOR_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` safe to print to a terminal: every control character as a visible escape (`\x1b`, `\n`, `\u202e`).
 * For human output only; --json output is JSON-escaped already.
 */
export function escapeControl(text: string): string {
  if (!UNSAFE_FOR_TERMINAL.test(text)) return text;
  UNSAFE_FOR_TERMINAL.lastIndex = 0;
  return text.replace(UNSAFE_FOR_TERMINAL, (char) => {
    const code = char.charCodeAt(0);
    if (char === '\n') return '\\n';
    if (char === '\r') return '\\r';
    if (char === '\t') return '\\t';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Columns separated by two spaces, each as wide as its widest cell; the last column is not padded. Cells are passed
 * through `escapeControl`.
 */
export function formatTable(headers: string[], rawRows: string[][]): string {
  const rows = rawRows.map((row) => row.map(escapeControl));
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** What a list command prints: the list itself with --json, `empty` when there is nothing, otherwise a table. */
export function printList<T>(
  ctx: Pick<CliContext, 'json' | 'print' | 'printJson'>, items: readonly T[], empty: string, headers: string[], row: (item: T) => string[],
): void {
  if (ctx.json) ctx.printJson(items);
  else if (items.length === 0) ctx.print(empty);
  else ctx.print(formatTable(headers, items.map(row)));
}

/**
 * "2026-07-24" (the UTC day) from an ISO instant, the input itself when it does not parse: tables meant for scripts
 * as well as people, so not the locale style of src/receiver/format.ts that the extension uses.
 */
export function isoDay(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time).toISOString().slice(0, 10);
}
