// The twin's outbound HTTP, shaped like Penpot's `app.http.client/req`: the SSRF guard first (§3.6), then one
// request with a deadline that does not follow redirects, and failures classified like `interpret-exception`
// (§3.6, §4.1 step 5). Used by the webhook URL check (HEAD) and by deliveries (POST).
import { lookup } from 'node:dns/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { BlockList, isIP } from 'node:net';

/** Either the target answered (any status), or it failed with Penpot's error code for the failure. */
export type Exchange =
  | { kind: 'answered'; status: number }
  /** `code` is null where Penpot's `interpret-exception` returns nil (e.g. no answer in time after connecting). */
  | { kind: 'failed'; code: string | null; reason: string };

export interface ExchangeRequest {
  uri: string;
  method: 'HEAD' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Penpot's request timeout: it bounds connecting and the answer's headers. */
  timeoutMs: number;
  /** Hosts exempt from the SSRF guard (exact, case-insensitive, §3.6). */
  allowedHosts: readonly string[];
  /** PENPOT_SSRF_EXTRA_BLOCKED_CIDRS, already checked by parseExtraCidrs. */
  extraBlockedCidrs?: readonly string[];
  signal?: AbortSignal;
}

/**
 * Addresses the guard refuses (`backend/src/app/util/ssrf.clj`, as listed in §3.6). IPv4 "any local" is only
 * 0.0.0.0 itself (`isAnyLocalAddress`, ssrf.clj:129, conformance finding 16), not 0.0.0.0/8.
 */
