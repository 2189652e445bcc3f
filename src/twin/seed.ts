// Loads and checks a twin seed (a JSON document or object) and turns it into the twin's live state.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { TeamRole, WebhookMtype } from '../penpot/types';
import { UUID_PATTERN } from './params';
import type { SeedToken, TwinSeed, TwinState, TwinToken } from './types';
import demoSeedJson from './demo-seed.json';

const ROLES: readonly TeamRole[] = ['owner', 'admin', 'editor', 'viewer'];
const MTYPES: readonly WebhookMtype[] = ['application/json', 'application/transit+json'];
const DAY_MS = 86_400_000;
const SEED_KEYS = ['profiles', 'teams', 'memberships', 'webhooks', 'tokens', 'ssrfAllowedHosts', 'demoToken', 'accessTokensDisabled'];

/**
 * A new access-token value in the shape of Penpot's: a JWE compact serialization, five base64url parts
 * (A256KW / A256GCM, §3.10). Opaque: the twin looks tokens up by value.
 */
export function generateTokenValue(): string {
  const header = Buffer.from(JSON.stringify({ alg: 'A256KW', enc: 'A256GCM' })).toString('base64url');
  const parts = [40, 12, 96, 16].map((n) => randomBytes(n).toString('base64url'));
  return [header, ...parts].join('.');
}

/** The seed bundled with the twin (imported statically so the bundled CLI carries it). */
export function demoSeed(): TwinSeed {
  return checkSeed(structuredClone(demoSeedJson), 'demo-seed.json');
}

/** A seed object, or the path of a JSON seed file, checked. */
export async function loadSeed(seed: TwinSeed | string | undefined): Promise<TwinSeed> {
  if (seed === undefined) return demoSeed();
  if (typeof seed !== 'string') return checkSeed(structuredClone(seed), 'the seed object');
  let text: string;
  try {
    text = await readFile(seed, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the twin seed file ${seed}: ${(error as Error).message}`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`The twin seed file ${seed} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return checkSeed(value, seed);
}

/** Checks the shape and the cross-references of a seed; the error names the first bad field. */
export function checkSeed(value: unknown, source: string): TwinSeed {
  const fail = (message: string): never => {
    throw new Error(`Invalid twin seed (${source}): ${message}`);
  };
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value)) return fail('the seed must be a JSON object');
  // A misspelt key would otherwise be ignored silently; "$…" keys are free for comments.
  const unknown = Object.keys(value).find((k) => !SEED_KEYS.includes(k) && !k.startsWith('$'));
  if (unknown !== undefined) fail(`unknown key "${unknown}" (expected ${SEED_KEYS.join(', ')})`);
  const list = (key: string, required: boolean): Record<string, unknown>[] => {
    const v = value[key];
    if (v === undefined && !required) return [];
    if (!Array.isArray(v)) return fail(`"${key}" must be a list`);
    v.forEach((item, i) => { if (!isObject(item)) fail(`${key}[${i}] must be an object`); });
    return v as Record<string, unknown>[];
  };
  const str = (item: Record<string, unknown>, where: string, key: string): string => {
    const v = item[key];
    if (typeof v !== 'string' || v === '') return fail(`${where}.${key} must be a non-empty string`);
    return v;
  };
  const id = (item: Record<string, unknown>, where: string, key = 'id'): string => {
    const v = str(item, where, key);
    if (!UUID_PATTERN.test(v)) fail(`${where}.${key} is not a UUID: "${v}"`);
    return v.toLowerCase();
  };
  const unique = (ids: string[], what: string): Set<string> => {
    const set = new Set(ids);
    if (set.size !== ids.length) fail(`two ${what} share an id`);
    return set;
  };

  const teams = list('teams', true);
  const teamIds = unique(teams.map((t, i) => id(t, `teams[${i}]`)), 'teams');
  teams.forEach((t, i) => {
    str(t, `teams[${i}]`, 'name');
    if (t.features !== undefined && !(Array.isArray(t.features) && t.features.every((f) => typeof f === 'string'))) {
      fail(`teams[${i}].features must be a list of strings`);
    }
  });
  const profiles = list('profiles', true);
  const profileIds = unique(profiles.map((p, i) => id(p, `profiles[${i}]`)), 'profiles');
  profiles.forEach((p, i) => {
    str(p, `profiles[${i}]`, 'fullname');
    str(p, `profiles[${i}]`, 'email');
    if (p.defaultTeamId !== undefined && !teamIds.has(id(p, `profiles[${i}]`, 'defaultTeamId'))) {
      fail(`profiles[${i}].defaultTeamId names no team`);
    }
  });
  const memberships = list('memberships', true);
  memberships.forEach((m, i) => {
    if (!teamIds.has(id(m, `memberships[${i}]`, 'teamId'))) fail(`memberships[${i}].teamId names no team`);
    if (!profileIds.has(id(m, `memberships[${i}]`, 'profileId'))) fail(`memberships[${i}].profileId names no profile`);
    if (!ROLES.includes(m.role as TeamRole)) fail(`memberships[${i}].role must be one of ${ROLES.join(', ')}`);
  });
  const webhooks = list('webhooks', false);
  webhooks.forEach((w, i) => {
    const where = `webhooks[${i}]`;
    if (w.id !== undefined) id(w, where);
    if (!teamIds.has(id(w, where, 'teamId'))) fail(`${where}.teamId names no team`);
    str(w, where, 'uri');
    if (!MTYPES.includes(w.mtype as WebhookMtype)) fail(`${where}.mtype must be one of ${MTYPES.join(', ')}`);
    if (w.isActive !== null && typeof w.isActive !== 'boolean') fail(`${where}.isActive must be true, false or null`);
    if (w.profileId !== null && !profileIds.has(id(w, where, 'profileId'))) fail(`${where}.profileId names no profile`);
    if (w.errorCode !== undefined && w.errorCode !== null && typeof w.errorCode !== 'string') fail(`${where}.errorCode must be a string or null`);
    if (w.errorCount !== undefined && !(Number.isInteger(w.errorCount) && (w.errorCount as number) >= 0)) {
      fail(`${where}.errorCount must be a whole number`);
    }
  });
  const tokens = list('tokens', false);
  tokens.forEach((t, i) => {
    const where = `tokens[${i}]`;
    if (t.id !== undefined) id(t, where);
    if (!profileIds.has(id(t, where, 'profileId'))) fail(`${where}.profileId names no profile`);
    str(t, where, 'name');
    if (t.value !== undefined) str(t, where, 'value');
    if (t.type !== undefined && t.type !== null && typeof t.type !== 'string') fail(`${where}.type must be a string or null`);
    if (t.expiresAt !== undefined && t.expiresAt !== null && !(typeof t.expiresAt === 'string' && Number.isFinite(Date.parse(t.expiresAt)))) {
      fail(`${where}.expiresAt must be an ISO date or null`);
    }
    if (t.expiresInDays !== undefined && typeof t.expiresInDays !== 'number') fail(`${where}.expiresInDays must be a number`);
  });
  const hosts = value.ssrfAllowedHosts;
  if (hosts !== undefined && !(Array.isArray(hosts) && hosts.every((h) => typeof h === 'string'))) {
    fail('"ssrfAllowedHosts" must be a list of host names');
  }
  if (value.demoToken !== undefined && typeof value.demoToken !== 'string') fail('"demoToken" must be a string');
  if (value.accessTokensDisabled !== undefined && typeof value.accessTokensDisabled !== 'boolean') {
    fail('"accessTokensDisabled" must be true or false');
  }
  return value as unknown as TwinSeed;
}

