// What the webhook receiver keeps of each request it accepted. Shared by the receiver, its store, the CLI and
// the payload viewer (through the extension). Plain JSON: it is persisted and posted to the webview as is.
import type { TransitNode } from '../transit/types';
import type { EventCheck } from './checkStatus';

export type PayloadFormat = 'json' | 'transit' | 'text' | 'empty' | 'binary';

/** The decoded body: JSON as parsed, Transit as the lossless tree of src/transit/types.ts. */
export type DecodedPayload =
  | { kind: 'json'; value: unknown }
  | { kind: 'transit'; value: TransitNode };

/** Fields pulled out of a Penpot event for the list (§4.2 keys, §4.3 routing keys). */
export interface EventSummary {
  /** Penpot's `name`, e.g. "rename-file"; absent when the body is not a Penpot event. */
  eventName?: string;
  profileId?: string;
  teamId?: string;
  projectId?: string;
  fileId?: string;
}

export interface ForwardResult {
  target: string;
  /** Absent when the target could not be reached. */
  status?: number;
  ms: number;
  /** First 64 KiB of the target's answer, as text. */
  body?: string;
  bodyTruncated?: boolean;
  error?: string;
  at: string;
}

export interface ReceivedEvent {
  /** Unique and increasing within one store. */
  id: string;
  seq: number;
  /** ISO-8601 time the request was fully read. */
  receivedAt: string;
  method: string;
  path: string;
  /** Header pairs in arrival order, names as sent. */
  headers: [string, string][];
  remoteAddress: string;
  contentType: string;
  size: number;
  /** The exact bytes received, base64. */
  bodyBase64: string;
  format: PayloadFormat;
  /** The store rebuilds it from the bytes when read (keeping the last few): compare it by value, not identity. */
  decoded?: DecodedPayload;
  /** Set when the body claimed JSON/Transit but could not be decoded; the raw bytes are still kept. */
  decodeError?: string;
  summary: EventSummary;
  /** The payload checked against Penpot's contract (check.ts), once the store has derived it; not persisted. */
  check?: EventCheck;
  /** The status the receiver answered with. */
  responseStatus: number;
  /** Set when the event was forwarded (the latest attempt). */
  forward?: ForwardResult;
  /** Set on an event created by "Simulate" rather than received from outside. */
  simulated?: boolean;
}
