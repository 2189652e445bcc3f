// PenpotClient: the RPC client behind PenpotApi. Node only (undici 7), no vscode import.
//
// Every command is sent as POST with a JSON object body, also the get-* ones: POST works for every command and is
// the only method the OpenAPI document describes (§1.2), and it avoids the kebab-case query-key rule of GET (§0.2).
import { request, type Dispatcher } from 'undici';
import type { CreateWebhookParams, PenpotApi, PenpotErrorKind, UpdateWebhookParams } from './api';
import {
  PenpotError, errorFromNetwork, errorFromResponse, looksLikeHtml, notPenpotHtmlError, parsePenpotErrorBody,
} from './errors';
import {
  ShapeError, asArray, toAccessToken, toCreatedAccessToken, toProfile, toTeam, toWebhook,
} from './normalize';
import { rateLimitWaitMs } from './rate-limit';
import { DEFAULT_TIMEOUTS, MAX_ANSWER_BYTES, createDispatcher, resolveProxy, type Timeouts } from './transport';
import {
  ANONYMOUS_PROFILE_ID, type AccessToken, type CreatedAccessToken, type Profile, type Team, type TokenExpiry,
  type Webhook,
} from './types';

export const DEFAULT_PENPOT_URL = 'https://design.penpot.app';

/** Which RPC route answered: `/api/main/methods/` (Penpot ≥ 2.12) or `/api/rpc/command/` (older, §1.1, §7). */
export type RpcPathKind = 'current' | 'legacy';

const RPC_PATHS: Record<RpcPathKind, string> = {
  current: '/api/main/methods/',
  legacy: '/api/rpc/command/',
};

/** One line per RPC call, for the extension's output channel. Never contains the token. */
export interface RpcLogLine {
  command: string;
  method: 'POST';
  /** The final HTTP status; absent when the server could not be reached. */
  status?: number;
  ms: number;
  path: RpcPathKind;
  error?: PenpotErrorKind;
}

export interface PenpotClientOptions {
  baseUrl: string;
  token: string;
  /** Sent as `x-client: penpot-integrations/<version>` (§1.7). */
  clientVersion?: string;
  /** `callMs`: overall deadline of one call (default 60 s); the others are undici's per-phase timeouts. */
  timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number; callMs?: number };
  /** Largest answer body read; a bigger one fails the call (default 16 MiB). */
  maxAnswerBytes?: number;
  log?: (line: RpcLogLine) => void;
  /** Overrides HTTPS_PROXY / HTTP_PROXY; loopback and NO_PROXY hosts are still reached directly. */
  proxyUrl?: string;
  /** Longest wait before the single retry of a rate-limited get-* call (default 10 s). */
  maxRateLimitWaitMs?: number;
}

/** Penpot's access-token expiration durations (§5, §0.9: "30d" is not valid). */
export const TOKEN_EXPIRATION: Readonly<Record<TokenExpiry, string | undefined>> = {
  never: undefined,
  '30': '720h',
  '60': '1440h',
  '90': '2160h',
  '180': '4320h',
};

/** In the order Penpot's UI offers them (object keys would put the numeric ones first). */
export const TOKEN_EXPIRIES: readonly TokenExpiry[] = ['never', '30', '60', '90', '180'];

export function isTokenExpiry(value: string): value is TokenExpiry {
  return Object.prototype.hasOwnProperty.call(TOKEN_EXPIRATION, value);
}

/** Token names Penpot accepts (§3.10). */
const MAX_TOKEN_NAME_LENGTH = 250;

/**
 * The server part of a Penpot URL: scheme, host, port and any path prefix, without trailing slashes.
 * Throws TypeError for anything that is not an http(s) URL or that carries credentials.
 */
export function normalizeBaseUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new TypeError(`"${input}" is not a valid URL; expected something like ${DEFAULT_PENPOT_URL}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`The Penpot URL must start with http:// or https:// (got ${url.protocol}).`);
  }
  if (url.username || url.password) throw new TypeError('The Penpot URL must not contain a user name or password.');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Which route answered last, per server, shared by every client in this process. */
const workingPathByServer = new Map<string, RpcPathKind>();

const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 10_000;

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  contentType: string;
  text: string;
}

