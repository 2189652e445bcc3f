// `listen`: the webhook receiver in a terminal (like `stripe listen`): prints its URL, then one line per event.
import {
  DEFAULT_RECEIVER_HOST, DEFAULT_RECEIVER_PORT, DEFAULT_STORE_CAPACITY, EventStore, MAX_STORE_CAPACITY,
  generateReceiverSecret, isValidReceiverSecret, startReceiver, type ForwardResult, type ReceivedEvent,
} from '../receiver';
import { formatSize, formatTime } from '../receiver/format';
import { startTunnel, TUNNEL_TOOLS, type Tunnel, type TunnelTool } from '../receiver/tunnel';
import { UsageError, stringOption, type CliCommand, type CliContext } from './command';
import { messageOf } from '../receiver/decode';
import { DecodePool, IN_PLACE_DECODE_BYTES } from '../receiver/decodeWorker';
import { bodyBytes } from '../receiver/event';
import type { ShapeLabel } from '../receiver/shape';
import { escapeControl } from './table';
import { isHttpUrl } from '../common/httpUrl';

export const listenCommand: CliCommand = {
  name: 'listen',
  synopsis: '[--port N] [--host H] [--status CODE] [--forward URL] [--secret S] [--history FILE] [--max-events N] [--tunnel cloudflared|ngrok]',
  summary: 'Receive Penpot webhook deliveries locally and print each one',
  details: [
    `Listens on ${DEFAULT_RECEIVER_HOST}:${DEFAULT_RECEIVER_PORT} by default (--port 0: any free port) and accepts only`,
    'HEAD and POST on /hooks/<secret>; give that URL to a Penpot webhook.',
    '--status CODE answers every request with CODE (default 204). Penpot 2.15-2.17 never counts an answered delivery',
    'toward the auto-disable (derived); to rehearse one, stop the receiver: 3 refused connections in a row disable it.',
    '--forward URL also sends each event, with its original bytes and headers, to URL.',
    '--secret S reuses a secret printed by an earlier run, so the URL stays the same (default: a new one).',
    `--history FILE keeps the events in FILE (JSON lines), reopened by the next run; --max-events N (1–${MAX_STORE_CAPACITY}, default ${DEFAULT_STORE_CAPACITY}) bounds them.`,
    'With --json, prints one JSON object per line: {"type":"listening",...} first, then {"type":"event",...}.',
    'Each event line has "shape": the Penpot versions whose payload shape it matches ("2.15+", "2.14", "2.2–2.13", "2.0–2.1") or "unknown".',
    '--tunnel cloudflared|ngrok starts that tool (on PATH, or CLOUDFLARED_PATH / NGROK_PATH) for the port and prints',
    'its public URL ("publicUrl" in the first JSON line); the tool stops with the receiver.',
    'Penpot 2.15+ refuses loopback and private addresses unless the host is in PENPOT_SSRF_ALLOWED_HOSTS.',
  ],
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    status: { type: 'string' },
    forward: { type: 'string' },
    secret: { type: 'string' },
    history: { type: 'string' },
    'max-events': { type: 'string' },
    tunnel: { type: 'string' },
  },
  async run(ctx) {
    const port = integerOption(ctx, 'port', 0, 65535) ?? DEFAULT_RECEIVER_PORT;
    const status = integerOption(ctx, 'status', 200, 599);
    const host = stringOption(ctx, 'host') ?? DEFAULT_RECEIVER_HOST;
    const forwardTo = stringOption(ctx, 'forward');
    const secret = stringOption(ctx, 'secret') ?? generateReceiverSecret();
    if (!isValidReceiverSecret(secret)) throw new UsageError('--secret must be URL-safe base64 of at least 128 bits.');
    if (forwardTo !== undefined && !isHttpUrl(forwardTo)) throw new UsageError('--forward must be an http(s) URL.');

    const tunnelTool = stringOption(ctx, 'tunnel');
    if (tunnelTool !== undefined && !(TUNNEL_TOOLS as string[]).includes(tunnelTool)) {
      throw new UsageError(`--tunnel must be one of ${TUNNEL_TOOLS.join(', ')}.`);
    }

    const capacity = integerOption(ctx, 'max-events', 1, MAX_STORE_CAPACITY) ?? DEFAULT_STORE_CAPACITY;
    const history = stringOption(ctx, 'history');
    const store = EventStore.open({ capacity, file: history, onError: (error) => ctx.note(`warning: ${error.message}`) });
    let receiver;
    try {
      receiver = await startReceiver({ secret, host, port, status, forwardTo, store });
    } catch (error) {
      store.close();
      throw error;
    }
    const pool = new DecodePool();
    const printer = new EventPrinter(ctx, pool);
    let tunnel: Tunnel | undefined;
    try {
      if (tunnelTool !== undefined) {
        const tool = tunnelTool as TunnelTool;
        const configured = ctx.env[tool === 'cloudflared' ? 'CLOUDFLARED_PATH' : 'NGROK_PATH'];
        tunnel = await startTunnel({ tool, port: receiver.port, host: receiver.host, executable: configured, env: ctx.env });
      }
      const publicUrl = tunnel === undefined ? undefined : tunnel.publicUrl + new URL(receiver.url).pathname;
      const report = (event: ReceivedEvent, forward?: ForwardResult): void => printer.report(event, forward);
      // With forwarding on, an event's line waits for its forward outcome; the HTTP answer never does.
      if (forwardTo === undefined) receiver.onEvent((event) => report(event));
      else receiver.onForwarded((event, result) => report(event, result));

      if (ctx.json) {
        ctx.print(JSON.stringify({
          type: 'listening', url: receiver.url, status: receiver.status, forwardTo: forwardTo ?? null,
          ...(publicUrl === undefined ? {} : { publicUrl }),
        }));
      } else {
        ctx.print(`Listening on ${receiver.url}`);
        if (publicUrl !== undefined) ctx.print(`Public URL (${tunnelTool} tunnel): ${publicUrl}`);
        ctx.print(`Answering ${receiver.status}${forwardTo ? `, forwarding to ${forwardTo}` : ''}.`);
        ctx.note('Press Ctrl+C to stop.');
      }
      if (!isLoopback(host)) {
        ctx.note(`Note: listening on ${host}, reachable from other machines; only the URL's secret keeps strangers out.`);
      }
      await (tunnel === undefined ? ctx.untilStopped() : Promise.race([ctx.untilStopped(), tunnel.exited.then(() => {
        ctx.note(`The ${tunnelTool} tunnel stopped; stopping the receiver.`);
      })]));
    } finally {
      await tunnel?.stop();
      await receiver.close();
      // Decodes still waiting end now (their lines say so): stopping does not wait for them.
      await pool.close();
      await printer.flushed();
      store.close();
    }
  },
};

