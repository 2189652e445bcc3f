// The receiver settings as the extension reads them, and the URLs built from them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AUTO_START_MODES, checkHttpUrl, DEFAULT_RECEIVER_SETTINGS, hostAndPort, isPrivateTarget, parseReceiverSettings, shouldAutoStart,
  webhookUrlFor,
} from '../../../../src/extension/receiver/settings';

describe('receiver settings', () => {
  it('uses the defaults of the receiver for missing or unusable values', () => {
    assert.deepEqual(parseReceiverSettings(() => undefined), { ...DEFAULT_RECEIVER_SETTINGS, publicUrl: undefined, forwardUrl: undefined });
    assert.equal(DEFAULT_RECEIVER_SETTINGS.port, 8787);
    assert.equal(DEFAULT_RECEIVER_SETTINGS.responseStatus, 204);
    assert.equal(DEFAULT_RECEIVER_SETTINGS.maxEvents, 1000);
    assert.equal(DEFAULT_RECEIVER_SETTINGS.autoStart, 'whenPreviouslyRunning');
    const odd: Record<string, unknown> = {
      port: 70000, responseStatus: 99, maxEvents: 1.5, host: '  ', publicUrl: '', forwardUrl: 42, autoStart: 'sometimes',
    };
    const settings = parseReceiverSettings((key) => odd[key]);
    assert.equal(settings.port, 8787);
    assert.equal(settings.responseStatus, 204);
    assert.equal(settings.maxEvents, 1000);
    assert.equal(settings.host, '127.0.0.1');
    assert.equal(settings.publicUrl, undefined);
    assert.equal(settings.forwardUrl, undefined);
    assert.equal(settings.autoStart, 'whenPreviouslyRunning');
    assert.equal(parseReceiverSettings((key) => (key === 'autoStart' ? true : undefined)).autoStart, 'whenPreviouslyRunning');
  });

  it('keeps valid values, trimmed', () => {
    const raw: Record<string, unknown> = {
      host: '0.0.0.0', port: 0, responseStatus: 500, maxEvents: 10000, publicUrl: ' https://x.ngrok.app ', autoStart: 'never',
    };
    const settings = parseReceiverSettings((key) => raw[key]);
    assert.equal(settings.autoStart, 'never');
    assert.equal(settings.host, '0.0.0.0');
    assert.equal(settings.port, 0);
    assert.equal(settings.responseStatus, 500);
    assert.equal(settings.maxEvents, 10000);
    assert.equal(settings.publicUrl, 'https://x.ngrok.app');
  });

  it('starts the receiver on activation always, never, or when it was running in this workspace before', () => {
    const decisions = AUTO_START_MODES.map((mode) => [mode, shouldAutoStart(mode, true), shouldAutoStart(mode, false)]);
    assert.deepEqual(decisions, [
      ['whenPreviouslyRunning', true, false],
      ['never', false, false],
      ['always', true, true],
    ]);
  });

  it('puts the receiver path under the public URL', () => {
    const local = 'http://127.0.0.1:8787/hooks/abcdefghijklmnopqrstuvwx';
    assert.equal(webhookUrlFor(local), local);
    assert.equal(webhookUrlFor(local, 'https://x.ngrok.app'), 'https://x.ngrok.app/hooks/abcdefghijklmnopqrstuvwx');
    assert.equal(webhookUrlFor(local, 'https://proxy.example/base/?q=1#f'), 'https://proxy.example/base/hooks/abcdefghijklmnopqrstuvwx');
    assert.equal(webhookUrlFor(local, 'http://host.docker.internal:8787'), 'http://host.docker.internal:8787/hooks/abcdefghijklmnopqrstuvwx');
  });

  it('knows which hosts Penpot\'s SSRF guard refuses without the allow-list (§3.6)', () => {
    for (const url of ['http://127.0.0.1:1/', 'http://localhost/', 'http://[::1]/', 'http://10.1.2.3/', 'http://172.20.0.1/', 'http://192.168.1.5/', 'http://169.254.169.254/', 'http://[fd00::1]/']) {
      assert.equal(isPrivateTarget(url), true, url);
    }
    for (const url of ['https://x.ngrok.app/', 'http://172.32.0.1/', 'http://host.docker.internal:8787/']) {
      assert.equal(isPrivateTarget(url), false, url);
    }
  });

  it('explains unusable URLs', () => {
    assert.equal(checkHttpUrl('https://ok.example'), undefined);
    assert.match(checkHttpUrl('ok.example') ?? '', /full URL/);
    assert.match(checkHttpUrl('ftp://ok.example') ?? '', /http/);
    assert.equal(hostAndPort('http://127.0.0.1:8787/hooks/x'), '127.0.0.1:8787');
  });
});