export class PenpotClient implements PenpotApi {
  readonly baseUrl: string;
  // Private fields keep the token out of util.inspect, JSON.stringify and object spreads of the client.
  readonly #token: string;
  readonly #clientHeader: string;
  readonly #timeouts: Timeouts;
  readonly #dispatcher: Dispatcher;
  readonly #viaProxy: boolean;
  readonly #log: ((line: RpcLogLine) => void) | undefined;
  readonly #maxRateLimitWaitMs: number;
  readonly #maxAnswerBytes: number;
  #closed = false;

  constructor(options: PenpotClientOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    const token = (options.token ?? '').trim();
    if (!token) throw new TypeError('An access token is required.');
    // Checked here so undici never builds (and reports) a header from it.
    if (!/^[\x21-\x7e]+$/.test(token)) {
      throw new TypeError('The access token contains spaces or characters that are not plain ASCII; copy it again from Penpot.');
    }
    this.#token = token;
    this.#clientHeader = `penpot-integrations/${options.clientVersion ?? 'dev'}`;
    this.#timeouts = { ...DEFAULT_TIMEOUTS, ...definedOnly(options.timeouts ?? {}) };
    const proxy = resolveProxy(new URL(this.baseUrl), options.proxyUrl);
    this.#viaProxy = proxy !== undefined;
    this.#dispatcher = createDispatcher(proxy, this.#timeouts);
    this.#log = options.log;
    this.#maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
    this.#maxAnswerBytes = options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
  }

