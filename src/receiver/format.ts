// Display formatting shared by every front end (the CLI's `listen` lines, the payload viewer, the extension's trees,
// tooltips and notifications): one date and time style everywhere. Pure and platform-neutral: no Node, DOM or `vscode` APIs, so the webview bundle can import it too.

/** Local wall-clock time with milliseconds, e.g. "14:03:21.045"; the input unchanged when it is not a date. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** A local date as Penpot's settings page writes one, e.g. "Jul 24, 2026" in English; the input when not a date. */
export function formatDate(iso: string, locale?: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** Local date and time, for tooltips and headers, e.g. "Jul 24, 2026 14:08:41.045". */
export function formatDateTime(iso: string, locale?: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${formatDate(iso, locale)} ${formatTime(iso)}`;
}

/** "512 B", "2.0 KB", "3.0 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
