// The panels' request/reply helper: one reply per request, with the handler's result or the error's text, and the
// token scrubbed out of that text before the page or the log sees it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerWebviewRequest, type WebviewReply, type WebviewRequest } from '../../../src/extension/common/webviewRequests';

const TOKEN = 'eyJhbGciOiJBMjU2S1ciLCJlbmMiOiJBMjU2R0NNIn0.secret-token-value';
const REDACTED = '‹redacted›';

/** A log that redacts TOKEN the way PenpotLog redacts a remembered token, and keeps its error lines. */
function recordingLog(): { scrub(text: string): string; error(component: string, message: string): void; errors: string[] } {
  const errors: string[] = [];
  return {
    errors,
    scrub: (text) => text.split(TOKEN).join(REDACTED),
    error: (component, message) => { errors.push(`[${component}] ${message}`); },
  };
}

async function answer(request: WebviewRequest, handle: (request: WebviewRequest) => unknown): Promise<{ replies: WebviewReply[]; errors: string[] }> {
  const log = recordingLog();
  const replies: WebviewReply[] = [];
  await answerWebviewRequest(request, handle, (reply) => replies.push(reply), { log, component: 'viewer' });
  return { replies, errors: log.errors };
}

describe('answerWebviewRequest', () => {
  it('replies once with the handler\'s result under the request\'s id', async () => {
    const request: WebviewRequest = { type: 'request', requestId: 7, method: 'getDetail', params: { id: 'e1' } };
    const seen: WebviewRequest[] = [];
    const { replies, errors } = await answer(request, (r) => {
      seen.push(r);
      return Promise.resolve({ id: 'e1', size: 12 });
    });
    assert.deepEqual(seen, [request]);
    assert.deepEqual(replies, [{ type: 'reply', requestId: 7, ok: true, result: { id: 'e1', size: 12 } }]);
    assert.deepEqual(errors, []);
  });

  it('replies with ok: true and an undefined result for a handler that returns nothing', async () => {
    const { replies } = await answer({ type: 'request', requestId: 1, method: 'clear', params: {} }, () => undefined);
    assert.deepEqual(replies, [{ type: 'reply', requestId: 1, ok: true, result: undefined }]);
  });

  it('turns a rejection or a synchronous throw into one error reply and one log line naming the method', async () => {
    const rejected = await answer({ type: 'request', requestId: 3, method: 'replay', params: {} }, () => Promise.reject(new Error('the receiver is stopped')));
    assert.deepEqual(rejected.replies, [{ type: 'reply', requestId: 3, ok: false, error: 'the receiver is stopped' }]);
    assert.deepEqual(rejected.errors, ['[viewer] replay failed: the receiver is stopped']);

    const thrown = await answer({ type: 'request', requestId: 4, method: 'copy', params: {} }, () => { throw new Error('no such event: e9'); });
    assert.deepEqual(thrown.replies, [{ type: 'reply', requestId: 4, ok: false, error: 'no such event: e9' }]);
    assert.deepEqual(thrown.errors, ['[viewer] copy failed: no such event: e9']);
  });

  it('scrubs the token out of the error text the page and the log get', async () => {
    const { replies, errors } = await answer(
      { type: 'request', requestId: 5, method: 'simulate', params: {} },
      () => Promise.reject(new Error(`401 for Authorization: Token ${TOKEN}`)),
    );
    assert.deepEqual(replies, [{ type: 'reply', requestId: 5, ok: false, error: `401 for Authorization: Token ${REDACTED}` }]);
    assert.equal(JSON.stringify(replies).includes(TOKEN), false);
    assert.deepEqual(errors, [`[viewer] simulate failed: 401 for Authorization: Token ${REDACTED}`]);
  });
});
