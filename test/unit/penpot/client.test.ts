// PenpotClient against small real HTTP servers that behave the way Penpot, old Penpot, proxies and broken networks
// do. Every error class asserts its kind and the gist of its message; the last test scans every error and log
// line produced here for the token.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { PenpotClient, type PenpotClientOptions, type RpcLogLine } from '../../../src/penpot/client';
import { PenpotError } from '../../../src/penpot/errors';
import type { PenpotErrorKind } from '../../../src/penpot/api';
import { ANONYMOUS_PROFILE_ID } from '../../../src/penpot/types';
import {
  closedPort, makeSelfSignedCertificate, sendJson, startHttpServer, startHttpsServer, type Handler, type TestServer,
} from './http-servers';

const TOKEN = 'eyJhbGciOiJBMjU2S1ciLCJlbmMiOiJBMjU2R0NNIn0.SECRET-test-token.do-not-leak';
const TEAM_ID = '6a2f5a1e-0000-4000-8000-00000000000a';

const logLines: RpcLogLine[] = [];
const seenErrors: PenpotError[] = [];
const servers: TestServer[] = [];
const clients: PenpotClient[] = [];

after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(handler: Handler): Promise<TestServer> {
  const server = await startHttpServer(handler);
  servers.push(server);
  return server;
}

function clientFor(baseUrl: string, options: Partial<PenpotClientOptions> = {}): PenpotClient {
  const client = new PenpotClient({
    baseUrl,
    token: TOKEN,
    clientVersion: '1.2.3',
    log: (line) => logLines.push(line),
    ...options,
  });
  clients.push(client);
  return client;
}

/** Runs `call`, expects a PenpotError of `kind` whose message matches `message`, and keeps it for the leak scan. */
async function expectError(call: () => Promise<unknown>, kind: PenpotErrorKind, message: RegExp): Promise<PenpotError> {
  try {
    await call();
  } catch (error) {
    assert.ok(error instanceof PenpotError, `expected a PenpotError, got ${inspect(error)}`);
    seenErrors.push(error);
    assert.equal(error.kind, kind, error.message);
    assert.match(error.message, message);
    return error;
  }
  assert.fail(`expected a ${kind} error`);
}

function penpotRoute(handlers: Record<string, Handler>): Handler {
  return (req, res) => {
    const match = /^\/api\/main\/methods\/([a-z-]+)$/.exec(req.path);
    const handler = match && handlers[match[1]];
    if (handler) handler(req, res);
    else sendJson(res, 404, { type: 'not-found' });
  };
}

describe('requests', () => {
  it('POSTs a JSON object to the current path with the token, JSON and x-client headers, and no cookie', async () => {
    const server = await serve(penpotRoute({ 'get-teams': (_req, res) => sendJson(res, 200, []) }));
    const client = clientFor(`${server.url}///`);
    assert.deepEqual(await client.getTeams(), []);
    const [req] = server.requests;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/api/main/methods/get-teams');
    assert.equal(req.headers.authorization, `Token ${TOKEN}`);
    assert.equal(req.headers.accept, 'application/json');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers['x-client'], 'penpot-integrations/1.2.3');
    assert.equal(req.headers.cookie, undefined);
    assert.equal(req.body, '{}');
    const line = logLines.at(-1)!;
    assert.deepEqual({ ...line, ms: 0 }, { command: 'get-teams', method: 'POST', status: 200, ms: 0, path: 'current' });
  });

  it('keeps a path prefix of the base URL', async () => {
    const server = await serve((req, res) => sendJson(res, req.path === '/penpot/api/main/methods/get-teams' ? 200 : 404, []));
    assert.deepEqual(await clientFor(`${server.url}/penpot/`).getTeams(), []);
  });

  it('always sends isActive on create-webhook and all four fields on update-webhook', async () => {
    const row = { id: 'w1', teamId: TEAM_ID, uri: 'https://example.com/hook', mtype: 'application/json', isActive: false, errorCode: null, errorCount: 0, profileId: 'p1' };
    const server = await serve(penpotRoute({
      'create-webhook': (_req, res) => sendJson(res, 200, row),
      'update-webhook': (_req, res) => sendJson(res, 200, { ...row, isActive: true }),
    }));
    const client = clientFor(server.url);
    const created = await client.createWebhook({ teamId: TEAM_ID, uri: row.uri, mtype: 'application/json', isActive: false });
    assert.deepEqual(JSON.parse(server.requests[0].body), { teamId: TEAM_ID, uri: row.uri, mtype: 'application/json', isActive: false });
    assert.equal(created.isActive, false);
    assert.equal(created.teamId, TEAM_ID);
    const updated = await client.updateWebhook({ id: 'w1', uri: row.uri, mtype: 'application/transit+json', isActive: true });
    assert.deepEqual(JSON.parse(server.requests[1].body), { id: 'w1', uri: row.uri, mtype: 'application/transit+json', isActive: true });
    assert.equal(updated.isActive, true);
  });

  it('maps token expiries to Penpot durations and omits "never"', async () => {
    const server = await serve(penpotRoute({
      'create-access-token': (req, res) => sendJson(res, 200, {
        id: 't1', name: JSON.parse(req.body).name, type: null, token: 'new-token-value', expiresAt: null,
      }),
    }));
    const client = clientFor(server.url);
    const expected: Record<string, string | undefined> = { never: undefined, '30': '720h', '60': '1440h', '90': '2160h', '180': '4320h' };
    for (const [expiry, duration] of Object.entries(expected)) {
      const created = await client.createAccessToken(' ci ', expiry as '30');
      assert.equal(created.token, 'new-token-value');
      const body = JSON.parse(server.requests.at(-1)!.body);
      assert.deepEqual(body, duration === undefined ? { name: 'ci' } : { name: 'ci', expiration: duration });
    }
    await expectError(() => client.createAccessToken('x', '7' as '30'), 'validation', /never, 30, 60, 90, 180/);
    await expectError(() => client.createAccessToken('  ', 'never'), 'validation', /1 to 250 characters/);
    assert.equal(server.requests.length, 5, 'invalid input never reaches the server');
  });
});

