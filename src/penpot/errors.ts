// PenpotError and the translation of every failure (Penpot error bodies, odd HTTP answers, network and TLS errors)
// into one kind plus a sentence a person can act on. Nothing here may carry the access token: messages are built
// from Penpot's fields and error codes only, and foreign errors are copied into sanitised causes.
import type { PenpotErrorKind } from './api';
import { MAX_WEBHOOKS_PER_TEAM } from './types';

export interface PenpotErrorInit {
  kind: PenpotErrorKind;
  message: string;
  command: string;
  status?: number;
  type?: string;
  code?: string;
  hint?: string;
  cause?: unknown;
}

export class PenpotError extends Error {
  override readonly name = 'PenpotError';
  readonly kind: PenpotErrorKind;
  // `declare`: optional fields exist only when set, so util.inspect and JSON show what is known.
  /** HTTP status, when the server answered. */
  declare readonly status?: number;
  /** Penpot's error `type`, `code` and `hint` (§2), when the answer was a Penpot error body. */
  declare readonly type?: string;
  declare readonly code?: string;
  declare readonly hint?: string;
  /** The RPC command that failed, e.g. "create-webhook". */
  readonly command: string;

  constructor(init: PenpotErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.command = init.command;
    const optional = { status: init.status, type: init.type, code: init.code, hint: init.hint };
    for (const [key, value] of Object.entries(optional)) {
      if (value !== undefined) Object.defineProperty(this, key, { value, enumerable: true });
    }
  }
}

export function isPenpotError(value: unknown): value is PenpotError {
  return value instanceof PenpotError;
}

// ---------------------------------------------------------------------------------------------------------------
// Secrets

/**
 * An Authorization value as a server may echo it: the scheme (as written in headers: `Token`, `token`, `TOKEN`, or
 * the same for Bearer), then a credential in token68 characters (RFC 7235) of at least 16 characters with a digit in
 * it. Ordinary prose ("the token is invalid", "Bearer authentication-required") has no such word after the scheme.
 */
const AUTH_VALUE_PATTERN = /\b(Token|token|TOKEN|Bearer|bearer|BEARER)(\s+)(?=[A-Za-z0-9._~+/-]*\d)[A-Za-z0-9._~+/-]{16,}=*(?![A-Za-z0-9._~+/=-])/g;

/** Removes the known `secret` and real `Token <value>` / `Bearer <value>` shapes from a text; other words stay. */
export function redactSecret(text: string, secret: string | undefined): string {
  let out = text;
  if (secret) out = out.split(secret).join('***');
  return out.replace(AUTH_VALUE_PATTERN, '$1$2***');
}

/**
 * A copy of a foreign error that keeps only name, code, message and stack, with the secret removed.
 * undici and Node errors can hang request options or headers off the error object; none of that is copied.
 */
export function sanitizeCause(error: unknown, secret: string | undefined, depth = 0): Error | undefined {
  if (depth > 4 || error === undefined || error === null) return undefined;
  if (!(error instanceof Error)) return new Error(redactSecret(String(error), secret));
  const nested = sanitizeCause((error as { cause?: unknown }).cause, secret, depth + 1);
  const copy = new Error(redactSecret(error.message, secret), nested ? { cause: nested } : undefined);
  copy.name = error.name;
  copy.stack = redactSecret(error.stack ?? `${error.name}: ${error.message}`, secret);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') (copy as Error & { code?: string }).code = code;
  return copy;
}

// ---------------------------------------------------------------------------------------------------------------
// Penpot error bodies (§2)

export interface PenpotErrorBody {
  type: string;
  code?: string;
  hint?: string;
  /** params-validation's multi-line human-readable explanation. */
  explain?: string;
  /** Remaining fields (webhookUri, quote, count, target, …) as sent. */
  fields: Record<string, unknown>;
}

