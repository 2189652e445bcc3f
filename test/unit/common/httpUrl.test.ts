// The one http(s) URL check shared by the CLI options, the extension's inputs and the webhooks file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostAndPath, isHttpUrl, parseHttpUrl } from '../../../src/common/httpUrl';
import { webhookUriProblem } from '../../../src/gitops/webhooksFile';
import { checkHttpUrl } from '../../../src/extension/receiver/settings';
import { validateWebhookUri, webhookLabel } from '../../../src/extension/presentation';

describe('http(s) URL parser', () => {
  it('accepts http and https URLs with a host, trimmed', () => {
    const parsed = parseHttpUrl('  https://hooks.example.com:8443/p?q=1 ');
    assert.ok(parsed.ok);
    assert.equal(parsed.url.host, 'hooks.example.com:8443');
    assert.equal(isHttpUrl('http://127.0.0.1:8787/hooks/abc'), true);
  });

  it('names what is wrong: not a URL, another scheme, no host', () => {
    assert.deepEqual(parseHttpUrl('hooks.example.com'), { ok: false, problem: 'not-a-url' });
    assert.deepEqual(parseHttpUrl(''), { ok: false, problem: 'not-a-url' });
    assert.deepEqual(parseHttpUrl('ftp://hooks.example.com'), { ok: false, problem: 'not-http' });
    assert.deepEqual(parseHttpUrl('file:///etc/passwd'), { ok: false, problem: 'not-http' });
    assert.equal(isHttpUrl('javascript:alert(1)'), false);
  });

  it('is the rule behind the extension, CLI-shared gitops check and webhook form wording', () => {
    for (const text of ['hooks.example.com', 'ftp://hooks.example.com', 'https://ok.example/p']) {
      const ok = isHttpUrl(text);
      assert.equal(checkHttpUrl(text) === undefined, ok, text);
      assert.equal(webhookUriProblem(text) === undefined, ok, text);
      assert.equal(validateWebhookUri(text) === undefined, ok, text);
    }
  });

  it('labels a URL by host and path, dropping a bare slash', () => {
    assert.equal(hostAndPath('https://design.penpot.app/'), 'design.penpot.app');
    assert.equal(hostAndPath('https://example.com:8443/penpot/hook?x=1'), 'example.com:8443/penpot/hook');
    assert.equal(webhookLabel('not a url'), 'not a url');
  });
});
