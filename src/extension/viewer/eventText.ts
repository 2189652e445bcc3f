// What the viewer's actions make of a stored event: its payload as plain JSON (Copy JSON, Open as JSON), the
// text searched by the filter box, a curl command, and export files. Pure (no `vscode`): unit-tested under Node.
// The extension host is also where the receiver answers Penpot, so a large body is never decoded or printed here on
// the event loop: the `…Async` functions hand it to the decode workers (src/receiver/decodeWorker.ts), which also
// bound each decode in time and memory; small bodies stay synchronous (the workers' API does that too).
import { resendHeaders } from '../../receiver';
import { decodeAsync, decodeTextAsync, DECODE_TOO_LARGE, IN_PLACE_DECODE_BYTES } from '../../receiver/decodeWorker';
import type { ReceivedEvent } from '../../receiver/types';
import { toPlainJson } from '../../transit';
import { checkReport } from '../../receiver/check';
import type { EventDetail, ExportFormat } from './protocol';

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

/** Whether the body is decoded off the event loop (its size alone decides: reading `decoded` would decode it here). */
export function decodesOffLoop(event: Pick<ReceivedEvent, 'size'>): boolean {
  return event.size > IN_PLACE_DECODE_BYTES;
}

/** Whether the body should decode to a payload, from the list fields only (no full decode). */
export function hasPayload(event: Pick<ReceivedEvent, 'format' | 'decodeError'>): boolean {
  return (event.format === 'json' || event.format === 'transit') && event.decodeError === undefined;
}

export type PayloadTextResult =
  /** `compact`: the indented form was refused (too large in memory); this is the same JSON without indentation. */
  | { text: string; compact?: true }
  /** No payload text: why (not JSON/Transit, invalid, too large or too slow to decode). The raw body is unchanged. */
  | { text?: undefined; compact?: undefined; problem: string };

/** The decode refusals that the same payload without indentation may still pass (it needs far less memory). */
function mayFitCompact(decodeError: string | undefined): boolean {
  return decodeError === DECODE_TOO_LARGE || (decodeError?.startsWith('The payload could not be decoded: ') ?? false);
}

/**
 * payloadJsonText without blocking the event loop on a large body: the JSON text is made in a decode worker. Indented
 * JSON of a deeply nested payload can be hundreds of times its body (each line indented by its depth); when the worker
 * refuses it for memory, the compact form is given instead (`compact`). A refused decode gives a `problem`.
 */
export async function payloadJsonTextAsync(
  event: ReceivedEvent, indent: number | string = 2,
): Promise<PayloadTextResult> {
  if (!decodesOffLoop(event)) {
    const text = payloadJsonText(event, indent);
    return text === undefined ? { problem: event.decodeError ?? `its body is ${event.format}` } : { text };
  }
  const indented = await decodeTextAsync(event, { form: 'plain', indent });
  if (indented.text !== undefined) return { text: indented.text };
  if (indent !== 0 && indent !== '' && mayFitCompact(indented.decodeError)) {
    const compact = await decodeTextAsync(event, { form: 'plain' });
    if (compact.text !== undefined) return { text: compact.text, compact: true };
    return { problem: compact.decodeError ?? `its body is ${compact.format}` };
  }
  return { problem: indented.decodeError ?? `its body is ${indented.format}` };
}

/**
 * The lower-cased text the free-text search looks in: the decoded payload as compact plain JSON (so both
 * `rename-file` and `"name":"rename-file"` match), or the body text when it was not decoded. Not cached here:
 * the viewer's SearchIndex keeps it (off the JS heap) for every stored event.
 */
export function searchableText(event: ReceivedEvent): string {
  return (event.decoded ? JSON.stringify(payloadJson(event)) : bodyText(event) ?? '').toLowerCase();
}

/** searchableText without a full decode on the event loop: a large body's JSON text is made in a decode worker. */
export async function searchableTextAsync(event: ReceivedEvent): Promise<string> {
  if (!decodesOffLoop(event)) return searchableText(event);
  const decoded = await decodeTextAsync(event, { form: 'plain' });
  // A decode refused (too large, too slow, invalid): the body text is still searchable, as for any undecoded body.
  return (decoded.text ?? bodyText(event) ?? '').toLowerCase();
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

/** ReceivedEvent's fields in its declared order, `decoded` left to the caller (reading it would decode the body). */
function exportFields(event: ReceivedEvent, decoded: unknown, decodeError: string | undefined): Record<string, unknown> {
  return {
    id: event.id, seq: event.seq, receivedAt: event.receivedAt, method: event.method, path: event.path, headers: event.headers,
    remoteAddress: event.remoteAddress, contentType: event.contentType, size: event.size, bodyBase64: event.bodyBase64,
    format: event.format, decoded, decodeError, summary: event.summary, responseStatus: event.responseStatus,
    forward: event.forward, simulated: event.simulated,
  };
}

/**
 * exportText without decoding large bodies on the event loop. A large body's `decoded` is the JSON text the worker
 * made (DecodedPayload, as `listen --json` prints it), spliced in compact: re-indenting it here would cost what the
 * worker saved. A refused decode leaves `decoded` out and says why in `decodeError`; `bodyBase64` is always there.
 */
export async function exportTextAsync(events: readonly ReceivedEvent[], format: ExportFormat): Promise<string> {
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  const records: string[] = [];
  const indent = format === 'json' ? 2 : undefined;
  for (const event of ordered) {
    if (!decodesOffLoop(event)) {
      records.push(JSON.stringify(event, null, indent));
      continue;
    }
    const decoded = await decodeTextAsync(event, { form: 'payload' });
    if (decoded.text === undefined) {
      records.push(JSON.stringify(exportFields(event, undefined, decoded.decodeError ?? event.decodeError), null, indent));
      continue;
    }
    // A placeholder no stored value can equal (it names the event and a random number), replaced by the text.
    const placeholder = `decoded:${event.id}:${Math.random()}`;
    const record = JSON.stringify(exportFields(event, placeholder, decoded.decodeError), null, indent);
    records.push(record.replace(JSON.stringify(placeholder), () => decoded.text!));
  }
  if (format === 'ndjson') return records.map((r) => r + '\n').join('');
  const body = records.map((r) => '  ' + r.replace(/\n/g, '\n  ')).join(',\n');
  return records.length === 0 ? '[]\n' : `[\n${body}\n]\n`;
}

/**
 * What the viewer's detail shows. A large body is decoded in the workers twice over, in parallel: as a tree (copied
 * back, not decoded here) for the contract check, and as JSON text for the webview, so the host never serializes it.
 */
export async function eventDetail(event: ReceivedEvent): Promise<EventDetail> {
  if (!decodesOffLoop(event)) return { event, check: checkReport(event) };
  const [tree, text] = await Promise.all([decodeAsync(event), decodeTextAsync(event, { form: 'payload' })]);
  const check = checkReport(tree);
  const decodeError = text.text === undefined ? text.decodeError ?? tree.decodeError ?? event.decodeError : undefined;
  const plain = exportFields(event, undefined, decodeError) as unknown as ReceivedEvent;
  return text.text === undefined ? { event: plain, check } : { event: plain, check, decodedJson: text.text };
}
