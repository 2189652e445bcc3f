// Pure display helpers of the payload viewer (no DOM): unit-tested under Node. Times and sizes are formatted by
// src/receiver/format.ts, shared with the CLI.
import { isPenpotDeliverySuccess, MAX_WEBHOOK_ERRORS } from '../../src/penpot/types';

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** UTF-8 text of the bytes; invalid sequences become U+FFFD rather than failing. */
export function bytesToText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

/** Classic 16-bytes-a-line hex dump of the first `max` bytes. */
export function hexDump(bytes: Uint8Array, max = 4096): string {
  const lines: string[] = [];
  const end = Math.min(bytes.length, max);
  for (let offset = 0; offset < end; offset += 16) {
    const chunk = bytes.subarray(offset, Math.min(offset + 16, end));
    const hex = Array.from(chunk, (b) => b.toString(16).padStart(2, '0')).join(' ').padEnd(47, ' ');
    const ascii = Array.from(chunk, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex}  ${ascii}`);
  }
  if (bytes.length > end) lines.push(`… ${bytes.length - end} more bytes`);
  return lines.join('\n');
}

/** ok: Penpot would count the answer as delivered; warn: a 2xx Penpot counts as failed; bad: any other outcome. */
export type StatusTone = 'ok' | 'warn' | 'bad';

export interface StatusLabel {
  /** "204", "202", "ERR" (no answer, with an error), "—" (nothing to show). */
  text: string;
  tone: StatusTone;
  /** Why a warn is one, for the tooltip. */
  note?: string;
}

/**
 * Label of a forward or replay answer. Penpot itself only counts 200 and 204 as delivered (§4.1), so another 2xx
 * is a warning: the integration under development would make a real Penpot webhook fail.
 */
export function statusLabel(status: number | undefined, error?: string): StatusLabel {
  if (status === undefined) return { text: error ? 'ERR' : '—', tone: 'bad' };
  if (isPenpotDeliverySuccess(status)) return { text: String(status), tone: 'ok' };
  if (status >= 200 && status < 300) {
    return {
      text: String(status),
      tone: 'warn',
      note: `Penpot would count ${status} as a failed delivery: only 200 and 204 count as delivered, and ${MAX_WEBHOOK_ERRORS} failures in a row disable the webhook.`,
    };
  }
  return { text: String(status), tone: 'bad' };
}
