// The RPC commands the twin implements, over its in-memory state, with Penpot's rules and quirks (§3). Each
// returns the result tree (encoded by the server in the negotiated format) or throws an RpcError.
import { randomUUID } from 'node:crypto';
import { ANONYMOUS_PROFILE_ID, MAX_WEBHOOKS_PER_TEAM, type TeamRole, type WebhookMtype } from '../penpot/types';
import { instant, kw, setOf, tagged, uuid } from '../transit/nodes';
import type { TransitMapObject, TransitNode } from '../transit/types';
import { authenticationRequired, objectNotFound, rowNotFound, rpcError } from './errors';
import { exchange } from './outbound';
import { Params } from './params';
import { PROJECT_COMMANDS } from './projects';
import { generateTokenValue } from './seed';
import type { DeliveryResult, EmitOptions, TwinProfile, TwinState, TwinTeam, TwinToken, TwinWebhook } from './types';

export interface CommandContext {
  state: TwinState;
  /** The authenticated profile, or null. */
  profileId: string | null;
  params: TransitMapObject;
  now: Date;
  /** HEAD timeout of the webhook URL check. */
  validationMs: number;
  /** Aborted when the twin closes. */
  signal: AbortSignal;
  /** Delivers a webhook event (the project commands' events, src/twin/projects.ts). */
  emit?: (name: string, options: EmitOptions) => Promise<DeliveryResult[]>;
}

export interface CommandResult {
  /** null answers 204 (§1.4). */
  body: TransitNode | null;
  /**
   * The result as the params schema's JSON encoder leaves it (§1.4): create/update-webhook return `uri` as a
   * string in JSON but as a URI record in Transit (§1.6).
   */
  json?: TransitNode;
}

interface Command {
  /** `::rpc/auth false` commands run without a profile (§1.7). */
  auth: boolean;
  run(ctx: CommandContext, profileId: string): CommandResult | Promise<CommandResult>;
}

const MTYPES: readonly WebhookMtype[] = ['application/json', 'application/transit+json'];

/**
 * The HEAD check sets no User-Agent, so the JDK default goes out; Penpot's current image ships Zulu JDK 26.0.1
 * (docker/images/Dockerfile.backend:26-30, conformance finding 17).
 */
export const JDK_USER_AGENT = 'Java-http-client/26.0.1';

// --- Rows as Penpot returns them -----------------------------------------------------------------------------

const uuidOrNull = (id: string | null): TransitNode | undefined => (id === null ? undefined : uuid(id));
const instantOrNull = (at: Date | null): TransitNode | undefined => (at === null ? undefined : instant(at));

/**
 * A row as next.jdbc's `as-unqualified-modified-maps` builds it: NULL columns are left out, not written as null
 * (db/sql.clj:12-20, conformance finding 5). `undefined` marks them here; key order is kept.
 */
function row(columns: Record<string, TransitNode | undefined>): TransitMapObject {
  const out: TransitMapObject = {};
  for (const [key, value] of Object.entries(columns)) if (value !== undefined && value !== null) out[key] = value;
  return out;
}

function profileRow(p: TwinProfile): TransitMapObject {
  // lang, theme and photo-id are NULL for the twin's profiles, so absent
  return row({
    id: uuid(p.id), fullname: p.fullname, email: p.email,
    'is-active': true, 'is-admin': false, 'is-blocked': false, 'is-demo': false, 'is-muted': false,
    'auth-backend': 'penpot', 'default-team-id': uuidOrNull(p.defaultTeamId), 'default-project-id': null,
    'created-at': instant(p.createdAt), 'modified-at': instant(p.createdAt), props: {},
  });
}

/** §3.2: effective flags from the membership role. */
function permissionsOf(role: TeamRole): { isOwner: boolean; isAdmin: boolean; canEdit: boolean } {
  return { isOwner: role === 'owner', isAdmin: role === 'owner' || role === 'admin', canEdit: role !== 'viewer' };
}

