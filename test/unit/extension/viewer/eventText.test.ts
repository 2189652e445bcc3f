// The viewer's event actions on real stored events (received over loopback by the real receiver): search text,
// Copy JSON, a curl command that really resends the same bytes, and export files.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPenpotEvent, encodePenpotEvent } from '../../../../src/penpot/events';
import type { ReceivedEvent } from '../../../../src/receiver';
import {
  bodyText, curlCommand, exportText, payloadJson, payloadJsonText, searchEvents, searchableText, shellQuote,
} from '../../../../src/extension/viewer/eventText';
import { post, startTestReceiver } from '../../receiver/helpers';

const run = promisify(execFile);

/** Posts each body to a fresh receiver and returns the stored events, oldest first. */
async function receive(t: TestContext, bodies: { body: string | Buffer; contentType: string }[]): Promise<ReceivedEvent[]> {
  const receiver = await startTestReceiver(t);
  for (const { body, contentType } of bodies) {
    const answer = await post(receiver.url, body, { 'content-type': contentType, 'user-agent': 'penpot/2.17' });
    assert.equal(answer.status, 204);
  }
  return receiver.store.list();
}

function penpot(name: string, format: 'json' | 'transit', props: Record<string, string> = {}) {
  const { body, contentType } = encodePenpotEvent(buildPenpotEvent(name, { props }), format);
  return { body, contentType };
}

