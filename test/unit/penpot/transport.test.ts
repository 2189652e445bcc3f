// Proxy selection (with a real CONNECT proxy on loopback), the 429 wait, and the network-error table.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { PenpotClient } from '../../../src/penpot/client';
import { errorFromNetwork } from '../../../src/penpot/errors';
import { rateLimitWaitMs } from '../../../src/penpot/rate-limit';
import { matchesNoProxy, resolveProxy } from '../../../src/penpot/transport';
import { sendJson, startHttpServer } from './http-servers';

describe('resolveProxy', () => {
  const env = { HTTPS_PROXY: 'http://proxy.corp:3128', HTTP_PROXY: 'http://plain.corp:3128' };

  it('takes the proxy for the scheme from the environment, an explicit one first', () => {
    assert.equal(resolveProxy(new URL('https://design.penpot.app'), undefined, env), 'http://proxy.corp:3128');
    assert.equal(resolveProxy(new URL('http://penpot.intra'), undefined, env), 'http://plain.corp:3128');
    assert.equal(resolveProxy(new URL('https://design.penpot.app'), 'http://explicit:8080', env), 'http://explicit:8080');
    assert.equal(resolveProxy(new URL('https://design.penpot.app'), undefined, { https_proxy: 'http://lower:1' }), 'http://lower:1');
    assert.equal(resolveProxy(new URL('https://design.penpot.app'), undefined, {}), undefined);
  });

  it('never proxies loopback targets', () => {
    for (const url of ['http://localhost:9001', 'http://127.0.0.1:9001', 'http://127.8.0.1', 'http://[::1]:9001', 'http://penpot.localhost']) {
      assert.equal(resolveProxy(new URL(url), 'http://explicit:8080', env), undefined, url);
    }
  });

  it('honours NO_PROXY entries, wildcards, subdomains and ports', () => {
    const target = new URL('https://penpot.example.com');
    assert.equal(resolveProxy(target, undefined, { ...env, NO_PROXY: 'example.com' }), undefined);
    assert.equal(resolveProxy(target, undefined, { ...env, no_proxy: '.example.com' }), undefined);
    assert.equal(resolveProxy(target, undefined, { ...env, NO_PROXY: '*' }), undefined);
    assert.equal(resolveProxy(target, undefined, { ...env, NO_PROXY: 'other.com, example.org' }), 'http://proxy.corp:3128');
    assert.equal(matchesNoProxy(target, 'example.com:443'), true);
    assert.equal(matchesNoProxy(target, 'example.com:8443'), false);
    assert.equal(matchesNoProxy(new URL('https://notexample.com'), 'example.com'), false);
  });

  it('sends requests through the configured proxy', async () => {
    const penpot = await startHttpServer((_req, res) => sendJson(res, 200, []));
    const tunnels: string[] = [];
    const proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket) => {
      tunnels.push(req.url ?? '');
      // Whatever host was asked for, the tunnel leads to the local stand-in for Penpot.
      const upstream = net.connect(penpot.port, '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const client = new PenpotClient({ baseUrl: 'http://penpot.invalid', token: 'tok', proxyUrl });
    try {
      assert.deepEqual(await client.getTeams(), []);
      assert.deepEqual(tunnels, ['penpot.invalid:80']);
      assert.equal(penpot.requests[0].path, '/api/main/methods/get-teams');
      assert.equal(penpot.requests[0].headers.host, 'penpot.invalid');
    } finally {
      await client.close();
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await penpot.close();
    }
  });
});

describe('rateLimitWaitMs', () => {
  const now = 1_784_894_900_000;
  const cap = 10_000;

  it('reads Penpot\'s per-limit query strings and waits for the exhausted limit', () => {
    const headers = { 'x-rate-limit-remaining': 'default=5&burst=0', 'x-rate-limit-reset': `default=${now / 1000 + 3600}&burst=${now / 1000 + 2}` };
    assert.equal(rateLimitWaitMs(headers, now, cap), 2000);
  });

  it('reads bare epoch seconds, epoch milliseconds, delays and Retry-After, and caps the wait', () => {
    assert.equal(rateLimitWaitMs({ 'x-rate-limit-reset': String(now / 1000 + 3) }, now, cap), 3000);
    assert.equal(rateLimitWaitMs({ 'x-rate-limit-reset': String(now + 1500) }, now, cap), 1500);
    assert.equal(rateLimitWaitMs({ 'x-rate-limit-reset': '2' }, now, cap), 2000);
    assert.equal(rateLimitWaitMs({ 'x-rate-limit-reset': '2500' }, now, cap), 2500);
    assert.equal(rateLimitWaitMs({ 'retry-after': '4' }, now, cap), 4000);
    assert.equal(rateLimitWaitMs({ 'x-rate-limit-reset': String(now / 1000 + 3600) }, now, cap), cap);
    assert.equal(rateLimitWaitMs({ 'x-rate-limit-reset': String(now / 1000 - 10) }, now, cap), 0);
    assert.equal(rateLimitWaitMs({}, now, cap), 1000);
  });
});

describe('errorFromNetwork', () => {
  const context = {
    command: 'get-teams', server: 'https://penpot.example', host: 'penpot.example',
    timeouts: { connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000 }, viaProxy: false, secret: 'SECRET',
  };
  const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

  it('names each TLS, DNS and connection failure', () => {
    const cases: [Error, string, RegExp][] = [
      [withCode('CERT_HAS_EXPIRED'), 'tls', /certificate has expired\.$/],
      [withCode('ERR_TLS_CERT_ALTNAME_INVALID'), 'tls', /does not match the host name/],
      [withCode('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'tls', /unknown authority.*NODE_EXTRA_CA_CERTS/],
      [withCode('ENOTFOUND'), 'unreachable', /resolve the host name penpot\.example/],
      [withCode('ECONNRESET'), 'unreachable', /closed unexpectedly/],
      [withCode('UND_ERR_CONNECT_TIMEOUT'), 'timeout', /Could not connect .* within 10 s/],
      [new Error('fetch went wrong with Token SECRET'), 'protocol', /Token \*\*\*/],
    ];
    for (const [cause, kind, message] of cases) {
      const error = errorFromNetwork(cause, context);
      assert.equal(error.kind, kind, error.message);
      assert.match(error.message, message);
      assert.ok(!`${error.message}${(error.cause as Error | undefined)?.message}`.includes('SECRET'));
    }
  });

  it('finds the code inside a cause chain and an AggregateError', () => {
    const nested = new Error('outer', { cause: new AggregateError([withCode('ECONNREFUSED')], 'all failed') });
    assert.equal(errorFromNetwork(nested, context).kind, 'unreachable');
  });
});