function teamRow(team: TwinTeam, role: TeamRole, profile: TwinProfile | undefined): TransitMapObject {
  const p = permissionsOf(role);
  // deleted-at and photo-id are NULL for live teams without a picture, so absent
  return row({
    id: uuid(team.id), name: team.name, 'created-at': instant(team.createdAt), 'modified-at': instant(team.createdAt),
    features: setOf(team.features), 'is-default': profile?.defaultTeamId === team.id,
    permissions: { type: kw('membership'), 'is-owner': p.isOwner, 'is-admin': p.isAdmin, 'can-edit': p.canEdit },
  });
}

/** The URI as `decode-row` keeps it: a lambdaisland record, written `~#uri` in Transit and as an object in JSON (§1.6). */
const uriRecordNode = (uri: string): TransitNode => tagged('uri', uri);

/** get-webhooks' columns (§3.4). */
function webhookListRow(w: TwinWebhook): TransitMapObject {
  return row({
    id: uuid(w.id), uri: uriRecordNode(w.uri), mtype: w.mtype, 'is-active': w.isActive, 'error-code': w.errorCode,
    'error-count': w.errorCount, 'profile-id': uuidOrNull(w.profileId),
  });
}

/** create/update-webhook's full row (§3.5); `json` has `uri` as the schema encodes it, a string. */
function webhookFullRow(w: TwinWebhook): CommandResult {
  // secret-key is always NULL (there is no signing, §4.1)
  const full = row({
    id: uuid(w.id), 'team-id': uuid(w.teamId), 'created-at': instant(w.createdAt), 'updated-at': instant(w.updatedAt),
    uri: uriRecordNode(w.uri), mtype: w.mtype, 'error-code': w.errorCode, 'error-count': w.errorCount,
    'is-active': w.isActive, 'profile-id': uuidOrNull(w.profileId),
  });
  return { body: full, json: { ...full, uri: w.uri } };
}

function tokenRow(t: TwinToken): TransitMapObject {
  // personal tokens have no type, never-expiring ones no expires-at (the live 2.17.0 capture shows both)
  return row({
    id: uuid(t.id), name: t.name, type: t.type ?? undefined, 'created-at': instant(t.createdAt), 'updated-at': instant(t.updatedAt),
    'expires-at': instantOrNull(t.expiresAt),
  });
}

/** Removes in place, so a test holding `twin.state.tokens` sees the change. */
function removeWhere<T>(list: T[], predicate: (item: T) => boolean): void {
  for (let i = list.length - 1; i >= 0; i--) if (predicate(list[i])) list.splice(i, 1);
}

// --- Lookups and permission checks -----------------------------------------------------------------------------

function roleIn(state: TwinState, teamId: string, profileId: string): TeamRole | undefined {
  return state.memberships.find((m) => m.teamId === teamId && m.profileId === profileId)?.role;
}

/** `check-read-permissions!`: any member; everyone else gets 404 object-not-found (§3.4). */
function requireMember(state: TwinState, teamId: string, profileId: string): TeamRole {
  const role = roleIn(state, teamId, profileId);
  if (role === undefined) throw objectNotFound();
  return role;
}

/** `db/get` on the webhook table (§3.7). */
function findWebhook(state: TwinState, id: string): TwinWebhook {
  const webhook = state.webhooks.find((w) => w.id === id);
  if (!webhook) throw rowNotFound('webhook', { id: uuid(id) });
  return webhook;
}

/** Edit rule since 2.4: the team's can-edit, or the caller created the webhook (§3.7, §3.8). */
function requireWebhookEditor(state: TwinState, webhook: TwinWebhook, profileId: string): void {
  const role = roleIn(state, webhook.teamId, profileId);
  const canEdit = role !== undefined && permissionsOf(role).canEdit;
  if (!canEdit && webhook.profileId !== profileId) throw objectNotFound();
}

/**
 * `validate-webhook!` (§3.6): the SSRF guard, then HEAD with a timeout and no redirects. 200/204 pass; a recognised
 * failure is a 400 with Penpot's hint; any other status or an uninterpreted failure is a 500, as since 2.15.
 */
