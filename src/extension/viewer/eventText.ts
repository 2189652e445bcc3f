// What the viewer's actions make of a stored event: its payload as plain JSON (Copy JSON, Open as JSON), the
// text searched by the filter box, a curl command, and export files. Pure (no `vscode`): unit-tested under Node.
import { resendHeaders } from '../../receiver';
import type { ReceivedEvent } from '../../receiver/types';
import { toPlainJson } from '../../transit';
import type { ExportFormat } from './protocol';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as UTF-8 text, or undefined when it is not valid UTF-8 (binary). */
export function bodyText(event: Pick<ReceivedEvent, 'bodyBase64'>): string | undefined {
  try {
    return strictUtf8.decode(Buffer.from(event.bodyBase64, 'base64'));
  } catch {
    return undefined;
  }
}

/** The decoded payload as ordinary JSON (Transit through toPlainJson); undefined when the body is not JSON/Transit. */
export function payloadJson(event: Pick<ReceivedEvent, 'decoded'>): unknown {
  if (!event.decoded) return undefined;
  return event.decoded.kind === 'json' ? event.decoded.value : toPlainJson(event.decoded.value);
}

/** Pretty JSON of the payload for copying and the read-only document. */
export function payloadJsonText(event: Pick<ReceivedEvent, 'decoded'>, indent: number | string = 2): string | undefined {
  return event.decoded ? JSON.stringify(payloadJson(event), null, indent) : undefined;
}

/**
 * The lower-cased text the free-text search looks in: the decoded payload as compact plain JSON (so both
 * `rename-file` and `"name":"rename-file"` match), or the body text when it was not decoded. Not cached here:
 * the viewer's SearchIndex keeps it (off the JS heap) for every stored event.
 */
export function searchableText(event: ReceivedEvent): string {
  return (event.decoded ? JSON.stringify(payloadJson(event)) : bodyText(event) ?? '').toLowerCase();
}

/** Ids of the events whose payload contains `query` (case-insensitive); every id for a blank query. */
export function searchEvents(events: Iterable<ReceivedEvent>, query: string): string[] {
  const needle = query.trim().toLowerCase();
  const ids: string[] = [];
  for (const event of events) if (!needle || searchableText(event).includes(needle)) ids.push(event.id);
  return ids;
}

/** Quotes a word for POSIX shells: single quotes, with each ' written as '\''. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** An HTTP token (RFC 9110 §5.6.2): what a method or a header name may be. */
const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * A curl command that sends the same request again to `url` (or to the URL a shell variable will hold): method, the headers worth resending (the same
 * selection as Replay), and the exact body bytes. Nothing stored is ever read by the shell or by curl as syntax:
 * every word is single-quoted (the method too), the body goes through stdin (`--data-binary @-`, which sends the
 * bytes as they are: no `@file` lookup, no newline stripping) from a quoted literal, or through `base64 -d` when
 * it is not text, and a header whose name is not an HTTP token (curl would read `-H @file` as a file) is left out.
 */
export function curlCommand(event: ReceivedEvent, url: string | { shellVariable: string }): string {
  const target = typeof url === 'string' ? shellQuote(url) : `"$${url.shellVariable}"`;
  const parts = [`curl -X ${shellQuote(event.method)} --url ${target}`];
  for (const [name, value] of resendHeaders(event)) {
    if (!HTTP_TOKEN.test(name)) continue;
    // `-H 'Name:'` would make curl drop the header; `Name;` is curl's way to send it empty.
    parts.push(`-H ${shellQuote(value === '' ? `${name};` : `${name}: ${value}`)}`);
  }
  if (event.size === 0) return parts.join(' \\\n  ');
  parts.push('--data-binary @-');
  const curl = parts.join(' \\\n  ');
  const text = bodyText(event);
  // printf is a shell builtin: no argument-size limit, and `%s` prints its argument byte for byte.
  if (text !== undefined && !text.includes('\0')) return `printf '%s' ${shellQuote(text)} | ${curl}`;
  return `printf '%s' ${shellQuote(event.bodyBase64)} | base64 -d | ${curl}`;
}

/**
 * Export file contents: the stored events as they are kept (ReceivedEvent, src/receiver/types.ts: exact body as
 * base64, headers, decoded payload, forward result), oldest first; a JSON array or one JSON object per line.
 */
export function exportText(events: readonly ReceivedEvent[], format: ExportFormat): string {
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  if (format === 'ndjson') return ordered.map((e) => JSON.stringify(e)).join('\n') + (ordered.length ? '\n' : '');
  return JSON.stringify(ordered, null, 2) + '\n';
}