/** A loopback server that records the one request it gets. */
async function captureServer(t: TestContext): Promise<{ url: string; received: Promise<{ method: string; headers: http.IncomingHttpHeaders; body: Buffer }> }> {
  let resolve!: (value: { method: string; headers: http.IncomingHttpHeaders; body: Buffer }) => void;
  const received = new Promise<{ method: string; headers: http.IncomingHttpHeaders; body: Buffer }>((r) => { resolve = r; });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200).end('ok');
      resolve({ method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks) });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?x=1`, received };
}

describe('viewer event text', () => {
  it('searches decoded JSON and Transit payloads case-insensitively, and raw text otherwise', async (t) => {
    const events = await receive(t, [
      penpot('rename-file', 'json', { name: 'Quarterly REPORT' }),
      penpot('create-project', 'transit', { name: 'Brand refresh' }),
      { body: 'plain words here', contentType: 'text/plain' },
    ]);
    const [json, transit, text] = events;
    assert.deepEqual(searchEvents(events, 'quarterly report'), [json.id]);
    assert.deepEqual(searchEvents(events, 'BRAND'), [transit.id]);
    // Keyword names of the Transit tree are searchable as plain names.
    assert.deepEqual(searchEvents(events, '"name":"create-project"'), [transit.id]);
    assert.deepEqual(searchEvents(events, 'words'), [text.id]);
    assert.deepEqual(searchEvents(events, '  '), events.map((e) => e.id));
    assert.deepEqual(searchEvents(events, 'nowhere-to-be-found'), []);
    assert.equal(searchableText(json), searchableText(json).toLowerCase());
  });

  it('gives Transit payloads as plain JSON (keywords as names, UUIDs as strings) for Copy JSON', async (t) => {
    const [event] = await receive(t, [penpot('rename-file', 'transit', { name: 'Landing' })]);
    assert.equal(event.format, 'transit');
    const plain = payloadJson(event) as Record<string, unknown>;
    assert.equal(plain.name, 'rename-file');
    assert.match(String(plain['profile-id']), /^[0-9a-f-]{36}$/);
    assert.equal((plain.props as Record<string, unknown>).name, 'Landing');
    assert.deepEqual(JSON.parse(payloadJsonText(event)!), plain);
  });

  it('has no JSON for bodies that are not JSON or Transit', async (t) => {
    const events = await receive(t, [
      { body: 'hello', contentType: 'text/plain' },
      { body: '{"broken":', contentType: 'application/json' },
    ]);
    for (const event of events) {
      assert.equal(payloadJson(event), undefined);
      assert.equal(payloadJsonText(event), undefined);
    }
    assert.equal(bodyText(events[0]), 'hello');
  });

  it('quotes shell words, including single quotes', () => {
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
    assert.equal(shellQuote('$HOME `x`'), `'$HOME \`x\`'`);
  });

  for (const [label, body, contentType] of [
    ['a JSON body with quotes and unicode', `{"name":"it's “quoted” $HOME \`id\`","n":1}\n`, 'application/json'],
    ['a binary body', Buffer.from([0, 1, 2, 255, 254, 39, 10]), 'application/octet-stream'],
  ] as const) {
    it(`builds a curl command that resends ${label} byte for byte`, async (t) => {
      const [event] = await receive(t, [{ body, contentType }]);
      const target = await captureServer(t);
      const command = curlCommand(event, target.url);
      await run('sh', ['-c', `${command} --silent --show-error --max-time 10`]);
      const got = await target.received;
      assert.equal(got.method, 'POST');
      assert.deepEqual(got.body, Buffer.isBuffer(body) ? body : Buffer.from(body));
      assert.equal(got.headers['content-type'], contentType);
      assert.equal(got.headers['user-agent'], 'penpot/2.17');
    });
  }

  it('sends a body starting with @ as those bytes, never as a file curl would upload (issue 14 row 9)', async (t) => {
    const body = '@/etc/passwd';
    const [event] = await receive(t, [{ body, contentType: 'text/plain' }]);
    const command = curlCommand(event, (await captureServer(t)).url);
    assert.ok(!/--data(-binary|-raw)? '@/.test(command), command);
    const target = await captureServer(t);
    await run('bash', ['-c', `${curlCommand(event, target.url)} --silent --show-error --max-time 10`]);
    assert.equal((await target.received).body.toString('utf8'), body);
  });

  it('quotes every part, the method from a history record included, so nothing in it runs (issue 14 row 9)', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'curl-quote-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const marker = join(dir, 'ran');
    const [stored] = await receive(t, [{ body: `{"a":"$(touch ${marker})"}`, contentType: 'application/json' }]);
    // A tampered history record: a method, a header and a body that are shell syntax.
    const hostile: ReceivedEvent = {
      ...JSON.parse(JSON.stringify(stored)) as ReceivedEvent,
      method: `POST$(touch ${marker})`,
      headers: [['x-note', `'; touch ${marker}; '`], ['@evil', 'read a file'], ['x-empty', ''], ['content-type', 'application/json']],
    };
    const command = curlCommand(hostile, 'http://127.0.0.1:9/`touch x`');
    assert.ok(command.includes(`-X 'POST$(touch ${marker})'`), command);
    assert.ok(!command.includes('@evil'), 'a header name that is not a token is left out');
    assert.ok(command.includes(`-H 'x-empty;'`), 'an empty header is sent empty, not dropped');
    await run('bash', ['-n', '-c', command]); // parses as one command
    // Run it (curl cannot even connect to port 9 or rejects the method): the shell itself ran nothing.
    await run('bash', ['-c', `${command} --silent --max-time 5 || true`]);
    await assert.rejects(stat(marker), { code: 'ENOENT' });
    // With the target in a shell variable the body and method stay literal too.
    const target = await captureServer(t);
    const viaVariable = curlCommand({ ...hostile, method: 'PUT' }, { shellVariable: 'WEBHOOK_URL' });
    assert.ok(viaVariable.includes('--url "$WEBHOOK_URL"'), viaVariable);
    await run('bash', ['-c', `${viaVariable} --silent --show-error --max-time 10`], { env: { ...process.env, WEBHOOK_URL: target.url } });
    const got = await target.received;
    assert.equal(got.method, 'PUT');
    assert.equal(got.body.toString('utf8'), `{"a":"$(touch ${marker})"}`);
    assert.equal(got.headers['x-note'], `'; touch ${marker}; '`);
    assert.equal(got.headers['x-empty'], '');
    await assert.rejects(stat(marker), { code: 'ENOENT' });
  });

  it('exports events oldest first as a JSON array or as one line per event', async (t) => {
    const events = await receive(t, [penpot('create-file', 'json'), penpot('delete-file', 'transit')]);
    const reversed = [...events].reverse();
    const json = JSON.parse(exportText(reversed, 'json')) as ReceivedEvent[];
    assert.deepEqual(json.map((e) => e.id), events.map((e) => e.id));
    assert.equal(json[1].bodyBase64, events[1].bodyBase64);
    const lines = exportText(reversed, 'ndjson').trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as ReceivedEvent).summary.eventName), ['create-file', 'delete-file']);
    assert.equal(exportText([], 'ndjson'), '');
  });
});
