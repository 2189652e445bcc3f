import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateReceiverSecret, isValidReceiverSecret, withoutReceiverSecret } from '../../../src/receiver/secret';

describe('receiver secret', () => {
  it('is 192 random bits, URL-safe, and never the same twice', () => {
    const a = generateReceiverSecret();
    const b = generateReceiverSecret();
    assert.match(a, /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual(a, b);
    assert.ok(isValidReceiverSecret(a));
    assert.ok(!isValidReceiverSecret('short'));
    assert.ok(!isValidReceiverSecret(`${a}/x`));
  });

  it('is left out of a URL that is shown, keeping the rest of it', () => {
    const secret = generateReceiverSecret();
    assert.equal(withoutReceiverSecret(`http://127.0.0.1:4000/hooks/${secret}`), 'http://127.0.0.1:4000/hooks/{secret}');
    assert.equal(withoutReceiverSecret(`https://a.trycloudflare.com/hooks/${secret}?x=1`), 'https://a.trycloudflare.com/hooks/{secret}?x=1');
    assert.equal(withoutReceiverSecret('https://example.com/other/path'), 'https://example.com/other/path');
  });
});
