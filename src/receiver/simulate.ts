// "Simulate": a Penpot-shaped delivery built by the project's event generator (the same one the twin uses),
// POSTed like Penpot would (§4.1 step 4: content type by format, `user-agent: penpot/<version>`).
import { randomBytes } from 'node:crypto';
import { buildPenpotEvent, encodePenpotEvent, type PenpotEventContext } from '../penpot/events';
import type { WebhookFormat } from '../penpot/types';
import { sendHttp, type OutboundResult } from './outbound';

/**
 * Marks a request as sent by Simulate; the receiver flags the stored event `simulated` only when the header carries
 * this process's `SIMULATE_NONCE`, so no outside sender can make its delivery look simulated. (A `trigger` run from
 * another process is therefore shown as an ordinary delivery.)
 */
export const SIMULATED_HEADER = 'x-penpot-integrations-simulated';

/** Random per process, never persisted; forward and replay do not resend the header. */
export const SIMULATE_NONCE = randomBytes(18).toString('base64url');

export interface SimulateOptions {
  /** A Penpot event name (§4.3), e.g. "rename-file". */
  name: string;
  /** Default json. */
  format?: WebhookFormat;
  /** Where to POST. `Receiver.simulate` defaults it to the receiver's own URL; required otherwise. */
  to?: string;
  /** Ids and props to use instead of generated ones. */
  context?: PenpotEventContext;
  timeoutMs?: number;
}

export interface SimulateResult {
  /** The target's answer (status, time, start of its body) or the reason it could not be reached. */
  result: OutboundResult;
  contentType: string;
  /** Exactly what was sent. */
  body: string;
}

export async function simulateEvent(options: SimulateOptions): Promise<SimulateResult> {
  if (options.to === undefined) throw new Error('Simulate needs a target URL.');
  const format = options.format ?? 'json';
  const { body, contentType } = encodePenpotEvent(buildPenpotEvent(options.name, options.context), format);
  const result = await sendHttp({
    url: options.to,
    method: 'POST',
    headers: [['content-type', contentType], ['user-agent', 'penpot/0.0'], [SIMULATED_HEADER, SIMULATE_NONCE]],
    body,
    timeoutMs: options.timeoutMs,
  });
  return { result, contentType, body };
}
