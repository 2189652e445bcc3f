// Webhooks as code: export a team's webhooks to the file's form, plan the changes that make Penpot match a file,
// and apply them. Shared by the CLI (`webhooks export|plan|apply`) and the extension; works on PenpotApi only.
import type { PenpotApi } from '../penpot/api';
import { isPenpotError } from '../penpot/errors';
import {
  MAX_WEBHOOKS_PER_TEAM, MTYPE_BY_FORMAT, canModifyWebhook, type Team, type Webhook, type WebhookFormat,
} from '../penpot/types';
import {
  DEFAULT_ACTIVE, DEFAULT_FORMAT, compareText, formatProblem, type FileTeam, type LoadedWebhooksFile, type WebhooksDocument,
} from './webhooksFile';
import { errorMessage } from '../common/errors';
import { itOrThem } from '../common/words';

export interface TeamRef {
  id: string;
  name: string;
}

export interface WebhookSettings {
  format: WebhookFormat;
  active: boolean;
}

export type ChangeAction = 'create' | 'update' | 'delete';

export interface WebhookChange {
  action: ChangeAction;
  team: TeamRef;
  uri: string;
  /** update: the changing fields as they are now; delete: the webhook as it is. */
  from?: Partial<WebhookSettings>;
  /** create: the new webhook; update: the changing fields as they will be. */
  to?: Partial<WebhookSettings>;
  /** The Penpot id of the webhook updated or deleted. */
  webhookId?: string;
  /** update: all of the webhook's settings now (update-webhook needs every field, §3.7). */
  current?: WebhookSettings;
}

export interface WebhooksPlan {
  file: string;
  server?: string;
  prune: boolean;
  changes: WebhookChange[];
  /** Webhooks in a listed team that the file does not list: kept, or deleted with prune (then they are changes). */
  unlisted: { team: TeamRef; uri: string; webhookId: string }[];
  /** Why the plan cannot be applied (unknown team, quota, permission); empty when it can. */
  problems: string[];
  /** Remarks that do not block, e.g. a team whose name in the file differs from Penpot's. */
  notes: string[];
}

const FORMAT_BY_MTYPE = new Map<string, WebhookFormat>(
  (Object.entries(MTYPE_BY_FORMAT) as [WebhookFormat, string][]).map(([format, mtype]) => [mtype, format]),
);

export function formatOfMtype(mtype: string): WebhookFormat {
  return FORMAT_BY_MTYPE.get(mtype) ?? DEFAULT_FORMAT;
}

function settingsOf(webhook: Webhook): WebhookSettings {
  return { format: formatOfMtype(webhook.mtype), active: webhook.isActive };
}

/** A team's webhooks ordered by uri then id, the order exports and matching use. */
function sortedWebhooks(webhooks: Webhook[]): Webhook[] {
  return [...webhooks].sort((a, b) => compareText(a.uri, b.uri) || compareText(a.id, b.id));
}

function sortedTeams(teams: Team[]): Team[] {
  return [...teams].sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id));
}

