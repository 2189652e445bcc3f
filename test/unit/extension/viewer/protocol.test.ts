// The viewer's message protocol checks and its HTML shell's Content-Security-Policy.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, createNonce, viewerHtml } from '../../../../src/extension/viewer/html';
import {
  DEFAULT_FIRST_ROWS, firstRowsFor, isViewerMessage, MAX_FIRST_ROWS, toEventRow, toForwardSummary,
} from '../../../../src/extension/viewer/protocol';
import type { ReceivedEvent } from '../../../../src/receiver';

const event: ReceivedEvent = {
  id: '7', seq: 7, receivedAt: '2026-07-24T12:08:41.650Z', method: 'POST', path: '/hooks/{secret}',
  headers: [['content-type', 'application/json']], remoteAddress: '127.0.0.1', contentType: 'application/json',
  size: 2, bodyBase64: 'e30=', format: 'json', decoded: { kind: 'json', value: {} }, summary: { eventName: 'rename-file' },
  responseStatus: 204,
};

describe('viewer protocol', () => {
  it('accepts only well-formed webview messages', () => {
    assert.ok(isViewerMessage({ type: 'ready' }));
    assert.ok(isViewerMessage({ type: 'ready', firstRows: 53 }));
    assert.ok(isViewerMessage({ type: 'request', requestId: 1, method: 'getDetail', params: { id: '1' } }));
    for (const bad of [
      null, 'ready', {}, { type: 'request', requestId: '1', method: 'getDetail', params: {} },
      { type: 'request', requestId: 1, method: 'eval', params: {} },
      { type: 'request', requestId: 1, method: 'search' },
      { type: 'ready', firstRows: '53' }, { type: 'ready', firstRows: Number.NaN }, { type: 'ready', firstRows: Infinity },
    ]) {
      assert.equal(isViewerMessage(bad), false, JSON.stringify(bad));
    }
  });

  it('sends in `init` the rows the first screen asked for, within bounds', () => {
    assert.equal(firstRowsFor(53), 53);
    assert.equal(firstRowsFor(52.2), 53, 'a part row is a row');
    assert.equal(firstRowsFor(undefined), DEFAULT_FIRST_ROWS, 'a webview that does not say');
    assert.equal(firstRowsFor(0), 1);
    assert.equal(firstRowsFor(-4), 1);
    assert.equal(firstRowsFor(1e9), MAX_FIRST_ROWS);
  });

  it('turns an event into a list row without its body', () => {
    const row = toEventRow({ ...event, simulated: true, decodeError: 'bad', check: { status: 'drift', event: 'rename-file', shape: '2.15+', problems: 1, label: 'Q3' } });
    assert.deepEqual(row, {
      id: '7', seq: 7, receivedAt: event.receivedAt, method: 'POST', eventName: 'rename-file', format: 'json',
      contentType: 'application/json', size: 2, responseStatus: 204, simulated: true, decodeError: true, forward: undefined,
      check: 'drift', label: 'Q3',
    });
    assert.equal('bodyBase64' in row, false);
    assert.equal(toEventRow(event).check, undefined, 'not checked yet');
  });

  it('summarises forward results: ok only for what Penpot counts as delivered, an error has no status', () => {
    const at = event.receivedAt;
    assert.deepEqual(toForwardSummary({ target: 'http://x', status: 200, ms: 3, at }), { status: 200, ok: true, ms: 3, error: undefined });
    assert.equal(toForwardSummary({ target: 'http://x', status: 204, ms: 3, at }).ok, true);
    assert.equal(toForwardSummary({ target: 'http://x', status: 202, ms: 3, at }).ok, false, 'Penpot counts 202 as failed (§4.1)');
    assert.equal(toForwardSummary({ target: 'http://x', status: 500, ms: 3, at }).ok, false);
    assert.deepEqual(toForwardSummary({ target: 'http://x', ms: 9, at, error: 'Connection refused' }), { status: undefined, ok: false, ms: 9, error: 'Connection refused' });
  });
});

describe('viewer HTML', () => {
  it('allows only the nonce script and the extension\'s own styles and fonts', () => {
    const csp = contentSecurityPolicy('https://webview.example', 'abc123');
    assert.match(csp, /^default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc123'/);
    assert.match(csp, /style-src https:\/\/webview\.example(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  });

  it('puts the nonce on its one script and carries no inline handlers', () => {
    const nonce = createNonce();
    assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
    assert.notEqual(createNonce(), nonce);
    const html = viewerHtml({
      cspSource: 'https://webview.example', scriptUri: 'https://webview.example/viewer.js?a=1&b="2"',
      commonStyleUri: 'https://webview.example/panel.css', styleUri: 'https://webview.example/viewer.css', codiconsUri: 'https://webview.example/codicon.css',
    }, nonce);
    // The shared panel rules first, so the panel's own stylesheet can override them.
    const sharedSheet = html.indexOf('<link rel="stylesheet" href="https://webview.example/panel.css">');
    assert.ok(sharedSheet >= 0 && sharedSheet < html.indexOf('<link rel="stylesheet" href="https://webview.example/viewer.css">'));
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.ok(html.includes(`<script nonce="${nonce}" src="https://webview.example/viewer.js?a=1&amp;b=&quot;2&quot;">`));
    assert.doesNotMatch(html, /\son[a-z]+=/i);
  });
});
