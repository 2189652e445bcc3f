// The undici dispatcher a client talks through: a keep-alive Agent, or a ProxyAgent when a proxy applies.
import { Agent, ProxyAgent, type Dispatcher } from 'undici';

export interface Timeouts {
  connectMs: number;
  headersMs: number;
  /** Longest pause between two pieces of an answer's body. */
  bodyMs: number;
  /**
   * Overall deadline of one RPC call, retries and waits included: a server that trickles its answer (a byte now and
   * then, never idle for `bodyMs`) would otherwise keep the CLI or a tree refresh waiting forever.
   */
  callMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000, callMs: 60_000 };

/**
 * Largest RPC answer read (bytes of body). The biggest answer this project asks for (a team list, webhooks, tokens)
 * is a few hundred KiB even for large organisations; a bigger one is not Penpot, and reading it would only grow memory.
 */
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return LOOPBACK_HOSTS.has(host) || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}

/** NO_PROXY semantics as curl reads them: `*`, host names matching themselves and their subdomains, optional port. */
export function matchesNoProxy(target: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = target.port || defaultPort(target.protocol);
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const match = /^(?:\*?\.)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
    if (!match) continue;
    const entryHost = match[1].replace(/^\[|\]$/g, '');
    if (match[2] && match[2] !== port) continue;
    if (host === entryHost || host.endsWith(`.${entryHost}`)) return true;
  }
  return false;
}

/**
 * The proxy to use for `target`, if any: `explicit` (e.g. VS Code's http.proxy), else HTTPS_PROXY / HTTP_PROXY by
 * scheme. Loopback targets and NO_PROXY matches never go through a proxy.
 */
export function resolveProxy(target: URL, explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (isLoopbackHost(target.hostname)) return undefined;
  if (matchesNoProxy(target, env.NO_PROXY ?? env.no_proxy)) return undefined;
  if (explicit) return explicit;
  const fromEnv = target.protocol === 'https:'
    ? env.HTTPS_PROXY ?? env.https_proxy
    : env.HTTP_PROXY ?? env.http_proxy;
  return fromEnv || undefined;
}

export function createDispatcher(proxyUrl: string | undefined, timeouts: Timeouts): Dispatcher {
  const options = {
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
  };
  if (!proxyUrl) return new Agent(options);
  // ProxyAgent replaces `connect` with its tunnel; the connect timeout goes to both of its connectors instead.
  const connectTimeout = { timeout: timeouts.connectMs };
  return new ProxyAgent({ ...options, uri: proxyUrl, proxyTls: connectTimeout, requestTls: connectTimeout });
}