function stringField(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Strips Transit's keyword marker so `~:validation` reads as `validation`. */
function fromTransitScalar(value: unknown): unknown {
  return typeof value === 'string' && value.startsWith('~:') ? value.slice(2) : value;
}

/**
 * Reads a Penpot error body. JSON is what we ask for; Transit (verbose `{"~:type":…}` or compact `["^ ",…]`)
 * is accepted too because some errors are raised outside the format middleware (§1.3 malformed-json).
 */
export function parsePenpotErrorBody(text: string): PenpotErrorBody | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  let record: Record<string, unknown> | undefined;
  if (Array.isArray(parsed) && parsed[0] === '^ ') {
    record = {};
    for (let i = 1; i + 1 < parsed.length; i += 2) {
      const key = fromTransitScalar(parsed[i]);
      if (typeof key === 'string') record[key] = fromTransitScalar(parsed[i + 1]);
    }
  } else if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    record = {};
    for (const [key, value] of Object.entries(parsed)) record[String(fromTransitScalar(key))] = fromTransitScalar(value);
  }
  if (!record) return undefined;
  const type = stringField(record.type);
  if (!type) return undefined;
  const { type: _type, code, hint, explain, ...fields } = record;
  return { type, code: stringField(code), hint: stringField(hint), explain: stringField(explain), fields };
}

// ---------------------------------------------------------------------------------------------------------------
// Messages

/** What a command works on, for "X not found" sentences. */
const SUBJECT_BY_COMMAND: Record<string, string> = {
  'get-webhooks': 'The team',
  'create-webhook': 'The team',
  'update-webhook': 'The webhook',
  'delete-webhook': 'The webhook',
  'delete-access-token': 'The access token',
};

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * params-validation's `explain` is "Errors:\n<malli pprint>\n\nValue:\n<params>" (§2). The value part can be long
 * and repeats what we sent, so only the errors part is kept, on one line.
 */
export function shortenExplain(explain: string, max = 240): string {
  const errorsPart = explain.split(/\n\s*Value:/)[0].replace(/^\s*Errors:\s*/, '');
  return shorten(errorsPart, max);
}

const BLOCKED_REQUEST_ADVICE =
  'Penpot refuses private, loopback and local network targets unless its operator lists the host in ' +
  'PENPOT_SSRF_ALLOWED_HOSTS; use a public tunnel URL instead.';

/** Penpot's own UI words for a 400 webhook-validation hint (§6.1 table, `translate-error-hint`). */
export function webhookHintMessage(hint: string | undefined): string {
  if (hint === 'invalid-uri') return 'URL does not pass validation.';
  if (hint === 'ssl-validation-error') return 'Error on SSL validation.';
  if (hint === 'timeout') return 'Timeout';
  if (hint === 'connection-error' || hint?.startsWith('blocked-request')) return 'Connection error, URL not reacheable';
  if (hint?.startsWith('unexpected-status')) return `Unexpected status ${hint.slice('unexpected-status:'.length)}`;
  return 'Unexpected error…';
}

function webhookValidationMessage(status: number, body: PenpotErrorBody): string {
  const hint = body.hint;
  if (status >= 500) {
    // Since 2.15 a HEAD answered with anything but 200/204, or answered too slowly, surfaces as a 500 (§3.6).
    return (
      'Penpot could not validate the webhook URL: it did not answer Penpot\'s HEAD request with 200 or 204 ' +
      'within 3 seconds. Make the URL answer HEAD quickly with 200 or 204.'
    );
  }
  const uiWords = webhookHintMessage(hint);
  const endsSentence = /[.…]$/.test(uiWords) ? '' : '.';
  const detail = hint ? ` (${hint})` : '';
  const advice = hint?.startsWith('blocked-request') ? ` ${BLOCKED_REQUEST_ADVICE}` : '';
  return `Penpot rejected the webhook URL${detail}: ${uiWords}${endsSentence}${advice}`;
}

export interface ResponseErrorContext {
  command: string;
  status: number;
  /** The server, for messages: origin plus path prefix, never credentials. */
  server: string;
  contentType: string;
  text: string;
  headers: Record<string, string | string[] | undefined>;
  /** Removed from anything of the answer that ends up in the error (a server may echo request headers). */
  secret?: string;
}