/** The team a file entry (or `--team`) means: by id when given, else by its exact name, which must be unique. */
export function resolveTeam(teams: Team[], wanted: { id?: string; team?: string }): Team | string {
  if (wanted.id !== undefined) {
    const byId = teams.find((team) => team.id.toLowerCase() === wanted.id!.toLowerCase());
    if (byId) return byId;
    return `no team with id ${wanted.id}${wanted.team !== undefined ? ` ("${wanted.team}")` : ''} among your teams`;
  }
  const name = wanted.team ?? '';
  const matching = teams.filter((team) => team.name === name);
  if (matching.length === 1) return matching[0];
  if (matching.length > 1) {
    return `the name "${name}" matches ${matching.length} of your teams (ids ${matching.map((t) => t.id).join(', ')}); add the "id" of the one you mean`;
  }
  const known = sortedTeams(teams).map((t) => `"${t.name}"`).join(', ');
  return `no team named "${name}" among your teams${known ? ` (${known})` : ''}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Export

export interface ExportResult {
  document: WebhooksDocument;
  notes: string[];
}

/** The current webhooks of all visible teams, or of the one `team` (id or name), in the file's stable form. */
export async function exportWebhooks(api: PenpotApi, options: { team?: string } = {}): Promise<ExportResult> {
  const teams = await api.getTeams();
  let chosen: Team[];
  if (options.team !== undefined) {
    const looksLikeId = /^[0-9a-fA-F-]{36}$/.test(options.team);
    const found = resolveTeam(teams, looksLikeId ? { id: options.team } : { team: options.team });
    if (typeof found === 'string') throw new TeamNotFoundError(found);
    chosen = [found];
  } else chosen = sortedTeams(teams);
  const notes: string[] = [];
  const document: WebhooksDocument = { teams: [] };
  for (const team of chosen) {
    const seen = new Set<string>();
    const webhooks = [];
    for (const hook of sortedWebhooks(await api.getWebhooks(team.id))) {
      if (seen.has(hook.uri)) {
        notes.push(`${team.name} has more than one webhook for ${hook.uri}; the file identifies webhooks by uri, so only one is written (a plan with --prune would delete the others).`);
        continue;
      }
      seen.add(hook.uri);
      webhooks.push({ uri: hook.uri, ...settingsOf(hook) });
    }
    document.teams.push({ team: team.name, id: team.id, webhooks });
  }
  return { document, notes };
}

export class TeamNotFoundError extends Error {
  override readonly name = 'TeamNotFoundError';
}

// ---------------------------------------------------------------------------------------------------------------
// Plan

export interface PlanOptions {
  prune?: boolean;
  server?: string;
}

/** What would make Penpot match the file. Reads only; collects every problem instead of stopping at the first. */
export async function planWebhooks(api: PenpotApi, loaded: LoadedWebhooksFile, options: PlanOptions = {}): Promise<WebhooksPlan> {
  const prune = options.prune === true;
  const plan: WebhooksPlan = {
    file: loaded.file, ...(options.server ? { server: options.server } : {}), prune, changes: [], unlisted: [], problems: [], notes: [],
  };
  const problemAt = (pointer: string, message: string) =>
    plan.problems.push(formatProblem(loaded.file, { pointer, place: loaded.placeOf(pointer), message }));
  const [teams, profile] = await Promise.all([api.getTeams(), api.getProfile()]);

  const claimed = new Map<string, number>();
  const resolved: { entry: FileTeam; team: Team; index: number }[] = [];
  loaded.document.teams.forEach((entry, index) => {
    const found = resolveTeam(teams, entry);
    if (typeof found === 'string') {
      problemAt(`/teams/${index}`, found);
      return;
    }
    const earlier = claimed.get(found.id);
    if (earlier !== undefined) {
      problemAt(`/teams/${index}`, `team "${found.name}" is already listed at /teams/${earlier}; list each team once`);
      return;
    }
    claimed.set(found.id, index);
    if (entry.id !== undefined && entry.team !== undefined && entry.team !== found.name) {
      plan.notes.push(`/teams/${index}: the team ${found.id} is named "${found.name}" in Penpot, "${entry.team}" in the file (the id wins).`);
    }
    resolved.push({ entry, team: found, index });
  });

  for (const { entry, team, index } of resolved) {
    const ref: TeamRef = { id: team.id, name: team.name };
    let current: Webhook[];
    try {
      current = sortedWebhooks(await api.getWebhooks(team.id));
    } catch (error) {
      if (isPenpotError(error) && error.kind === 'not-found') {
        problemAt(`/teams/${index}`, `Penpot does not let you read the webhooks of "${team.name}"`);
        continue;
      }
      throw error;
    }
    const unmatched = [...current];
    const teamChanges: WebhookChange[] = [];
    const mayChange = (hook: Webhook, pointer: string) => {
      if (canModifyWebhook(team, hook, profile.id)) return true;
      problemAt(pointer, `you may not change ${hook.uri} in "${team.name}": it was created by someone else and you are a viewer there (Penpot allows its editors and the webhook's creator)`);
      return false;
    };
    entry.webhooks.forEach((wanted, w) => {
      const pointer = `/teams/${index}/webhooks/${w}`;
      const to: WebhookSettings = { format: wanted.format ?? DEFAULT_FORMAT, active: wanted.active ?? DEFAULT_ACTIVE };
      const at = unmatched.findIndex((hook) => hook.uri === wanted.uri);
      if (at < 0) {
        teamChanges.push({ action: 'create', team: ref, uri: wanted.uri, to });
        return;
      }
      const [hook] = unmatched.splice(at, 1);
      const now = settingsOf(hook);
      const from: Partial<WebhookSettings> = {};
      const changed: Partial<WebhookSettings> = {};
      if (now.format !== to.format) {
        from.format = now.format;
        changed.format = to.format;
      }
      if (now.active !== to.active) {
        from.active = now.active;
        changed.active = to.active;
      }
      if (Object.keys(changed).length > 0 && mayChange(hook, pointer)) {
        teamChanges.push({ action: 'update', team: ref, uri: hook.uri, from, to: changed, webhookId: hook.id, current: now });
      }
    });
    for (const hook of unmatched) {
      plan.unlisted.push({ team: ref, uri: hook.uri, webhookId: hook.id });
      if (prune && mayChange(hook, `/teams/${index}`)) {
        teamChanges.push({ action: 'delete', team: ref, uri: hook.uri, from: settingsOf(hook), webhookId: hook.id });
      }
    }
    const creates = teamChanges.filter((c) => c.action === 'create').length;
    const deletes = teamChanges.filter((c) => c.action === 'delete').length;
    const after = current.length - deletes + creates;
    if (after > MAX_WEBHOOKS_PER_TEAM) {
      const kept = current.length - deletes;
      problemAt(`/teams/${index}/webhooks`,
        `"${team.name}" would have ${after} webhooks (${kept} kept + ${creates} new); Penpot allows at most ${MAX_WEBHOOKS_PER_TEAM} per team` +
        (prune ? '' : ' (--prune would delete the ones the file does not list)'));
    }
    plan.changes.push(...orderChanges(teamChanges));
  }
  plan.changes = orderChanges(plan.changes);
  return plan;
}