/**
 * Body bytes of the events whose lines are still to be printed, beyond which a large event's line goes out without
 * its decoded payload: when deliveries come faster than they decode or than stdout takes them, memory stays bounded.
 */
export const MAX_WAITING_BODY_BYTES = 64 * 1024 * 1024;

/**
 * Prints one line per event, in the order received. A `--json` line carries the decoded payload, decoded off the
 * event loop (DecodePool) for a large body, so the receiver's answers never wait on it; each line waits for stdout
 * to take the previous one.
 */
class EventPrinter {
  private chain = Promise.resolve();
  private waitingBytes = 0;

  constructor(private readonly ctx: CliContext, private readonly pool: DecodePool) {}

  report(event: ReceivedEvent, forward: ForwardResult | undefined): void {
    const large = event.size > IN_PLACE_DECODE_BYTES;
    let line: Promise<string>;
    let waiting = 0;
    if (!this.ctx.json) {
      line = Promise.resolve(humanLine(event, forward));
    } else if (large && this.waitingBytes + event.size > MAX_WAITING_BODY_BYTES) {
      line = Promise.resolve(jsonEventLine(event, forward, { decodeError: notDecodedBehind(this.waitingBytes) }));
    } else {
      // Started now, so the decode runs while earlier lines print. Only these lines hold a body until printed.
      waiting = event.size;
      line = this.decodedLine(event, forward);
    }
    this.waitingBytes += waiting;
    const id = event.id; // the closure below must not keep the event (and its bytes) alive
    this.chain = this.chain.then(async () => {
      try {
        this.ctx.print(await line);
        await this.ctx.drained();
      } catch (error) {
        this.ctx.note(`warning: event ${id} not printed: ${messageOf(error)}`);
      } finally {
        this.waitingBytes -= waiting;
      }
    });
  }

  /** Resolves once every reported event is printed. */
  flushed(): Promise<void> {
    return this.chain;
  }

  private async decodedLine(event: ReceivedEvent, forward: ForwardResult | undefined): Promise<string> {
    if (event.decodeError !== undefined) return jsonEventLine(event, forward, { decodeError: event.decodeError });
    const decoded = await this.pool.decodeText(bodyBytes(event), event.contentType, { listFields: event });
    return jsonEventLine(event, forward, decoded.decodeError === undefined
      ? { decodedJson: decoded.text ?? 'null', shape: decoded.shape }
      : { decodeError: decoded.decodeError });
  }
}

function notDecodedBehind(waitingBytes: number): string {
  return `Not decoded: ${formatSize(waitingBytes)} of earlier events were still waiting to be decoded and printed; the raw body is kept.`;
}

type DecodedPart = { decodedJson: string; shape: ShapeLabel } | { decodeError: string };

/**
 * The `--json` line of an event. The decoded payload comes as JSON text, spliced in rather than parsed and
 * stringified again: a large payload exists once, as that string.
 */
function jsonEventLine(event: ReceivedEvent, forward: ForwardResult | undefined, part: DecodedPart): string {
  const head = {
    type: 'event',
    id: event.id,
    receivedAt: event.receivedAt,
    method: event.method,
    name: event.summary.eventName ?? null,
    contentType: event.contentType,
    format: event.format,
    size: event.size,
    status: event.responseStatus,
  };
  const tail = {
    summary: event.summary,
    shape: 'shape' in part ? part.shape : 'unknown',
    ...(forward === undefined ? {} : { forward }),
    ...(event.simulated ? { simulated: true } : {}),
  };
  const middle = 'decodeError' in part ? `"decodeError":${JSON.stringify(part.decodeError)}` : `"decoded":${part.decodedJson}`;
  return `${JSON.stringify(head).slice(0, -1)},${middle},${JSON.stringify(tail).slice(1)}`;
}

function humanLine(event: ReceivedEvent, forward: ForwardResult | undefined): string {
  const columns = [
    formatTime(event.receivedAt),
    event.method,
    (event.summary.eventName ?? '-').padEnd(24),
    event.format.padEnd(7),
    formatSize(event.size).padStart(8),
    `→ ${event.responseStatus}`,
  ];
  if (forward !== undefined) {
    columns.push(forward.status !== undefined
      ? `forward ${forward.status} in ${Math.round(forward.ms)} ms`
      : `forward failed: ${forward.error ?? 'no answer'}`);
  }
  if (event.simulated) columns.push('(simulated)');
  if (event.decodeError !== undefined) columns.push(event.decodeError);
  // The event name, a forward error and the target's text come from outside.
  return escapeControl(columns.join('  '));
}

function integerOption(ctx: CliContext, name: string, min: number, max: number): number | undefined {
  const text = stringOption(ctx, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max} (got "${text}").`);
  }
  return value;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
