// The twin's HTTP server: Penpot's RPC routes with its request parsing, authentication and response negotiation
// (§1), plus the twin's own hooks under /_twin/ for tests and demos.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readPenpotJson, writePenpotJson } from '../penpot/json';
import { decodeTransit, encodeTransit } from '../transit';
import { isKeyword, isTypedNode, keywordKey, setOwn, uuid } from '../transit/nodes';
import type { TransitMapObject, TransitNode } from '../transit/types';
import { COMMANDS, runCommand, type CommandResult } from './commands';
import { shapeOfVersionOrThrow } from '../penpot/events';
import { Deliverer } from './delivery';
import { RpcError, rpcError, unexpected } from './errors';
import { parseExtraCidrs } from './outbound';
import { UUID_PATTERN } from './params';
import { createState, loadSeed } from './seed';
import type { EmitOptions, RunningTwin, TwinOptions, TwinState, TwinTimeouts } from './types';
import { errorMessage } from '../common/errors';

const DEFAULT_VERSION = '2.17.0';
const DEFAULT_TIMEOUTS: TwinTimeouts = { validationMs: 3000, deliveryMs: 4000 };
/** Penpot's body limit (§1.3). */
const MAX_BODY_BYTES = 367_001_600;
const JSON_TYPE = 'application/json';
const TRANSIT_TYPE = 'application/transit+json';

const DEFAULT_FRONTEND_FLAGS = 'enable-webhooks enable-access-tokens enable-login-with-password';
const CURRENT_PREFIX = '/api/main/methods/';
const LEGACY_PREFIX = '/api/rpc/command/';