/** The live state for a checked seed, with relative expiries resolved against `now`. */
export function createState(seed: TwinSeed, now: Date): { state: TwinState; demoToken: string } {
  const lower = (s: string): string => s.toLowerCase();
  const tokens: TwinToken[] = (seed.tokens ?? []).map((t) => ({
    id: lower(t.id ?? randomUUID()),
    profileId: lower(t.profileId),
    name: t.name,
    value: t.value ?? generateTokenValue(),
    type: t.type ?? null,
    expiresAt: expiryOf(t, now),
    createdAt: now,
    updatedAt: now,
  }));
  const state: TwinState = {
    startedAt: now,
    profiles: seed.profiles.map((p) => ({
      id: lower(p.id), fullname: p.fullname, email: p.email, defaultTeamId: p.defaultTeamId ? lower(p.defaultTeamId) : null, createdAt: now,
    })),
    teams: seed.teams.map((t) => ({ id: lower(t.id), name: t.name, features: t.features ?? [], createdAt: now })),
    memberships: seed.memberships.map((m) => ({ teamId: lower(m.teamId), profileId: lower(m.profileId), role: m.role })),
    webhooks: (seed.webhooks ?? []).map((w) => ({
      id: lower(w.id ?? randomUUID()),
      teamId: lower(w.teamId),
      uri: w.uri,
      mtype: w.mtype,
      isActive: w.isActive,
      errorCode: w.errorCode ?? null,
      errorCount: w.errorCount ?? 0,
      profileId: w.profileId === null ? null : lower(w.profileId),
      createdAt: now,
      updatedAt: now,
    })),
    tokens,
    ssrfAllowedHosts: seed.ssrfAllowedHosts ?? [],
    accessTokensDisabled: seed.accessTokensDisabled ?? false,
  };
  const wanted = seed.demoToken;
  const demo = wanted === undefined ? tokens[0] : tokens.find((t) => t.id === lower(wanted) || t.value === wanted);
  if (wanted !== undefined && !demo) throw new Error('Invalid twin seed: "demoToken" names no token of the seed');
  return { state, demoToken: demo?.value ?? '' };
}

function expiryOf(token: SeedToken, now: Date): Date | null {
  if (token.expiresInDays !== undefined) return new Date(now.getTime() + token.expiresInDays * DAY_MS);
  return token.expiresAt ? new Date(token.expiresAt) : null;
}
