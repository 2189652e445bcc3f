// Shared by the receiver tests: a receiver on an OS-assigned loopback port, and clients that speak raw HTTP
// where undici would refuse to misbehave (slow or oversized requests).
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { request } from 'undici';
import { generateReceiverSecret, startReceiver, type Receiver, type ReceiverOptions } from '../../../src/receiver';

export { closedPort } from '../penpot/http-servers';

export async function startTestReceiver(t: TestContext, options: Partial<ReceiverOptions> = {}): Promise<Receiver> {
  const receiver = await startReceiver({ secret: generateReceiverSecret(), port: 0, ...options });
  t.after(() => receiver.close());
  return receiver;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export async function post(url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  return send(url, 'POST', body, headers);
}

export async function send(url: string, method: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await request(url, { method: method as 'POST', body, headers });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

/**
 * Writes `chunks` over a plain socket and resolves with everything the server sent once it closes the connection,
 * `settleMs` passes, or (with `untilHead`) the answer's head has arrived.
 */
export function rawExchange(port: number, chunks: (string | Buffer)[], settleMs = 5000, untilHead = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    const done = (): void => { clearTimeout(timer); socket.destroy(); resolve(Buffer.concat(received).toString('latin1')); };
    const timer = setTimeout(done, settleMs);
    socket.on('data', (d) => {
      received.push(d);
      if (untilHead && Buffer.concat(received).includes('\r\n\r\n')) done();
    });
    socket.on('close', done);
    socket.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? done() : reject(e)));
    socket.on('connect', () => { for (const chunk of chunks) socket.write(chunk); });
  });
}

/** An open socket that has sent `head` and waits; `finish` writes the rest and resolves with the answer. */
export function heldRequest(port: number, head: string): Promise<{ finish(rest: string): Promise<string>; abort(): void; answer: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let settle: (text: string) => void = () => undefined;
    const answer = new Promise<string>((r) => { settle = r; });
    socket.on('data', (d) => {
      received.push(d);
      const text = Buffer.concat(received).toString('latin1');
      if (/\r\n\r\n/.test(text)) { settle(text); socket.end(); }
    });
    socket.on('close', () => settle(Buffer.concat(received).toString('latin1')));
    socket.on('error', reject);
    socket.on('connect', () => {
      socket.write(head, () => resolve({
        finish: (rest) => { socket.write(rest); return answer; },
        abort: () => { socket.destroy(); },
        answer,
      }));
    });
  });
}

export interface CapturedRequest {
  method: string;
  url: string;
  rawHeaders: string[];
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A loopback target that records what it gets and answers with `respond` (default 200 "ok"). */
export async function startTarget(
  t: TestContext,
  respond: (req: CapturedRequest, res: http.ServerResponse) => void | Promise<void> = (_req, res) => { res.end('ok'); },
): Promise<{ url: string; requests: CapturedRequest[]; port: number }> {
  const requests: CapturedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const captured: CapturedRequest = {
        method: req.method ?? '', url: req.url ?? '', rawHeaders: req.rawHeaders, headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(captured);
      void respond(captured, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/target`, requests, port };
}

/** Resolves on the next store change matching `predicate`. */
export function nextChange<T>(subscribe: (listener: (value: T) => void) => { dispose(): void }, predicate: (value: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const subscription = subscribe((value) => {
      if (predicate(value)) { subscription.dispose(); resolve(value); }
    });
  });
}

export function pathOf(url: string): string {
  return new URL(url).pathname;
}
