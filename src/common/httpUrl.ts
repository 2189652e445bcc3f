// The one check of "is this an http(s) URL with a host", shared by the CLI options, the extension's inputs and the
// webhooks file. Each caller words the problem for its own place; the rule itself lives only here.

export type HttpUrlProblem = 'not-a-url' | 'not-http' | 'no-host';

export type ParsedHttpUrl = { ok: true; url: URL } | { ok: false; problem: HttpUrlProblem };

/** Parses `text` (trimmed) as an absolute http:// or https:// URL that names a host. */
export function parseHttpUrl(text: string): ParsedHttpUrl {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, problem: 'not-a-url' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, problem: 'not-http' };
  if (!url.hostname) return { ok: false, problem: 'no-host' };
  return { ok: true, url };
}

export function isHttpUrl(text: string): boolean {
  return parseHttpUrl(text).ok;
}

/** "design.penpot.app" or "hooks.example.com/penpot": host (with port) and path, the part that tells URLs apart. */
export function hostAndPath(url: string | URL): string {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  return `${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
}