async function validateWebhookUri(ctx: CommandContext, uri: string): Promise<void> {
  const outcome = await exchange({
    uri, method: 'HEAD', headers: { 'user-agent': JDK_USER_AGENT }, timeoutMs: ctx.validationMs,
    allowedHosts: ctx.state.ssrfAllowedHosts, extraBlockedCidrs: ctx.state.ssrfExtraBlockedCidrs, signal: ctx.signal,
  });
  if (outcome.kind === 'answered' && (outcome.status === 200 || outcome.status === 204)) return;
  const extra = { 'webhook-uri': uri };
  if (outcome.kind === 'failed' && outcome.code !== null) throw rpcError('validation', 'webhook-validation', outcome.code, extra);
  // The `unexpected-status:N` raise is caught by the same try and re-raised as internal (§3.6).
  throw rpcError('server-error', 'webhook-validation', 'internal', extra);
}

// --- Commands --------------------------------------------------------------------------------------------------

export const COMMANDS: Record<string, Command> = {
  'get-profile': {
    auth: false,
    run({ state, profileId }) {
      const profile = state.profiles.find((p) => p.id === profileId);
      // Never 401: a missing or bad token gets the anonymous profile (§0.3, §3.1).
      return { body: profile ? profileRow(profile) : { id: uuid(ANONYMOUS_PROFILE_ID), fullname: 'Anonymous User' } };
    },
  },

  'get-teams': {
    auth: true,
    run({ state }, profileId) {
      const profile = state.profiles.find((p) => p.id === profileId);
      const rows = state.memberships
        .filter((m) => m.profileId === profileId)
        .flatMap((m) => {
          const team = state.teams.find((t) => t.id === m.teamId);
          return team ? [teamRow(team, m.role, profile)] : [];
        });
      return { body: rows };
    },
  },

  'get-team': {
    auth: true,
    run({ state, params }, profileId) {
      const p = new Params(params);
      const id = p.optionalUuid('id');
      p.optionalUuid('file-id'); // the twin has no files: a file id finds no team
      p.check();
      const team = id === undefined ? undefined : state.teams.find((t) => t.id === id);
      const role = team ? roleIn(state, team.id, profileId) : undefined;
      if (!team || role === undefined) throw rpcError('not-found', 'team-does-not-exist', 'team does not exist');
      return { body: teamRow(team, role, state.profiles.find((pr) => pr.id === profileId)) };
    },
  },

  'get-webhooks': {
    auth: true,
    run({ state, params }, profileId) {
      const p = new Params(params);
      const teamId = p.uuid('team-id');
      p.check();
      requireMember(state, teamId, profileId);
      const rows = state.webhooks
        .filter((w) => w.teamId === teamId)
        // ORDER BY uri; code-unit order stands in for the database collation
        .sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0))
        .map(webhookListRow);
      return { body: rows };
    },
  },

  'create-webhook': {
    auth: true,
    async run(ctx, profileId) {
      const { state, params, now } = ctx;
      const p = new Params(params);
      const teamId = p.uuid('team-id');
      const uri = p.uri('uri');
      const mtype = p.oneOf('mtype', MTYPES);
      // Not in Penpot's schema but read by the insert: absent means NULL, a webhook that never fires (§0.5, §3.5).
      const isActive = p.optionalBoolean('is-active') ?? null;
      p.check();
      // Penpot's check passes for anyone, members or not (§3.5: viewers may create). The twin refuses non-members
      // with 404 so that a client offering a team it does not belong to is caught in tests.
      requireMember(state, teamId, profileId);
      if (state.webhooks.filter((w) => w.teamId === teamId).length >= MAX_WEBHOOKS_PER_TEAM) {
        throw rpcError('restriction', 'webhooks-quote-reached', `can't create more than ${MAX_WEBHOOKS_PER_TEAM} webhooks per team`);
      }
      await validateWebhookUri(ctx, uri);
      const webhook: TwinWebhook = {
        id: randomUUID(), teamId, uri, mtype, isActive, errorCode: null, errorCount: 0, profileId, createdAt: now, updatedAt: now,
      };
      state.webhooks.push(webhook);
      return webhookFullRow(webhook);
    },
  },

  'update-webhook': {
    auth: true,
    async run(ctx, profileId) {
      const p = new Params(ctx.params);
      const id = p.uuid('id');
      const uri = p.uri('uri');
      const mtype = p.oneOf('mtype', MTYPES);
      const isActive = p.boolean('is-active'); // all four are required: no partial update (§3.7)
      p.check();
      const webhook = findWebhook(ctx.state, id);
      requireWebhookEditor(ctx.state, webhook, profileId);
      if (uri !== webhook.uri) await validateWebhookUri(ctx, uri); // an unchanged URI is not called (§3.6)
      // updated-at is not touched; the error state is reset, which is how a disabled webhook comes back (§3.7)
      Object.assign(webhook, { uri, mtype, isActive, errorCode: null, errorCount: 0 });
      return webhookFullRow(webhook);
    },
  },

  'delete-webhook': {
    auth: true,
    run({ state, params }, profileId) {
      const p = new Params(params);
      const id = p.uuid('id');
      p.check();
      const webhook = findWebhook(state, id);
      requireWebhookEditor(state, webhook, profileId);
      removeWhere(state.webhooks, (w) => w === webhook);
      return { body: null };
    },
  },

  'get-access-tokens': {
    auth: true,
    run({ state }, profileId) {
      const never = Number.POSITIVE_INFINITY; // NULL sorts last in PostgreSQL's ASC order
      const rows = state.tokens
        .filter((t) => t.profileId === profileId)
        .sort((a, b) => (a.expiresAt?.getTime() ?? never) - (b.expiresAt?.getTime() ?? never)
          || a.createdAt.getTime() - b.createdAt.getTime())
        // the value is only listed for MCP tokens (since 2.17, §3.11); expired tokens are listed too
        .map((t) => (t.type === 'mcp' ? { ...tokenRow(t), token: t.value } : tokenRow(t)));
      return { body: rows };
    },
  },

  'create-access-token': {
    auth: true,
    run({ state, params, now }, profileId) {
      const p = new Params(params);
      const name = p.string('name', { min: 1, max: 250 });
      const type = p.optionalString('type') ?? null;
      const expirationMs = p.optionalDurationMs('expiration'); // client-sent `perms` are ignored (§3.10)
      p.check();
      if (type === 'mcp') {
        // a new MCP key replaces the profile's others (§3.10)
        removeWhere(state.tokens, (t) => t.profileId === profileId && t.type === 'mcp');
      }
      const token: TwinToken = {
        id: randomUUID(), profileId, name, value: generateTokenValue(), type,
        expiresAt: expirationMs === undefined ? null : new Date(now.getTime() + expirationMs),
        createdAt: now, updatedAt: now,
      };
      state.tokens.push(token);
      return {
        body: row({
          id: uuid(token.id), 'profile-id': uuid(profileId), 'created-at': instant(now), 'updated-at': instant(now),
          name, token: token.value, 'expires-at': instantOrNull(token.expiresAt), type: type ?? undefined,
        }),
      };
    },
  },

  'delete-access-token': {
    auth: true,
    run({ state, params }, profileId) {
      const p = new Params(params);
      const id = p.uuid('id');
      p.check();
      // DELETE … WHERE id = ? AND profile_id = ?: an unknown or foreign id is a silent no-op (§3.12)
      removeWhere(state.tokens, (t) => t.id === id && t.profileId === profileId);
      return { body: null };
    },
  },

  ...PROJECT_COMMANDS,
};

/** Runs a command for the (possibly absent) profile; commands needing auth answer 401 without one (§1.7). */
export async function runCommand(command: Command, ctx: CommandContext): Promise<CommandResult> {
  if (!command.auth) return command.run(ctx, ctx.profileId ?? '');
  if (ctx.profileId === null) throw authenticationRequired();
  return command.run(ctx, ctx.profileId);
}