const ACTION_ORDER: Record<ChangeAction, number> = { delete: 0, update: 1, create: 2 };

/** Deletes, then updates, then creates (so a full team can swap a webhook), each by team name and uri. */
function orderChanges(changes: WebhookChange[]): WebhookChange[] {
  return [...changes].sort((a, b) =>
    ACTION_ORDER[a.action] - ACTION_ORDER[b.action] || compareText(a.team.name, b.team.name) ||
    compareText(a.team.id, b.team.id) || compareText(a.uri, b.uri));
}

export function countChanges(plan: WebhooksPlan): Record<ChangeAction, number> {
  const counts: Record<ChangeAction, number> = { create: 0, update: 0, delete: 0 };
  for (const change of plan.changes) counts[change.action]++;
  return counts;
}

/** The plan in the `--json` form: `{changes:[{action,team,uri,from?,to?}], ...}`. */
export function planToJson(plan: WebhooksPlan): object {
  return {
    file: plan.file,
    ...(plan.server ? { server: plan.server } : {}),
    prune: plan.prune,
    inSync: plan.changes.length === 0 && plan.problems.length === 0,
    summary: countChanges(plan),
    changes: plan.changes.map(({ action, team, uri, from, to }) => ({
      action, team, uri, ...(from ? { from } : {}), ...(to ? { to } : {}),
    })),
    unlisted: plan.prune ? [] : plan.unlisted.map(({ team, uri }) => ({ team, uri })),
    problems: plan.problems,
    notes: plan.notes,
  };
}

function describeSettings(settings: Partial<WebhookSettings>): string {
  return Object.entries(settings).map(([key, value]) => `${key} ${String(value)}`).join(', ');
}

function describeChange(change: WebhookChange): string {
  if (change.action === 'update') {
    const fields = Object.keys(change.to ?? {}) as (keyof WebhookSettings)[];
    return fields.map((field) => `${field}: ${String(change.from?.[field])} → ${String(change.to?.[field])}`).join(', ');
  }
  return describeSettings((change.action === 'create' ? change.to : change.from) ?? {});
}

/** A one-line summary such as "2 to create, 1 to update, 0 to delete". */
export function summarizePlan(plan: WebhooksPlan): string {
  const counts = countChanges(plan);
  return `${counts.create} to create, ${counts.update} to update, ${counts.delete} to delete`;
}

const MARK: Record<ChangeAction, string> = { create: '+', update: '~', delete: '-' };

