// The `penpot.receiver.*` settings and the URLs built from them. Pure (no `vscode`) except `readReceiverSettings`.
import {
  DEFAULT_MAX_BODY_BYTES, DEFAULT_RECEIVER_HOST, DEFAULT_RECEIVER_PORT, DEFAULT_RESPONSE_STATUS, DEFAULT_STORE_CAPACITY,
} from '../../receiver';
import { isLoopbackHost } from '../../penpot/transport';
import { parseHttpUrl } from '../../common/httpUrl';

export const RECEIVER_SECTION = 'penpot.receiver';

/** Values of `penpot.receiver.autoStart`: when the receiver starts by itself as the extension activates. */
export const AUTO_START_MODES = ['whenPreviouslyRunning', 'never', 'always'] as const;
export type ReceiverAutoStart = (typeof AUTO_START_MODES)[number];

export interface ReceiverSettings {
  host: string;
  port: number;
  responseStatus: number;
  maxEvents: number;
  maxBodyBytes: number;
  /** Base URL through which Penpot reaches the receiver (a tunnel, a forwarded port, host.docker.internal…). */
  publicUrl?: string;
  forwardUrl?: string;
  autoStart: ReceiverAutoStart;
}

export const DEFAULT_RECEIVER_SETTINGS: ReceiverSettings = {
  host: DEFAULT_RECEIVER_HOST,
  port: DEFAULT_RECEIVER_PORT,
  responseStatus: DEFAULT_RESPONSE_STATUS,
  maxEvents: DEFAULT_STORE_CAPACITY,
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  autoStart: 'whenPreviouslyRunning',
};

/** Settings a running receiver cannot take over without a restart. */
export const RESTART_SETTINGS = ['host', 'port', 'maxEvents', 'maxBodyBytes'] as const;

/** Reads raw setting values (as a `get(key)` function), falling back to the defaults for unusable ones. */
export function parseReceiverSettings(get: (key: string) => unknown): ReceiverSettings {
  const int = (key: keyof ReceiverSettings, min: number, max: number): number => {
    const value = get(key);
    const fallback = DEFAULT_RECEIVER_SETTINGS[key] as number;
    return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : fallback;
  };
  const text = (key: string): string | undefined => {
    const value = get(key);
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  return {
    host: text('host') ?? DEFAULT_RECEIVER_HOST,
    port: int('port', 0, 65535),
    responseStatus: int('responseStatus', 200, 599),
    maxEvents: int('maxEvents', 1, 100_000),
    maxBodyBytes: int('maxBodyBytes', 1, 1024 * 1024 * 1024),
    publicUrl: text('publicUrl'),
    forwardUrl: text('forwardUrl'),
    autoStart: AUTO_START_MODES.find((mode) => mode === get('autoStart')) ?? DEFAULT_RECEIVER_SETTINGS.autoStart,
  };
}

/**
 * Whether the receiver starts as the extension activates: always, never, or when it was still running in this
 * window's workspace when the window last closed or reloaded (a registered Penpot webhook is then still pointing
 * at it, and Penpot disables a webhook after a few failed deliveries, §4.1).
 */
export function shouldAutoStart(mode: ReceiverAutoStart, wasRunningHere: boolean): boolean {
  return mode === 'always' || (mode === 'whenPreviouslyRunning' && wasRunningHere);
}

/** Why a text is not a usable http(s) base URL, or undefined when it is. */
export function checkHttpUrl(text: string): string | undefined {
  const parsed = parseHttpUrl(text);
  if (parsed.ok) return undefined;
  switch (parsed.problem) {
    case 'not-a-url': return 'Enter a full URL, e.g. https://example.ngrok.app';
    case 'not-http': return 'The URL must start with http:// or https://';
    case 'no-host': return 'The URL needs a host name';
  }
}

/**
 * The URL Penpot should call: the receiver's own `/hooks/<secret>` path under `publicUrl` when one is set (a tunnel
 * forwards it unchanged), otherwise the local URL.
 */
export function webhookUrlFor(localUrl: string, publicUrl?: string): string {
  if (!publicUrl) return localUrl;
  const local = new URL(localUrl);
  const base = new URL(publicUrl);
  base.pathname = base.pathname.replace(/\/+$/, '') + local.pathname;
  base.search = '';
  base.hash = '';
  return base.toString();
}

/** True when Penpot's SSRF guard would refuse the URL's host unless allow-listed (§3.6): loopback or private. */
export function isPrivateTarget(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isLoopbackHost(host) || host === '0.0.0.0' || host === '::') return true;
  if (/^10\./.test(host) || /^192\.168\./.test(host) || /^169\.254\./.test(host)) return true;
  const m = /^172\.(\d+)\./.exec(host);
  if (m && Number(m[1]) >= 16 && Number(m[1]) <= 31) return true;
  return /^f[cd][0-9a-f]{2}:/.test(host) || /^fe80:/.test(host);
}

/** "127.0.0.1:8787": where the receiver listens, without the secret path. */
export function hostAndPort(url: string): string {
  return new URL(url).host;
}