/** Starts a twin; see TwinOptions. Resolves once it listens. */
export async function startTwin(options: TwinOptions = {}): Promise<RunningTwin> {
  const { state, demoToken } = createState(await loadSeed(options.seed), new Date());
  const version = options.version ?? DEFAULT_VERSION;
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const shutdown = new AbortController();
  shapeOfVersionOrThrow(version);
  const debounceScale = options.debounceScale ?? 1;
  if (!(Number.isFinite(debounceScale) && debounceScale >= 0)) throw new Error(`debounceScale must be a number ≥ 0 (got ${debounceScale}).`);
  if (options.ssrfExtraBlockedCidrs) state.ssrfExtraBlockedCidrs = parseExtraCidrs(options.ssrfExtraBlockedCidrs);
  const deliverer = new Deliverer(state, {
    userAgent: `penpot/${version.split('.').slice(0, 2).join('.')}`,
    penpotVersion: version,
    timeoutMs: timeouts.deliveryMs,
    countStatusFailures: options.countStatusFailures ?? false,
    debounceScale,
    signal: shutdown.signal,
  });
  const context: ServerContext = { state, deliverer, timeouts, signal: shutdown.signal, legacyPathOnly: options.legacyPathOnly ?? false,
    frontendFlags: options.frontendFlags === undefined ? DEFAULT_FRONTEND_FLAGS : options.frontendFlags };

  const server = http.createServer((req, res) => {
    handle(req, res, context).catch((error: unknown) => {
      // Failures outside the RPC error handling: a malformed path, a connection that went away.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(errorMessage(error));
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    demoToken,
    state,
    deliveries: deliverer.records,
    emit: (name: string, emitOptions: EmitOptions) => deliverer.emit(name, emitOptions),
    close: () => new Promise<void>((resolve) => {
      shutdown.abort();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

interface ServerContext {
  state: TwinState;
  deliverer: Deliverer;
  timeouts: TwinTimeouts;
  signal: AbortSignal;
  legacyPathOnly: boolean;
  /** PENPOT_FLAGS as /js/config.js shows them; null: no config.js line (the defaults apply). */
  frontendFlags: string | null;
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, ctx: ServerContext): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://twin.invalid');
  const path = url.pathname;
  let name: string | undefined;
  if (path.startsWith(LEGACY_PREFIX)) name = path.slice(LEGACY_PREFIX.length);
  else if (path.startsWith(CURRENT_PREFIX) && !ctx.legacyPathOnly) name = path.slice(CURRENT_PREFIX.length);
  if (name !== undefined && name !== '' && !name.includes('/')) return handleRpc(decodeURIComponent(name), req, res, url, ctx);
  if (path.startsWith('/_twin/')) return handleTwinHook(path, req, res, ctx);
  if (path === '/js/config.js' && ctx.frontendFlags !== null) {
    // What Penpot's frontend nginx entrypoint writes from PENPOT_FLAGS (issue 9's doctor reads it).
    return sendBody(res, 200, 'application/javascript', `var penpotFlags = "${ctx.frontendFlags}";\n`);
  }
  await readBody(req).catch(() => undefined);
  sendText(res, 404, 'Not found');
}

// --- Penpot RPC ------------------------------------------------------------------------------------------------

type Format = 'json' | 'transit';

/** §1.4: `_fmt=json` replaces Accept; Transit whenever it is listed, JSON only when asked for, Transit otherwise. */
function negotiate(req: http.IncomingMessage, url: URL): Format {
  const accept = url.searchParams.get('_fmt') === 'json' ? JSON_TYPE : req.headers.accept ?? '';
  if (accept.includes(TRANSIT_TYPE)) return 'transit';
  return accept.includes(JSON_TYPE) ? 'json' : 'transit';
}

async function handleRpc(name: string, req: http.IncomingMessage, res: http.ServerResponse, url: URL, ctx: ServerContext): Promise<void> {
  const format = negotiate(req, url);
  // The raw query string is searched, not its parameters (§1.4).
  const verbose = url.search.includes('transit_verbose');
  const reply = (status: number, body: TransitNode | null, jsonBody?: TransitNode): void => {
    if (body === null) {
      res.writeHead(status === 200 ? 204 : status);
      res.end();
    } else if (format === 'json') {
      sendBody(res, status, JSON_TYPE, writePenpotJson(jsonBody ?? body));
    } else {
      sendBody(res, status, TRANSIT_TYPE, encodeTransit(body, { verbose }));
    }
  };
  try {
    const params = await readParams(req, url);
    const method = req.method ?? 'GET';
    // §1.2: POST always; GET and HEAD only for get-* commands.
    if (!(method === 'POST' || ((method === 'GET' || method === 'HEAD') && name.startsWith('get-')))) {
      throw rpcError('restriction', 'method-not-allowed', 'method not allowed for this request');
    }
    const command = COMMANDS[name];
    if (!command) throw rpcError('not-found'); // body {"type":"not-found"} only (§1.1)
    const result: CommandResult = await runCommand(command, {
      state: ctx.state,
      profileId: authenticate(req, ctx.state),
      params,
      now: new Date(),
      validationMs: ctx.timeouts.validationMs,
      signal: ctx.signal,
      emit: (eventName, emitOptions) => ctx.deliverer.emit(eventName, emitOptions),
    });
    reply(200, result.body, result.json);
  } catch (error) {
    if (error instanceof MalformedJson) {
      // Raised outside the format middleware: Transit-verbose whatever Accept says (§1.3).
      sendBody(res, 400, TRANSIT_TYPE, encodeTransit(error.rpc.body, { verbose: true }));
      return;
    }
    const rpc = error instanceof RpcError ? error : unexpected(errorMessage(error));
    reply(rpc.status, rpc.body);
  }
}

/**
 * Who is calling (§1.7). A non-empty cookie `auth-token` wins over the header; the twin has no sessions, so it means
 * nobody. An empty one is ignored, as Penpot's middleware does (middleware.clj:277, conformance finding 20).
 * `Bearer` carries a session token, also unknown here. `Token <t>` must name a live access token.
 */
function authenticate(req: http.IncomingMessage, state: TwinState): string | null {
  if (/(?:^|;)\s*auth-token=[^;\s]/.test(req.headers.cookie ?? '')) return null;
  const match = /^(Token|Bearer)\s+(.*)$/is.exec(req.headers.authorization ?? '');
  // Without `enable-access-tokens` the Token middleware does not exist: the header is ignored (§0.1).
  if (!match || match[1].toLowerCase() !== 'token' || state.accessTokensDisabled) return null;
  const now = Date.now();
  const token = state.tokens.find((t) => t.value === match[2]);
  if (!token || (token.expiresAt !== null && token.expiresAt.getTime() <= now)) return null;
  return state.profiles.some((p) => p.id === token.profileId) ? token.profileId : null;
}

class MalformedJson extends Error {
  readonly rpc = rpcError('validation', 'malformed-json', 'JSON error (end-of-file)');
}

/** Query params (every method, keys as sent, §1.3) merged with the parsed body (POST only). */
async function readParams(req: http.IncomingMessage, url: URL): Promise<TransitMapObject> {
  const params: TransitMapObject = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    setOwn(params, keywordKey(key), values.length === 1 ? values[0] : values);
  }
  const body = await readBody(req);
  if (req.method !== 'POST') return params;
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  const text = body.toString('utf8');
  let parsed: TransitNode | undefined;
  if (contentType.startsWith(TRANSIT_TYPE)) {
    try {
      parsed = decodeTransit(text);
    } catch (error) {
      throw unexpected((error as Error).message);
    }
  } else if (contentType.startsWith(JSON_TYPE)) {
    if (text.trim() === '') throw new MalformedJson();
    try {
      parsed = readPenpotJson(text);
    } catch (error) {
      throw unexpected((error as Error).message); // other parse errors are 500 unexpected (§1.3)
    }
  } else if (contentType.startsWith('application/x-www-form-urlencoded')) {
    // keys keywordised as sent, no kebab conversion (§1.3)
    for (const [key, value] of new URLSearchParams(text)) setOwn(params, keywordKey(key), value);
  }
  if (parsed === undefined || parsed === null) return params;
  const bodyParams = keywordEntries(parsed);
  if (!bodyParams) throw rpcError('validation', 'params-validation', undefined, { explain: 'Errors:\n  ["the request body should be a map"]\n' });
  for (const [key, value] of Object.entries(bodyParams)) setOwn(params, key, value); // never Object.assign: "__proto__"
  return params;
}

/**
 * The keyword-keyed entries of a map node (a plain object, or a map with some string keys, which no command
 * reads); undefined for anything that is not a map.
 */
function keywordEntries(node: TransitNode): TransitMapObject | undefined {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
  if (!isTypedNode(node)) return node;
  if (node['~type'] !== 'map') return undefined;
  const out: TransitMapObject = {};
  for (const [key, value] of node.entries) if (isKeyword(key)) setOwn(out, keywordKey(key.name), value);
  return out;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy(); // the answer may not arrive: the twin will not read 350 MiB to be polite
        reject(rpcError('validation', 'request-body-too-large', 'request body too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendBody(res: http.ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendText(res: http.ServerResponse, status: number, text: string): void {
  sendBody(res, status, 'text/plain; charset=utf-8', text);
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  sendBody(res, status, 'application/json; charset=utf-8', JSON.stringify(value, null, 2));
}

// --- The twin's own hooks (not Penpot's API) -------------------------------------------------------------------

async function handleTwinHook(path: string, req: http.IncomingMessage, res: http.ServerResponse, ctx: ServerContext): Promise<void> {
  const body = await readBody(req);
  if (path === '/_twin/state' && req.method === 'GET') {
    // Everything but the token values.
    const tokens = ctx.state.tokens.map(({ value: _value, ...rest }) => rest);
    return sendJson(res, 200, { ...ctx.state, tokens });
  }
  if (path === '/_twin/deliveries' && req.method === 'GET') return sendJson(res, 200, ctx.deliverer.records);
  if (path === '/_twin/emit' && req.method === 'POST') {
    let request: { name?: unknown; teamId?: unknown; profileId?: unknown; props?: unknown };
    try {
      request = JSON.parse(body.toString('utf8')) as typeof request;
    } catch (error) {
      return sendJson(res, 400, { error: `The body is not JSON: ${(error as Error).message}` });
    }
    if (typeof request !== 'object' || request === null || typeof request.name !== 'string' || typeof request.teamId !== 'string') {
      return sendJson(res, 400, { error: 'Expected a JSON object {"name", "teamId", "profileId"?, "props"?}.' });
    }
    if (request.profileId !== undefined && typeof request.profileId !== 'string') {
      return sendJson(res, 400, { error: '"profileId" must be a string.' });
    }
    if (request.props !== undefined && (typeof request.props !== 'object' || request.props === null || Array.isArray(request.props))) {
      return sendJson(res, 400, { error: '"props" must be a JSON object.' });
    }
    try {
      const results = await ctx.deliverer.emit(request.name, {
        teamId: request.teamId,
        profileId: request.profileId,
        props: request.props === undefined ? undefined : propsFromJson(request.props),
      });
      return sendJson(res, 200, results);
    } catch (error) {
      return sendJson(res, 400, { error: (error as Error).message });
    }
  }
  sendText(res, 404, 'Not found');
}

/** JSON props read as Penpot reads a JSON request (§1.3): kebab keys, and UUID strings become UUIDs. */
function propsFromJson(props: object): Record<string, TransitNode> {
  const convert = (node: TransitNode): TransitNode => {
    if (typeof node === 'string') return UUID_PATTERN.test(node) ? uuid(node) : node;
    if (Array.isArray(node)) return node.map(convert);
    const map = keywordEntries(node);
    if (!map) return node;
    const out: TransitMapObject = {};
    for (const [k, v] of Object.entries(map)) setOwn(out, k, convert(v));
    return out;
  };
  return convert(readPenpotJson(JSON.stringify(props))) as Record<string, TransitNode>;
}