/** One line per change, e.g. "~ update Design System  https://… (active: false → true)". */
export function describeChangeLine(change: WebhookChange): string {
  return `${MARK[change.action]} ${change.action} ${change.team.name}: ${change.uri} (${describeChange(change)})`;
}

/**
 * The plan as text, for the terminal and the extension's plan document (shown with the `diff` language, so the
 * + and - lines are coloured). Grouped by team; problems first, since they block the apply.
 */
export function formatPlanText(plan: WebhooksPlan): string {
  const lines: string[] = [];
  if (plan.problems.length > 0) {
    lines.push(`! ${plan.problems.length === 1 ? 'A problem blocks' : `${plan.problems.length} problems block`} this plan; nothing can be applied until ${plan.problems.length === 1 ? 'it is' : 'they are'} fixed:`);
    for (const problem of plan.problems) lines.push(`!   ${problem}`);
    lines.push('');
  }
  if (plan.changes.length === 0) {
    lines.push(plan.problems.length === 0 ? `No changes: Penpot matches ${plan.file}.` : 'No other changes.');
  } else {
    lines.push(`Changes to make Penpot match ${plan.file}: ${summarizePlan(plan)}.`);
    // Grouped under each team's name (with its id when two teams of the plan share the name), so the lines stay short.
    const teams = [...new Map(plan.changes.map((c) => [c.team.id, c.team])).values()]
      .sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id));
    for (const team of teams) {
      const shared = teams.some((other) => other.id !== team.id && other.name === team.name);
      lines.push('', `${team.name}${shared ? ` (${team.id})` : ''}:`);
      for (const change of plan.changes.filter((c) => c.team.id === team.id)) {
        lines.push(`${MARK[change.action]} ${change.action} ${change.uri} (${describeChange(change)})`);
      }
    }
  }
  const kept = plan.prune ? [] : plan.unlisted;
  if (kept.length > 0) {
    lines.push('', `Not in the file, kept (--prune deletes ${itOrThem(kept.length)}):`);
    for (const hook of kept) lines.push(`  ${hook.team.name}: ${hook.uri}`);
  }
  for (const note of plan.notes) lines.push('', `Note: ${note}`);
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// Apply

export interface ChangeOutcome {
  change: WebhookChange;
  ok: boolean;
  /** Why Penpot refused it. */
  error?: string;
}

export interface ApplyResult {
  outcomes: ChangeOutcome[];
  applied: number;
  failed: number;
}

export class PlanBlockedError extends Error {
  override readonly name = 'PlanBlockedError';
  constructor(readonly plan: WebhooksPlan) {
    super(`Nothing was changed: ${plan.problems.join('\n')}`);
  }
}

/**
 * Applies a plan in its order (deletes, updates, creates). Refuses a plan with problems before any call. A refused
 * change does not stop the others: each outcome is reported, so the caller can say what was applied and what not.
 */
export async function applyWebhooksPlan(
  api: PenpotApi, plan: WebhooksPlan, onProgress?: (done: number, total: number, change: WebhookChange) => void,
): Promise<ApplyResult> {
  if (plan.problems.length > 0) throw new PlanBlockedError(plan);
  const outcomes: ChangeOutcome[] = [];
  for (const change of plan.changes) {
    onProgress?.(outcomes.length, plan.changes.length, change);
    try {
      if (change.action === 'delete') await api.deleteWebhook(change.webhookId!);
      else if (change.action === 'create') {
        const to = change.to as WebhookSettings;
        await api.createWebhook({ teamId: change.team.id, uri: change.uri, mtype: MTYPE_BY_FORMAT[to.format], isActive: to.active });
      } else {
        // update-webhook takes all four fields (§3.7); the uri is unchanged, so Penpot makes no HEAD check (§3.6).
        const settings = { ...change.current, ...change.to } as WebhookSettings;
        await api.updateWebhook({ id: change.webhookId!, uri: change.uri, mtype: MTYPE_BY_FORMAT[settings.format], isActive: settings.active });
      }
      outcomes.push({ change, ok: true });
    } catch (error) {
      outcomes.push({ change, ok: false, error: errorMessage(error) });
    }
  }
  const applied = outcomes.filter((o) => o.ok).length;
  return { outcomes, applied, failed: outcomes.length - applied };
}
