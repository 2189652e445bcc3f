// Aligned plain-text tables for the CLI's human output.
import type { CliContext } from './command';

/** Columns separated by two spaces, each as wide as its widest cell; the last column is not padded. */
export function formatTable(headers: string[], rows: string[][]): string {
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

/** "2026-07-24" from an ISO instant; the input itself when it does not parse. */
export function formatDate(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time).toISOString().slice(0, 10);
}
