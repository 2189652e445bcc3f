// Shared by the twin tests: plain undici calls to a running twin, and a small seed to build on.
import { randomUUID } from 'node:crypto';
import type { TestContext } from 'node:test';
import { request } from 'undici';
import { generateTokenValue, startTwin } from '../../../src/twin';
import type { RunningTwin, TwinOptions, TwinSeed } from '../../../src/twin/types';

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

export interface CallOptions {
  /** Sent as JSON; default {} for POST. */
  body?: unknown;
  /** Sent as is, instead of `body`. */
  rawBody?: string;
  contentType?: string | null;
  /** Default: the twin's demo token; null sends no Authorization header. */
  token?: string | null;
  /** Default application/json; null sends no Accept header. */
  accept?: string | null;
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  /** Query string without "?". */
  query?: string;
  headers?: Record<string, string>;
  path?: 'current' | 'legacy';
}

export async function call(twin: RunningTwin, name: string, options: CallOptions = {}): Promise<Answer> {
  const method = options.method ?? 'POST';
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? twin.demoToken : options.token;
  if (token !== null) headers.authorization = `Token ${token}`;
  const accept = options.accept === undefined ? 'application/json' : options.accept;
  if (accept !== null) headers.accept = accept;
  let body: string | undefined;
  if (method === 'POST' || options.rawBody !== undefined) {
    body = options.rawBody ?? JSON.stringify(options.body ?? {});
    const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
    if (contentType !== null) headers['content-type'] = contentType;
  }
  const prefix = options.path === 'legacy' ? '/api/rpc/command/' : '/api/main/methods/';
  const url = `${twin.url}${prefix}${name}${options.query ? `?${options.query}` : ''}`;
  const res = await request(url, { method, headers, body });
  return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), text: await res.body.text() };
}

/** Parses a JSON answer, with the answer in the failure message. */
export function json<T = any>(answer: Answer): T {
  try {
    return JSON.parse(answer.text) as T;
  } catch {
    throw new Error(`not JSON (${answer.status} ${answer.contentType}): ${answer.text.slice(0, 300)}`);
  }
}

/** A twin closed when the test ends. */
export async function twinFor(t: TestContext, options: TwinOptions = {}): Promise<RunningTwin> {
  const twin = await startTwin({ port: 0, ...options });
  t.after(() => twin.close());
  return twin;
}

export function teamIdByName(twin: RunningTwin, name: string): string {
  const team = twin.state.teams.find((t) => t.name === name);
  if (!team) throw new Error(`no team named ${name}`);
  return team.id;
}

export function profileIdByName(twin: RunningTwin, fullname: string): string {
  const profile = twin.state.profiles.find((p) => p.fullname === fullname);
  if (!profile) throw new Error(`no profile named ${fullname}`);
  return profile.id;
}

/** One owner with a token (the demo token), one team, no webhooks; loopback allow-listed unless overridden. */
export function smallSeed(extra: Partial<TwinSeed> = {}): TwinSeed {
  const ids = { owner: randomUUID(), team: randomUUID(), token: randomUUID() };
  return {
    profiles: [{ id: ids.owner, fullname: 'Test Owner', email: 'owner@example.com', defaultTeamId: ids.team }],
    teams: [{ id: ids.team, name: 'Test Team' }],
    memberships: [{ teamId: ids.team, profileId: ids.owner, role: 'owner' }],
    tokens: [{ id: ids.token, profileId: ids.owner, name: 'test', value: generateTokenValue() }],
    ssrfAllowedHosts: ['127.0.0.1'],
    demoToken: ids.token,
    ...extra,
  };
}
