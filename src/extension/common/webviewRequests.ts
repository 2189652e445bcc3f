// The host side of the panels' request/reply protocol (viewer, event catalog): every `request` the page makes gets
// exactly one `reply` with its requestId, the handler's result or the error's text. Failures go to the log, and
// the text the page sees is scrubbed first, so an access token in an error message never reaches the webview.
import { errorMessage } from '../../common/errors';
import type { PenpotLog } from './log';

/** What a page asks for (each panel's protocol.ts narrows `method` and `params`). */
export interface WebviewRequest {
  type: 'request';
  requestId: number;
  method: string;
  params: unknown;
}

export type WebviewReply =
  | { type: 'reply'; requestId: number; ok: true; result: unknown }
  | { type: 'reply'; requestId: number; ok: false; error: string };

export interface RequestReporting {
  log: Pick<PenpotLog, 'scrub' | 'error'>;
  /** The log's component name, e.g. 'viewer'. */
  component: string;
}

/** Runs `handle` for `request` and posts its one reply; never rejects (a failure is a reply with `ok: false`). */
export async function answerWebviewRequest<R extends WebviewRequest>(
  request: R,
  handle: (request: R) => unknown,
  post: (reply: WebviewReply) => void,
  { log, component }: RequestReporting,
): Promise<void> {
  let reply: WebviewReply;
  try {
    reply = { type: 'reply', requestId: request.requestId, ok: true, result: await handle(request) };
  } catch (error) {
    const text = log.scrub(errorMessage(error));
    log.error(component, `${request.method} failed: ${text}`);
    reply = { type: 'reply', requestId: request.requestId, ok: false, error: text };
  }
  post(reply);
}
