// How long to wait before retrying after a 429 (§1.9).
//
// Penpot's rlimit middleware writes both headers as query strings, one entry per configured limit:
//   x-rate-limit-remaining: default=0&burst=12
//   x-rate-limit-reset:     default=1784894921&burst=1784894860     (epoch seconds of each limit's reset)
// Proxies and other servers use a bare number instead; it is read as epoch milliseconds or seconds when it is that
// large, else as a delay (values under 1000 as seconds, larger ones as milliseconds). Retry-After (seconds) is a
// fallback. The result is clamped to [0, capMs].

export const DEFAULT_RATE_LIMIT_WAIT_MS = 1000;

type Headers = Record<string, string | string[] | undefined>;

function first(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `name=value&…` or a bare value, as a map; a bare value gets the name "". */
function entries(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const trimmed = text.trim();
  if (!trimmed.includes('=')) {
    const n = Number(trimmed);
    if (trimmed !== '' && Number.isFinite(n)) out.set('', n);
    return out;
  }
  for (const [name, value] of new URLSearchParams(trimmed)) {
    const n = Number(value);
    if (value.trim() !== '' && Number.isFinite(n)) out.set(name, n);
  }
  return out;
}

function resetToDelayMs(value: number, nowMs: number): number {
  if (value >= 1e12) return value - nowMs;
  if (value >= 1e9) return value * 1000 - nowMs;
  return value < 1000 ? value * 1000 : value;
}

export function rateLimitWaitMs(headers: Headers, nowMs: number, capMs: number): number {
  const clamp = (ms: number) => Math.min(Math.max(Math.ceil(ms), 0), capMs);
  const resets = entries(first(headers, 'x-rate-limit-reset') ?? '');
  if (resets.size > 0) {
    const remaining = entries(first(headers, 'x-rate-limit-remaining') ?? '');
    // The exhausted limits decide; without that information every limit listed counts.
    const exhausted = [...resets.keys()].filter((name) => (remaining.get(name) ?? 1) <= 0);
    const names = exhausted.length > 0 ? exhausted : [...resets.keys()];
    return clamp(Math.max(...names.map((name) => resetToDelayMs(resets.get(name)!, nowMs))));
  }
  const retryAfter = first(headers, 'retry-after')?.trim();
  if (retryAfter && Number.isFinite(Number(retryAfter))) return clamp(Number(retryAfter) * 1000);
  return clamp(DEFAULT_RATE_LIMIT_WAIT_MS);
}