const BLOCKED = new BlockList();
BLOCKED.addAddress('0.0.0.0', 'ipv4');
for (const [net, prefix] of [
  ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) BLOCKED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['fe80::', 10], ['fec0::', 10], ['fc00::', 7], ['ff00::', 8],
] as const) BLOCKED.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address inside an IPv4-mapped IPv6 one (the JVM treats those as IPv4). */
function mappedIpv4(address: string): string | undefined {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return undefined;
  const [hi, lo] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/**
 * Checks PENPOT_SSRF_EXTRA_BLOCKED_CIDRS entries ("a.b.c.d/n"); IPv4 only, as Penpot reads them (ssrf.clj:104-105,
 * 144-149). Throws on anything else, naming the entry.
 */
export function parseExtraCidrs(cidrs: readonly string[]): string[] {
  return cidrs.map((text) => {
    const match = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(text.trim());
    if (!match || isIP(match[1]) !== 4 || Number(match[2]) > 32) {
      throw new Error(`"${text}" is not an IPv4 CIDR like 203.0.113.0/24 (Penpot's extra blocked ranges are IPv4 only).`);
    }
    return `${match[1]}/${match[2]}`;
  });
}

export function isBlockedAddress(address: string, extraCidrs: readonly string[] = []): boolean {
  const v4 = isIP(address) === 6 ? mappedIpv4(address) : address;
  if (v4 === undefined) return BLOCKED.check(address, 'ipv6');
  if (BLOCKED.check(v4, 'ipv4')) return true;
  if (extraCidrs.length === 0) return false;
  const extra = new BlockList();
  for (const cidr of extraCidrs) {
    const [net, prefix] = cidr.split('/');
    extra.addSubnet(net, Number(prefix), 'ipv4');
  }
  return extra.check(v4, 'ipv4');
}

/** Characters `java.net.URI` refuses anywhere in a URI (RFC 2396 "unwise" and controls), which WHATWG URL accepts. */
const JAVA_URI_ILLEGAL = /[\s"<>\\^`{|}\u0000-\u001f\u007f]|%(?![0-9a-f]{2})/i;

/** A host `java.net.URI` parses as server-based; anything else (e.g. with "_") leaves `getHost()` null. */
const JAVA_HOSTNAME = /^(?:\[[0-9a-f:.]+\]|(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z](?:[a-z0-9-]*[a-z0-9])?\.?|\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * The SSRF guard (since Penpot 2.15): the URL when the target may be contacted, otherwise the error code
 * `blocked-request:<hint>`, or null for text `java.net.URI` cannot parse: `validate-uri` then throws the checked
 * URISyntaxException, which `interpret-exception` does not recognise (conformance finding 15), so creating the
 * webhook fails with a 500 and a delivery takes the success branch. `invalid-uri` is practically unreachable.
 */
export async function checkTarget(
  uri: string, allowedHosts: readonly string[], timeoutMs: number, extraCidrs: readonly string[] = [],
): Promise<{ url: URL } | { code: string | null; reason: string }> {
  if (JAVA_URI_ILLEGAL.test(uri)) return { code: null, reason: 'java.net.URISyntaxException: illegal character in the URI' };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return { code: 'blocked-request:url scheme is not allowed', reason: 'not http(s)' };
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return { code: null, reason: 'java.net.URISyntaxException: the URI cannot be parsed' };
  }
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(uri)?.[1] ?? '';
  const rawHost = authority.replace(/^[^@]*@/, '').replace(/:\d*$/, '');
  if (url.hostname === '' || !JAVA_HOSTNAME.test(rawHost)) return { code: 'blocked-request:url host is missing', reason: 'Java finds no host in it' };
  const host = url.hostname.toLowerCase();
  if (allowedHosts.some((h) => h.toLowerCase() === host)) return { url };
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  let addresses: string[];
  if (isIP(bare)) {
    addresses = [bare];
  } else {
    try {
      const found = await withDeadline(lookup(bare, { all: true }), timeoutMs);
      addresses = found.map((a) => a.address);
    } catch {
      return { code: 'blocked-request:uri host could not be resolved', reason: 'DNS lookup failed' };
    }
  }
  if (addresses.length === 0 || addresses.some((a) => isBlockedAddress(a, extraCidrs))) {
    return { code: 'blocked-request:uri target is not allowed', reason: 'a private or reserved address' };
  }
  return { url };
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('deadline')), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * What Penpot's JDK client adds to a plain-http request: it asks to upgrade to HTTP/2 (derived, §4.1 step 4).
 * Receivers must treat these as an ordinary request.
 */
const H2C_UPGRADE_HEADERS = {
  connection: 'Upgrade, HTTP2-Settings',
  upgrade: 'h2c',
  'http2-settings': 'AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA',
};

/** One request through the SSRF guard. Never throws. */
export async function exchange(req: ExchangeRequest): Promise<Exchange> {
  if (req.signal?.aborted) return { kind: 'failed', code: null, reason: 'the twin is shutting down' };
  const target = await checkTarget(req.uri, req.allowedHosts, req.timeoutMs, req.extraBlockedCidrs);
  if ('code' in target) {
    return { kind: 'failed', code: target.code, reason: target.code === null ? target.reason : `refused by the SSRF guard (${target.code})` };
  }
  return send(target.url, req);
}

function send(url: URL, req: ExchangeRequest): Promise<Exchange> {
  return new Promise((resolve) => {
    const secure = url.protocol === 'https:';
    const body = req.body === undefined ? undefined : Buffer.from(req.body);
    const headers: Record<string, string> = {
      ...(secure ? {} : H2C_UPGRADE_HEADERS),
      ...req.headers,
      ...(body ? { 'content-length': String(body.length) } : {}),
    };
    // Phases tell a connect timeout ("timeout") from a slow answer (nil) and a TLS failure from a refusal.
    let connected = false;
    let secured = false;
    let settled = false;
    const finish = (result: Exchange): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const request = (secure ? https : http).request(url, { method: req.method, headers, agent: false });
    const timer = setTimeout(() => {
      finish(connected
        ? { kind: 'failed', code: null, reason: `no answer within ${req.timeoutMs} ms` }
        : { kind: 'failed', code: 'timeout', reason: `not connected within ${req.timeoutMs} ms` });
      request.destroy();
    }, req.timeoutMs);
    const onAbort = (): void => {
      finish({ kind: 'failed', code: null, reason: 'the twin is shutting down' });
      request.destroy();
    };
    req.signal?.addEventListener('abort', onAbort, { once: true });
    request.on('socket', (socket) => {
      socket.once('connect', () => { connected = true; });
      socket.once('secureConnect', () => { secured = true; });
    });
    request.on('response', (response) => {
      response.resume(); // the body is not read, only the status matters
      finish({ kind: 'answered', status: response.statusCode ?? 0 });
      response.on('end', () => request.destroy());
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      finish({ kind: 'failed', code: interpretError(error, { secure, connected, secured }), reason: error.message });
    });
    request.end(body);
  });
}

/** Penpot's `interpret-exception` (§4.1 step 5) for the errors Node reports. */
function interpretError(error: NodeJS.ErrnoException, phase: { secure: boolean; connected: boolean; secured: boolean }): string | null {
  const code = error.code ?? '';
  if (phase.secure && phase.connected && !phase.secured) return 'ssl-validation-error'; // SSLHandshakeException
  if (/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED)/.test(code)) return 'ssl-validation-error';
  if (!phase.connected && ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) {
    return 'connection-error'; // ConnectException
  }
  if (code === 'ERR_INVALID_URL' || code === 'ERR_INVALID_ARG_TYPE') return 'invalid-uri'; // IllegalArgumentException
  return null; // IOException and the like: not interpreted
}