describe('response normalisation', () => {
  it('rebuilds a webhook uri sent as a URI record and fills team id, booleans and counts', async () => {
    const server = await serve(penpotRoute({
      'get-webhooks': (_req, res) => sendJson(res, 200, [
        {
          id: 'w1', mtype: 'application/transit+json', isActive: null, errorCode: 'unexpected-status:500', errorCount: '2', profileId: null,
          uri: { scheme: 'https', user: 'u', password: 'p', host: 'hooks.example.com', port: 8443, path: '/in', query: 'a=1', fragment: 'f' },
        },
        { id: 'w2', uri: 'http://example.org/x', mtype: 'application/json', isActive: 'true' },
      ]),
    }));
    const hooks = await clientFor(server.url).getWebhooks(TEAM_ID);
    assert.equal(JSON.parse(server.requests[0].body).teamId, TEAM_ID);
    assert.deepEqual(hooks, [
      { id: 'w1', teamId: TEAM_ID, uri: 'https://u:p@hooks.example.com:8443/in?a=1#f', mtype: 'application/transit+json', isActive: false, errorCode: 'unexpected-status:500', errorCount: 2, profileId: null },
      { id: 'w2', teamId: TEAM_ID, uri: 'http://example.org/x', mtype: 'application/json', isActive: true, errorCode: null, errorCount: 0, profileId: null },
    ]);
  });

  it('lists personal tokens only unless includeAll', async () => {
    const server = await serve(penpotRoute({
      'get-access-tokens': (_req, res) => sendJson(res, 200, [
        { id: 'a', name: 'ci', type: null, expiresAt: '2030-01-01T00:00:00Z', createdAt: '2026-01-01T00:00:00Z' },
        { id: 'b', name: 'mcp', type: 'mcp', token: 'mcp-token', expiresAt: null },
      ]),
    }));
    const client = clientFor(server.url);
    assert.deepEqual((await client.getAccessTokens()).map((t) => t.id), ['a']);
    assert.deepEqual((await client.getAccessTokens({ includeAll: true })).map((t) => t.id), ['a', 'b']);
  });

  it('reports an answer of the wrong shape as a protocol error', async () => {
    const server = await serve(penpotRoute({ 'get-teams': (_req, res) => sendJson(res, 200, { teams: [] }) }));
    await expectError(() => clientFor(server.url).getTeams(), 'protocol', /unexpected shape/);
  });

  it('treats 204 deletes as success', async () => {
    const server = await serve(penpotRoute({
      'delete-webhook': (_req, res) => res.writeHead(204).end(),
      'delete-access-token': (_req, res) => res.writeHead(204).end(),
    }));
    const client = clientFor(server.url);
    assert.equal(await client.deleteWebhook('w1'), undefined);
    assert.equal(await client.deleteAccessToken('t1'), undefined);
    assert.deepEqual(server.requests.map((r) => JSON.parse(r.body)), [{ id: 'w1' }, { id: 't1' }]);
  });
});