function header(headers: ResponseErrorContext['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function looksLikeHtml(contentType: string, body: string): boolean {
  return /text\/html|application\/xhtml/i.test(contentType) || /^\s*</.test(body);
}

function isCloudflare(headers: ResponseErrorContext['headers']): boolean {
  return (
    header(headers, 'cf-mitigated') !== undefined ||
    header(headers, 'cf-ray') !== undefined ||
    /cloudflare/i.test(header(headers, 'server') ?? '')
  );
}

/** An HTML page (proxy, captive portal, bot challenge) where Penpot's API should have answered. */
export function notPenpotHtmlError(ctx: ResponseErrorContext): PenpotError {
  const who = isCloudflare(ctx.headers)
    ? 'Cloudflare answered with a challenge page'
    : 'a proxy, firewall or login portal may be in the way';
  return new PenpotError({
    kind: 'not-penpot',
    status: ctx.status,
    command: ctx.command,
    message:
      `${ctx.server} answered with an HTML page (HTTP ${ctx.status}), not Penpot's API: ${who}. ` +
      'Check the Penpot URL and your network.',
  });
}

/** Turns a non-2xx answer into a PenpotError. */
export function errorFromResponse(ctx: ResponseErrorContext): PenpotError {
  const { command, status } = ctx;
  const body = parsePenpotErrorBody(redactSecret(ctx.text, ctx.secret));
  if (!body && looksLikeHtml(ctx.contentType, ctx.text)) return notPenpotHtmlError(ctx);
  const base = { command, status, type: body?.type, code: body?.code, hint: body?.hint && shorten(body.hint, 500) };

  if (status === 429 || body?.type === 'rate-limit' || body?.type === 'concurrency-limit') {
    return new PenpotError({
      ...base,
      kind: 'rate-limited',
      message: `Penpot is limiting the rate of requests (HTTP ${status}); wait a moment and try again.`,
    });
  }
  if (status === 401 || body?.type === 'authentication') {
    return new PenpotError({
      ...base,
      kind: 'unauthenticated',
      message:
        'Penpot rejected the access token: it is invalid, expired or deleted, or access tokens are disabled on ' +
        'this instance (a self-hosted Penpot needs the flag enable-access-tokens).',
    });
  }
  if (body?.code === 'webhook-validation') {
    return new PenpotError({ ...base, kind: 'validation', message: webhookValidationMessage(status, body) });
  }
  if (body?.code === 'webhooks-quote-reached') {
    return new PenpotError({
      ...base,
      kind: 'quota',
      message:
        `A team can have at most ${MAX_WEBHOOKS_PER_TEAM} webhooks, active or inactive; ` +
        'delete one before creating another.',
    });
  }
  if (body?.code === 'max-quote-reached') {
    const quote = stringField(body.fields.quote);
    return new PenpotError({
      ...base,
      kind: 'quota',
      message:
        `You have reached this Penpot instance's limit${quote ? ` of ${quote}` : ''} ` +
        `${body.fields.target === 'access-tokens-per-profile' || command.includes('token') ? 'access tokens' : 'objects'}; ` +
        'delete one first.',
    });
  }
  if (status === 403 || body?.type === 'authorization') {
    const why = body
      ? `(${body.code ?? body.type})`
      : '(an empty 403 usually means the instance requires an x-client header, or a proxy blocked the request)';
    return new PenpotError({ ...base, kind: 'forbidden', message: `Penpot refused ${command} ${why}.` });
  }
  if (status === 404 || body?.type === 'not-found') {
    // Penpot answers 404 both for a missing object and for one the caller may not see (§0.7).
    const subject = body?.code === 'team-does-not-exist' ? 'The team' : (SUBJECT_BY_COMMAND[command] ?? 'The object');
    return new PenpotError({
      ...base,
      kind: 'not-found',
      message: `${subject} was not found, or you don't have permission to access it.`,
    });
  }
  if (body && (body.code === 'params-validation' || body.explain)) {
    const explain = body.explain ? `: ${shortenExplain(body.explain)}` : '.';
    return new PenpotError({ ...base, kind: 'validation', message: `Penpot rejected the parameters of ${command}${explain}` });
  }
  if (status >= 500) {
    const what = body ? ` (${[body.code, base.hint && shorten(base.hint, 160)].filter(Boolean).join(': ')})` : '';
    return new PenpotError({
      ...base,
      kind: 'server-error',
      message: `Penpot failed with a server error (HTTP ${status}) on ${command}${what}. Try again later.`,
    });
  }
  if (body && (status === 400 || status === 409 || status === 413 || body.type === 'validation' || body.type === 'restriction')) {
    const what = [body.code, base.hint].filter(Boolean).join(': ');
    return new PenpotError({ ...base, kind: 'validation', message: `Penpot rejected ${command}${what ? ` (${what})` : ''}.` });
  }
  if (status >= 300 && status < 400) {
    const location = redactSecret(header(ctx.headers, 'location') ?? '', ctx.secret);
    return new PenpotError({
      ...base,
      kind: 'not-penpot',
      message:
        `${ctx.server} answered with a redirect (HTTP ${status}${location ? ` to ${shorten(location, 120)}` : ''}) ` +
        'instead of Penpot\'s API; use the final address (for example https://) as the Penpot URL.',
    });
  }
  return new PenpotError({
    ...base,
    kind: body ? 'validation' : 'protocol',
    message: `Penpot answered ${command} with an unexpected HTTP ${status}${body ? ` (${body.code ?? body.type})` : ''}.`,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Network errors

export interface NetworkErrorContext {
  command: string;
  server: string;
  host: string;
  timeouts: { connectMs: number; headersMs: number; bodyMs: number };
  viaProxy: boolean;
  secret: string | undefined;
}

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    const errors = (current as { errors?: unknown }).errors; // AggregateError from happy-eyeballs connects
    if (Array.isArray(errors)) for (const inner of errors) codes.push(...codesOf(inner));
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

const TLS_MESSAGES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain ends in a self-signed (untrusted) certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate is signed by an unknown authority',
  UNABLE_TO_GET_ISSUER_CERT: 'its TLS certificate is signed by an unknown authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its TLS certificate is signed by an unknown authority',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  CERT_NOT_YET_VALID: 'its TLS certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate does not match the host name',
  CERT_REVOKED: 'its TLS certificate was revoked',
};

const TLS_TRUST_ADVICE =
  ' If the server uses a private certificate authority, add it with the NODE_EXTRA_CA_CERTS environment variable.';

/** Turns a failure to talk to the server at all into a PenpotError. */
export function errorFromNetwork(error: unknown, ctx: NetworkErrorContext): PenpotError {
  if (error instanceof PenpotError) return error;
  const codes = codesOf(error);
  const has = (...wanted: string[]) => wanted.find((c) => codes.includes(c));
  const cause = sanitizeCause(error, ctx.secret);
  const make = (kind: PenpotErrorKind, message: string, code?: string) =>
    new PenpotError({ kind, message, command: ctx.command, code, cause });
  const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  const via = ctx.viaProxy ? ' (through the configured proxy)' : '';

  let code: string | undefined;
  if ((code = has('UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT'))) {
    return make('timeout', `Could not connect to ${ctx.server}${via} within ${seconds(ctx.timeouts.connectMs)}.`, code);
  }
  if ((code = has('UND_ERR_HEADERS_TIMEOUT'))) {
    return make('timeout', `${ctx.server} did not answer ${ctx.command} within ${seconds(ctx.timeouts.headersMs)}.`, code);
  }
  if ((code = has('UND_ERR_BODY_TIMEOUT'))) {
    return make('timeout', `${ctx.server} stopped sending its answer to ${ctx.command} for ${seconds(ctx.timeouts.bodyMs)}.`, code);
  }
  const tlsCode = codes.find((c) => c in TLS_MESSAGES);
  if (tlsCode) {
    const advice = tlsCode === 'CERT_HAS_EXPIRED' || tlsCode === 'CERT_NOT_YET_VALID' || tlsCode === 'ERR_TLS_CERT_ALTNAME_INVALID'
      ? '' : TLS_TRUST_ADVICE;
    return make('tls', `Could not open a secure connection to ${ctx.server}: ${TLS_MESSAGES[tlsCode]}.${advice}`, tlsCode);
  }
  if ((code = codes.find((c) => c.startsWith('ERR_SSL_') || c.startsWith('ERR_TLS_') || c === 'EPROTO'))) {
    return make('tls', `The TLS handshake with ${ctx.server} failed (${code}); is it really an https:// server?`, code);
  }
  if ((code = has('ECONNREFUSED'))) {
    return make('unreachable', `Connection refused by ${ctx.host}${via}; is the server running and is the URL right?`, code);
  }
  if ((code = has('ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME'))) {
    return make('unreachable', `Could not resolve the host name ${ctx.host}${via} (DNS ${code}); check the URL and your network.`, code);
  }
  if ((code = has('EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EADDRNOTAVAIL'))) {
    return make('unreachable', `${ctx.host} is unreachable from this machine (${code}).`, code);
  }
  if ((code = has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED', 'ECONNABORTED'))) {
    return make('unreachable', `The connection to ${ctx.server}${via} was closed unexpectedly (${code}).`, code);
  }
  if (ctx.viaProxy && error instanceof Error && /proxy/i.test(error.message)) {
    return make('unreachable', `The proxy refused to connect to ${ctx.server}: ${shorten(redactSecret(error.message, ctx.secret), 160)}`);
  }
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return make('protocol', `Talking to ${ctx.server} failed: ${shorten(redactSecret(text, ctx.secret), 200)}`, codes[0]);
}