  async getProfile(): Promise<Profile> {
    return this.#call('get-profile', {}, (value) => {
      const profile = toProfile(value);
      // get-profile never answers 401: a bad, expired or ignored token yields the anonymous profile (§0.3, §3.1).
      if (profile.id === ANONYMOUS_PROFILE_ID) {
        throw new PenpotError({
          kind: 'unauthenticated',
          command: 'get-profile',
          status: 200,
          message:
            'Penpot did not accept the access token (it answered with its anonymous profile): the token is ' +
            'invalid, expired or deleted, or access tokens are disabled on this instance (a self-hosted Penpot ' +
            'needs the flag enable-access-tokens).',
        });
      }
      return profile;
    });
  }

  async getTeams(): Promise<Team[]> {
    return this.#call('get-teams', {}, (value) => asArray(value, 'the teams').map(toTeam));
  }

  async getWebhooks(teamId: string): Promise<Webhook[]> {
    // get-webhooks does not include team-id in its rows (§3.4), so it is filled in from the request.
    return this.#call('get-webhooks', { teamId }, (value) =>
      asArray(value, 'the webhooks').map((row) => toWebhook(row, teamId)));
  }

  async createWebhook(params: CreateWebhookParams): Promise<Webhook> {
    const { teamId, uri, mtype, isActive } = params;
    // isActive is always sent: without it Penpot stores NULL and the webhook never fires (§0.5).
    return this.#call('create-webhook', { teamId, uri, mtype, isActive: Boolean(isActive) }, (value) =>
      toWebhook(value, teamId));
  }

  async updateWebhook(params: UpdateWebhookParams): Promise<Webhook> {
    const { id, uri, mtype, isActive } = params;
    // Penpot requires all four fields; there is no partial update (§3.7).
    return this.#call('update-webhook', { id, uri, mtype, isActive: Boolean(isActive) }, toWebhookAnswer);
  }

  async deleteWebhook(id: string): Promise<void> {
    await this.#call('delete-webhook', { id }, ignoreAnswer);
  }

  /** create-project (issue 9's test delivery); `id` is sent so the create-project event can be recognised. */
  async createProject(params: { teamId: string; name: string; id: string }): Promise<{ id: string; name: string }> {
    return this.#call('create-project', params, (value) => {
      const row = value as { id?: unknown; name?: unknown } | null;
      return { id: typeof row?.id === 'string' ? row.id : params.id, name: typeof row?.name === 'string' ? row.name : params.name };
    });
  }

  async deleteProject(id: string): Promise<void> {
    await this.#call('delete-project', { id }, ignoreAnswer);
  }

  async getAccessTokens(options?: { includeAll?: boolean }): Promise<AccessToken[]> {
    const tokens = await this.#call('get-access-tokens', {}, (value) =>
      asArray(value, 'the access tokens').map(toAccessToken));
    // Penpot's personal list shows only tokens without a type; "mcp" keys are managed elsewhere (§6.2).
    return options?.includeAll ? tokens : tokens.filter((token) => token.type === null);
  }

  async createAccessToken(name: string, expiry: TokenExpiry): Promise<CreatedAccessToken> {
    const command = 'create-access-token';
    if (!isTokenExpiry(expiry)) {
      throw new PenpotError({
        kind: 'validation',
        command,
        message: `Unknown token expiry "${String(expiry)}"; use one of ${TOKEN_EXPIRIES.join(', ')} (days).`,
      });
    }
    const trimmed = typeof name === 'string' ? name.trim() : '';
    if (trimmed.length === 0 || trimmed.length > MAX_TOKEN_NAME_LENGTH) {
      throw new PenpotError({
        kind: 'validation',
        command,
        message: `A token name must have 1 to ${MAX_TOKEN_NAME_LENGTH} characters.`,
      });
    }
    const expiration = TOKEN_EXPIRATION[expiry];
    const params = expiration === undefined ? { name: trimmed } : { name: trimmed, expiration };
    return this.#call(command, params, toCreatedAccessToken);
  }

  async deleteAccessToken(id: string): Promise<void> {
    // Penpot answers 204 even for an unknown id (§3.12).
    await this.#call('delete-access-token', { id }, ignoreAnswer);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#dispatcher.close();
  }

  /**
   * One RPC call: the remembered route (fallback to the other one on a non-Penpot 404), one retry of a
   * rate-limited get-*, decoding, and exactly one log line.
   */
  async #call<T>(command: string, params: object, decode: (value: unknown) => T): Promise<T> {
    const started = performance.now();
    let path: RpcPathKind = workingPathByServer.get(this.baseUrl) ?? 'current';
    let status: number | undefined;
    const deadline = new AbortController();
    const deadlineTimer = setTimeout(() => deadline.abort(), this.#timeouts.callMs);
    try {
      if (this.#closed) {
        throw new PenpotError({ kind: 'protocol', command, message: 'This Penpot client has been closed.' });
      }
      let triedOtherPath = false;
      let retriedRateLimit = false;
      for (;;) {
        const answer = await this.#send(path, command, params, deadline.signal);
        status = answer.status;
        const penpotError = parsePenpotErrorBody(answer.text);
        if (answer.status === 404 && !penpotError) {
          // Penpot's own 404 is a JSON error body; anything else means the route does not exist here (§1.1).
          if (!triedOtherPath) {
            triedOtherPath = true;
            path = path === 'current' ? 'legacy' : 'current';
            continue;
          }
          throw this.#noPenpotApiError(command, answer);
        }
        const penpotAnswered = penpotError !== undefined || (answer.status < 300 && !looksLikeHtml(answer.contentType, answer.text));
        if (penpotAnswered) workingPathByServer.set(this.baseUrl, path);
        if (answer.status === 429 && command.startsWith('get-') && !retriedRateLimit) {
          // Reads are safe to repeat; writes are not retried (§1.9).
          retriedRateLimit = true;
          await delay(Math.min(rateLimitWaitMs(answer.headers, Date.now(), this.#maxRateLimitWaitMs), this.#timeouts.callMs));
          if (deadline.signal.aborted) throw this.#deadlineError(command, status);
          continue;
        }
        if (answer.status < 200 || answer.status >= 300) {
          throw errorFromResponse({ command, server: this.baseUrl, ...answer, secret: this.#token });
        }
        const result = decode(this.#parseSuccess(command, answer));
        this.#emit({ command, method: 'POST', status, ms: elapsed(started), path });
        return result;
      }
    } catch (caught) {
      const error = deadline.signal.aborted && !(caught instanceof PenpotError)
        ? this.#deadlineError(command, status)
        : this.#toPenpotError(caught, command, status);
      this.#emit({ command, method: 'POST', status, ms: elapsed(started), path, error: error.kind });
      throw error;
    } finally {
      clearTimeout(deadlineTimer);
    }
  }

  #deadlineError(command: string, status: number | undefined): PenpotError {
    return new PenpotError({
      kind: 'timeout',
      command,
      status,
      message: `${this.baseUrl} did not finish answering ${command} within ${Math.round(this.#timeouts.callMs / 100) / 10} s; `
        + 'the call was given up.',
    });
  }

  async #send(path: RpcPathKind, command: string, params: object, signal: AbortSignal): Promise<RawAnswer> {
    const response = await request(`${this.baseUrl}${RPC_PATHS[path]}${command}`, {
      method: 'POST',
      dispatcher: this.#dispatcher,
      signal,
      headers: {
        authorization: `Token ${this.#token}`,
        accept: 'application/json',
        'content-type': 'application/json',
        'x-client': this.#clientHeader,
        'user-agent': this.#clientHeader,
      },
      // Always an object, `{}` at least: an empty body is a 400 malformed-json (§1.3).
      body: JSON.stringify(params),
    });
    const text = await this.#readCapped(response, command);
    const contentType = response.headers['content-type'];
    return {
      status: response.statusCode,
      headers: response.headers,
      contentType: Array.isArray(contentType) ? contentType.join(', ') : contentType ?? '',
      text,
    };
  }

  /** The answer's body as text, refusing (and dropping the connection of) one larger than the cap. */
  async #readCapped(response: Dispatcher.ResponseData, command: string): Promise<string> {
    const limit = this.#maxAnswerBytes;
    const declared = Number(response.headers['content-length']);
    const chunks: Buffer[] = [];
    let received = Number.isFinite(declared) ? declared : 0;
    if (received <= limit) {
      received = 0;
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        received += chunk.length;
        if (received > limit) break;
        chunks.push(chunk);
      }
    }
    if (received > limit) {
      response.body.destroy();
      throw new PenpotError({
        kind: 'protocol',
        command,
        status: response.statusCode,
        message: `${this.baseUrl} sent an answer to ${command} larger than ${Math.round(limit / 1024 / 1024)} MiB; `
          + 'it was not read (Penpot\'s answers are far smaller: is this a Penpot server?).',
      });
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  #parseSuccess(command: string, answer: RawAnswer): unknown {
    if (answer.status === 204 || answer.text.trim() === '') return undefined;
    const context = { command, server: this.baseUrl, ...answer };
    if (looksLikeHtml(answer.contentType, answer.text)) throw notPenpotHtmlError(context);
    if (/transit/i.test(answer.contentType)) {
      throw new PenpotError({
        kind: 'protocol',
        command,
        status: answer.status,
        message: `Penpot answered ${command} in Transit although JSON was requested; a proxy may be dropping the Accept header.`,
      });
    }
    try {
      return JSON.parse(answer.text);
    } catch {
      throw new PenpotError({
        kind: 'protocol',
        command,
        status: answer.status,
        message: `${this.baseUrl} answered ${command} with something that is not JSON (${answer.contentType || 'no content type'}).`,
      });
    }
  }

  #noPenpotApiError(command: string, answer: RawAnswer): PenpotError {
    if (looksLikeHtml(answer.contentType, answer.text)) {
      const htmlError = notPenpotHtmlError({ command, server: this.baseUrl, ...answer });
      if (answer.status !== 404) return htmlError;
    }
    return new PenpotError({
      kind: 'not-penpot',
      command,
      status: answer.status,
      message:
        `${this.baseUrl} has no Penpot API: both ${RPC_PATHS.current} and ${RPC_PATHS.legacy} answered 404. ` +
        'Check the Penpot URL.',
    });
  }

  #toPenpotError(caught: unknown, command: string, status: number | undefined): PenpotError {
    if (caught instanceof PenpotError) return caught;
    if (caught instanceof ShapeError) {
      return new PenpotError({
        kind: 'protocol',
        command,
        status,
        message: `Penpot's answer to ${command} has an unexpected shape (${caught.message}); is this a Penpot server?`,
      });
    }
    return errorFromNetwork(caught, {
      command,
      server: this.baseUrl,
      host: new URL(this.baseUrl).host,
      timeouts: this.#timeouts,
      viaProxy: this.#viaProxy,
      secret: this.#token,
    });
  }

  #emit(line: RpcLogLine): void {
    if (!this.#log) return;
    try {
      this.#log(line);
    } catch {
      // A failing logger must not turn a successful call into a failure.
    }
  }
}

function toWebhookAnswer(value: unknown): Webhook {
  return toWebhook(value);
}

function ignoreAnswer(): void {
  // Deletes answer 204 with no body (§0.8).
}

function definedOnly<T extends object>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => typeof v === 'number' && v > 0)) as Partial<T>;
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