describe('legacy path fallback', () => {
  it('falls back to /api/rpc/command on a non-Penpot 404 and remembers it per server', async () => {
    const server = await serve((req, res) => {
      if (req.path === '/api/rpc/command/get-teams') sendJson(res, 200, [{ id: 't', name: 'Team', isDefault: true, permissions: { isOwner: true, isAdmin: true, canEdit: true } }]);
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    });
    const first = await clientFor(server.url).getTeams();
    assert.equal(first[0].permissions.isOwner, true);
    assert.deepEqual(server.requests.map((r) => r.path), ['/api/main/methods/get-teams', '/api/rpc/command/get-teams']);
    assert.equal(logLines.at(-1)!.path, 'legacy');
    // A second client to the same server goes straight to the path that worked.
    await clientFor(server.url).getTeams();
    assert.equal(server.requests.length, 3);
    assert.equal(server.requests[2].path, '/api/rpc/command/get-teams');
  });

  it('does not fall back on Penpot\'s own 404', async () => {
    const server = await serve((_req, res) => sendJson(res, 404, { type: 'not-found', code: 'object-not-found', hint: 'not found' }));
    await expectError(() => clientFor(server.url).deleteWebhook('w9'), 'not-found', /webhook was not found, or you don't have permission/);
    assert.equal(server.requests.length, 1);
  });

  it('reports a server with neither path as not Penpot', async () => {
    const server = await serve((_req, res) => res.writeHead(404).end());
    await expectError(() => clientFor(server.url).getTeams(), 'not-penpot', /no Penpot API/);
    assert.equal(server.requests.length, 2);
  });
});

describe('Penpot errors', () => {
  async function failWith(status: number, body: unknown, call: (c: PenpotClient) => Promise<unknown>, kind: PenpotErrorKind, message: RegExp) {
    const server = await serve((_req, res) => sendJson(res, status, body));
    return expectError(() => call(clientFor(server.url)), kind, message);
  }
  const create = (c: PenpotClient) => c.createWebhook({ teamId: TEAM_ID, uri: 'http://localhost:9/hook', mtype: 'application/json', isActive: true });

  it('turns the anonymous profile into unauthenticated', async () => {
    const error = await failWith(200, { id: ANONYMOUS_PROFILE_ID, fullname: 'Anonymous User' }, (c) => c.getProfile(), 'unauthenticated', /anonymous profile.*enable-access-tokens/);
    assert.equal(logLines.at(-1)!.error, 'unauthenticated');
    assert.equal(error.command, 'get-profile');
  });

  it('explains a 401', async () => {
    const error = await failWith(401, { type: 'authentication', code: 'authentication-required', hint: 'authentication required for this endpoint' },
      (c) => c.getTeams(), 'unauthenticated', /invalid, expired or deleted.*enable-access-tokens/);
    assert.equal(error.status, 401);
    assert.equal(error.code, 'authentication-required');
  });

  it('uses Penpot\'s UI words for 400 webhook-validation hints', async () => {
    const cases: [string, RegExp][] = [
      ['invalid-uri', /URL does not pass validation\./],
      ['ssl-validation-error', /Error on SSL validation\./],
      ['timeout', /: Timeout\./],
      ['connection-error', /Connection error, URL not reacheable/],
      ['unexpected-status:404', /Unexpected status 404/],
      ['something-new', /Unexpected error…/],
    ];
    for (const [hint, message] of cases) {
      const error = await failWith(400, { type: 'validation', code: 'webhook-validation', hint, webhookUri: 'http://localhost:9/hook' }, create, 'validation', message);
      assert.equal(error.hint, hint);
      assert.doesNotMatch(error.message, /PENPOT_SSRF_ALLOWED_HOSTS/);
    }
  });

  it('explains the SSRF guard for blocked-request hints', async () => {
    await failWith(400, { type: 'validation', code: 'webhook-validation', hint: 'blocked-request:uri target is not allowed' }, create, 'validation',
      /Connection error, URL not reacheable.*PENPOT_SSRF_ALLOWED_HOSTS.*public tunnel URL/);
  });

  it('explains the 500 webhook-validation of a HEAD answered with the wrong status', async () => {
    const error = await failWith(500, { type: 'server-error', code: 'webhook-validation', hint: 'internal' }, create, 'validation', /HEAD request with 200 or 204/);
    assert.equal(error.status, 500);
  });

  it('explains the webhook and token quotas', async () => {
    await failWith(400, { type: 'restriction', code: 'webhooks-quote-reached', hint: "can't create more than 8 webhooks per team" }, create, 'quota', /A team can have at most 8 webhooks/);
    await failWith(400, { type: 'restriction', code: 'max-quote-reached', target: 'access-tokens-per-profile', quote: 5, count: 5 },
      (c) => c.createAccessToken('ci', 'never'), 'quota', /limit of 5 access tokens/);
  });

  it('shortens params-validation explanations to their errors part', async () => {
    const explain = 'Errors:\n  {:id ["should be a uuid"]}\n\nValue:\n  {:id "nope", :other "long value that is not useful"}';
    const error = await failWith(400, { type: 'validation', code: 'params-validation', explain }, (c) => c.deleteWebhook('nope'), 'validation', /should be a uuid/);
    assert.doesNotMatch(error.message, /long value/);
  });

  it('reports 5xx as server errors', async () => {
    await failWith(500, { type: 'server-error', code: 'unexpected', hint: 'boom' }, (c) => c.getTeams(), 'server-error', /server error \(HTTP 500\).*unexpected: boom/);
    const server = await serve((_req, res) => res.writeHead(502).end());
    await expectError(() => clientFor(server.url).getTeams(), 'server-error', /HTTP 502/);
  });

  it('reports an empty 403 as forbidden', async () => {
    const server = await serve((_req, res) => res.writeHead(403).end());
    await expectError(() => clientFor(server.url).getTeams(), 'forbidden', /x-client/);
  });
});

describe('answers that are not Penpot', () => {
  it('recognises a Cloudflare challenge page', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(403, { 'content-type': 'text/html; charset=UTF-8', server: 'cloudflare', 'cf-mitigated': 'challenge' });
      res.end('<!DOCTYPE html><html><title>Just a moment...</title></html>');
    });
    const error = await expectError(() => clientFor(server.url).getTeams(), 'not-penpot', /HTML page \(HTTP 403\), not Penpot's API: Cloudflare/);
    assert.equal(error.status, 403);
  });

  it('recognises an HTML page answered with 200', async () => {
    const server = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>'));
    await expectError(() => clientFor(server.url).getProfile(), 'not-penpot', /HTML page \(HTTP 200\), not Penpot's API/);
  });
});

