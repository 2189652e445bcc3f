// Turns Penpot's JSON answers into the types of ./types.ts: fills defaults for missing optional fields, coerces
// numbers and booleans, rebuilds webhook URIs sent as records (§1.6). Throws ShapeError on an answer that is not
// the expected shape at all; the client reports that as a 'protocol' PenpotError.
import type { AccessToken, CreatedAccessToken, Profile, Team, TeamPermissions, Webhook, WebhookMtype } from './types';

export class ShapeError extends Error {
  override readonly name = 'ShapeError';
}

type Json = Record<string, unknown>;

function asObject(value: unknown, what: string): Json {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Json;
  throw new ShapeError(`expected ${what} to be an object`);
}

export function asArray(value: unknown, what: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw new ShapeError(`expected ${what} to be a list`);
}

function requiredString(record: Json, key: string, what: string): string {
  const value = record[key];
  if (typeof value === 'string' && value !== '') return value;
  throw new ShapeError(`${what} has no ${key}`);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The keys of T whose field takes a string. */
type StringKeys<T> = { [K in keyof T]-?: string extends T[K] ? K & string : never }[keyof T];

/** Copies each of `keys` from `record` to `target` when it is a string; absent or other values leave it unset. */
function copyOptionalStrings<T extends object>(target: T, record: Json, ...keys: StringKeys<T>[]): void {
  for (const key of keys) {
    const value = optionalString(record[key]);
    if (value !== undefined) (target as Json)[key] = value;
  }
}

function nullableString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** JSON booleans, plus the strings "true"/"false" that query-decoded values can become. NULL counts as false. */
function toBoolean(value: unknown): boolean {
  return value === true || value === 'true';
}

function toCount(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? Math.trunc(n) : 0;
}

export function toProfile(value: unknown): Profile {
  const record = asObject(value, 'the profile');
  const profile: Profile = {
    id: requiredString(record, 'id', 'the profile'),
    fullname: optionalString(record.fullname) ?? '',
  };
  copyOptionalStrings(profile, record, 'email', 'defaultTeamId');
  if (record.isActive !== undefined && record.isActive !== null) profile.isActive = toBoolean(record.isActive);
  return profile;
}

function toPermissions(value: unknown): TeamPermissions {
  const record = value && typeof value === 'object' ? (value as Json) : {};
  const permissions: TeamPermissions = {
    isOwner: toBoolean(record.isOwner),
    isAdmin: toBoolean(record.isAdmin),
    canEdit: toBoolean(record.canEdit),
  };
  copyOptionalStrings(permissions, record, 'type');
  return permissions;
}

export function toTeam(value: unknown): Team {
  const record = asObject(value, 'a team');
  const team: Team = {
    id: requiredString(record, 'id', 'a team'),
    name: optionalString(record.name) ?? '',
    isDefault: toBoolean(record.isDefault),
    permissions: toPermissions(record.permissions),
  };
  if (Array.isArray(record.features)) team.features = record.features.filter((f): f is string => typeof f === 'string');
  copyOptionalStrings(team, record, 'createdAt', 'modifiedAt');
  return team;
}

/**
 * Rebuilds the text of a lambdaisland URI record `{scheme,user,password,host,port,path,query,fragment}` the way
 * its toString does (§1.6): JSON get-webhooks sends the record, create/update send the string.
 */
export function uriToString(value: unknown): string {
  if (typeof value === 'string') return value;
  const record = asObject(value, 'the webhook uri');
  const part = (key: string): string => {
    const v = record[key];
    return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
  };
  let text = part('scheme') ? `${part('scheme')}:` : '';
  if (part('host')) {
    const credentials = part('user') ? `${part('user')}${part('password') ? `:${part('password')}` : ''}@` : '';
    text += `//${credentials}${part('host')}${part('port') ? `:${part('port')}` : ''}`;
  }
  text += part('path');
  if (part('query')) text += `?${part('query')}`;
  if (part('fragment')) text += `#${part('fragment')}`;
  if (!text) throw new ShapeError('the webhook uri record is empty');
  return text;
}

export function toWebhook(value: unknown, teamId?: string): Webhook {
  const record = asObject(value, 'a webhook');
  const webhook: Webhook = {
    id: requiredString(record, 'id', 'a webhook'),
    uri: uriToString(record.uri),
    // Kept as sent: Penpot's delivery code knows a third type the API cannot set (§3.3); rewriting it would
    // silently change the webhook on the next update.
    mtype: (optionalString(record.mtype) ?? 'application/json') as WebhookMtype,
    isActive: toBoolean(record.isActive),
    errorCode: nullableString(record.errorCode),
    errorCount: toCount(record.errorCount),
    profileId: nullableString(record.profileId),
  };
  const team = teamId ?? optionalString(record.teamId);
  if (team !== undefined) webhook.teamId = team;
  return webhook;
}

export function toAccessToken(value: unknown): AccessToken {
  const record = asObject(value, 'an access token');
  const token: AccessToken = {
    id: requiredString(record, 'id', 'an access token'),
    name: optionalString(record.name) ?? '',
    type: nullableString(record.type),
    expiresAt: nullableString(record.expiresAt),
  };
  copyOptionalStrings(token, record, 'createdAt', 'updatedAt');
  return token;
}

export function toCreatedAccessToken(value: unknown): CreatedAccessToken {
  const record = asObject(value, 'the created access token');
  return { ...toAccessToken(record), token: requiredString(record, 'token', 'the created access token') };
}