describe('rate limiting', () => {
  it('retries a get-* once after x-rate-limit-reset, then succeeds', async () => {
    let calls = 0;
    const server = await serve((_req, res) => {
      calls += 1;
      if (calls === 1) {
        res.writeHead(429, {
          'x-rate-limit-remaining': 'default=0&burst=3',
          'x-rate-limit-reset': `default=${Math.floor(Date.now() / 1000)}&burst=${Math.floor(Date.now() / 1000) + 3600}`,
        }).end();
      } else {
        sendJson(res, 200, []);
      }
    });
    assert.deepEqual(await clientFor(server.url).getTeams(), []);
    assert.equal(server.requests.length, 2);
    assert.equal(logLines.at(-1)!.status, 200);
  });

  it('gives up after the one retry, and never retries a write', async () => {
    const server = await serve((_req, res) => res.writeHead(429, { 'x-rate-limit-reset': '0' }).end());
    await expectError(() => clientFor(server.url).getTeams(), 'rate-limited', /limiting the rate/);
    assert.equal(server.requests.length, 2);
    await expectError(() => clientFor(server.url).deleteWebhook('w1'), 'rate-limited', /limiting the rate/);
    assert.equal(server.requests.length, 3);
  });
});

describe('network failures', () => {
  it('times out when the headers do not come', async () => {
    const server = await serve(() => { /* never answers */ });
    const error = await expectError(() => clientFor(server.url, { timeouts: { headersMs: 300 } }).getTeams(), 'timeout', /did not answer get-teams within 0\.3 s/);
    assert.equal(error.code, 'UND_ERR_HEADERS_TIMEOUT');
  });

  it('times out when the body stalls', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('[');
    });
    await expectError(() => clientFor(server.url, { timeouts: { bodyMs: 300 } }).getTeams(), 'timeout', /stopped sending/);
  });

  it('gives up a call whose answer trickles in, at the overall deadline (issue 14 row 8)', async () => {
    let trickle: NodeJS.Timeout | undefined;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      trickle = setInterval(() => res.write(' '), 50); // never idle long enough for the body timeout
      res.on('close', () => clearInterval(trickle));
    });
    const started = performance.now();
    const error = await expectError(() => clientFor(server.url, { timeouts: { callMs: 600, bodyMs: 300 } }).getTeams(), 'timeout',
      /did not finish answering get-teams within 0\.6 s/);
    clearInterval(trickle);
    assert.ok(performance.now() - started < 3000);
    assert.equal(logLines.at(-1)!.error, 'timeout');
    assert.equal(error.command, 'get-teams');
  });

  it('refuses an answer larger than the cap, declared or chunked, without reading it all (issue 14 row 8)', async () => {
    const big = Buffer.alloc(20 * 1024 * 1024, 0x20); // spaces: valid JSON whitespace, generated here
    const declared = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(big.length + 2) });
      res.end(Buffer.concat([Buffer.from('['), big, Buffer.from(']')]));
    });
    await expectError(() => clientFor(declared.url).getTeams(), 'protocol', /larger than 16 MiB; it was not read/);
    const chunked = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < 4; i++) res.write(big.subarray(0, 512 * 1024));
      res.end('[]');
    });
    await expectError(() => clientFor(chunked.url, { maxAnswerBytes: 1024 * 1024 }).getTeams(), 'protocol', /larger than 1 MiB/);
    const fits = await serve((_req, res) => sendJson(res, 200, []));
    assert.deepEqual(await clientFor(fits.url, { maxAnswerBytes: 1024 * 1024 }).getTeams(), []);
  });

  it('reports a refused connection', async () => {
    const port = await closedPort();
    const error = await expectError(() => clientFor(`http://127.0.0.1:${port}`).getTeams(), 'unreachable', new RegExp(`Connection refused by 127\\.0\\.0\\.1:${port}`));
    assert.equal(error.code, 'ECONNREFUSED');
    assert.equal(logLines.at(-1)!.status, undefined);
    assert.equal(logLines.at(-1)!.error, 'unreachable');
  });

  it('reports a self-signed certificate', async (t) => {
    const tls = makeSelfSignedCertificate();
    if (!tls) {
      t.skip('openssl is not installed');
      return;
    }
    const server = await startHttpsServer(tls, (_req, res) => sendJson(res, 200, []));
    servers.push(server);
    const error = await expectError(() => clientFor(server.url).getTeams(), 'tls', /self-signed.*NODE_EXTRA_CA_CERTS/);
    assert.equal(error.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.equal(server.requests.length, 0);
  });

  it('reports an https URL pointed at a plain-http server as a TLS failure', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, []));
    await expectError(() => clientFor(server.url.replace('http:', 'https:')).getTeams(), 'tls', /TLS handshake/);
  });
});

describe('the token stays secret', () => {
  it('refuses a token that cannot be a header value, without echoing it', () => {
    assert.throws(() => new PenpotClient({ baseUrl: 'http://127.0.0.1:1', token: 'abc\u0100SECRET-test-token' }), (error: Error) => {
      assert.doesNotMatch(`${error.message}${error.stack}`, /SECRET-test-token/);
      return error instanceof TypeError;
    });
  });

  it('redacts the token from a server that echoes request headers into its error', async () => {
    const server = await serve((req, res) => sendJson(res, 500, { type: 'server-error', code: 'unexpected', hint: `bad header ${req.headers.authorization}` }));
    const error = await expectError(() => clientFor(server.url).getTeams(), 'server-error', /bad header Token \*\*\*/);
    assert.equal(error.hint, 'bad header Token ***');
  });

  it('redacts only the known token and real Token/Bearer values, never ordinary words (issue 14 row 17)', async () => {
    const server = await serve((_req, res) => sendJson(res, 500, {
      type: 'server-error', code: 'unexpected',
      hint: 'the token is invalid; Bearer authentication required; leaked Bearer abcDEF0123456789ghijKLMN==',
    }));
    const error = await expectError(() => clientFor(server.url).getTeams(), 'server-error', /the token is invalid/);
    assert.equal(error.hint, 'the token is invalid; Bearer authentication required; leaked Bearer ***');
  });

  it('never appears in any error message, stack, cause chain, inspection or log line of this file', () => {
    const kinds = new Set(seenErrors.map((e) => e.kind));
    for (const kind of ['unauthenticated', 'not-found', 'validation', 'quota', 'forbidden', 'rate-limited', 'server-error', 'not-penpot', 'timeout', 'unreachable', 'tls', 'protocol'] as const) {
      assert.ok(kinds.has(kind), `no ${kind} error was produced`);
    }
    const secretPart = 'SECRET-test-token';
    for (const error of seenErrors) {
      let current: unknown = error;
      while (current instanceof Error) {
        assert.ok(!current.message.includes(secretPart), current.message);
        assert.ok(!(current.stack ?? '').includes(secretPart), current.stack);
        current = current.cause;
      }
      assert.ok(!inspect(error, { depth: 20, showHidden: true }).includes(secretPart));
      assert.ok(!JSON.stringify(error).includes(secretPart));
    }
    assert.ok(logLines.length > 20);
    assert.ok(!JSON.stringify(logLines).includes(secretPart));
    for (const client of clients) assert.ok(!inspect(client, { depth: 5, showHidden: true }).includes(secretPart));
  });
});
