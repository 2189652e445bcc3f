// The webhooks file (`penpot-webhooks.json`): its types, loading with checks that name the file and the place, and
// writing in a stable form. The rules are those of schemas/penpot-webhooks.schema.json (the tests hold both to the
// same verdicts with ajv); checks that JSON Schema cannot express (one uri once per team, URL syntax) come on top.
// No runtime dependency: the checks are written out here.
import { readFile } from 'node:fs/promises';
import { MAX_WEBHOOKS_PER_TEAM, type WebhookFormat } from '../penpot/types';
import { JsonSyntaxError, parseJsonWithPlaces, pointerToken, type Place } from './jsonWithPlaces';
import { parseHttpUrl } from '../common/httpUrl';

export const DEFAULT_WEBHOOKS_FILE = 'penpot-webhooks.json';

/** File names the extension's JSON schema and code lens apply to. */
export function isWebhooksFileName(fileName: string): boolean {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  return base === DEFAULT_WEBHOOKS_FILE || base.endsWith(`.${DEFAULT_WEBHOOKS_FILE}`);
}

export interface FileWebhook {
  uri: string;
  /** Default "json". */
  format?: WebhookFormat;
  /** Default true. */
  active?: boolean;
}

export interface FileTeam {
  team?: string;
  id?: string;
  webhooks: FileWebhook[];
}

export interface WebhooksDocument {
  $schema?: string;
  teams: FileTeam[];
}

export const DEFAULT_FORMAT: WebhookFormat = 'json';
export const DEFAULT_ACTIVE = true;

export interface FileProblem {
  /** JSON Pointer of the offending value ("" for the whole document). */
  pointer: string;
  place?: Place;
  message: string;
}

/** A file that cannot be used; `message` lists every problem as `file:line:column: pointer: text`. */
export class WebhooksFileError extends Error {
  override readonly name = 'WebhooksFileError';
  constructor(readonly file: string, readonly problems: FileProblem[]) {
    super(problems.map((problem) => formatProblem(file, problem)).join('\n'));
  }
}

export function formatProblem(file: string, problem: FileProblem): string {
  const where = problem.place ? `${file}:${problem.place.line}:${problem.place.column}` : file;
  return `${where}: ${problem.pointer ? `${problem.pointer}: ` : ''}${problem.message}`;
}

export interface LoadedWebhooksFile {
  file: string;
  document: WebhooksDocument;
  placeOf(pointer: string): Place | undefined;
}

const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const FORMATS: readonly WebhookFormat[] = ['json', 'transit'];

/**
 * The URL check of Penpot's webhook form (§6.1), stricter than the schema's pattern: an http(s) URL with a host.
 * Returns the reason when it is not one.
 */
export function webhookUriProblem(uri: string): string | undefined {
  if (uri.trim() !== uri) return 'has spaces at its start or end';
  const parsed = parseHttpUrl(uri);
  if (parsed.ok) return undefined;
  switch (parsed.problem) {
    case 'not-a-url': return 'is not a valid URL';
    case 'not-http': return `must start with http:// or https:// (it is ${new URL(uri).protocol})`;
    case 'no-host': return 'has no host';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The schema's checks plus the uniqueness and URL checks; every problem is collected, not just the first. */
export function validateWebhooksDocument(value: unknown): { problems: Omit<FileProblem, 'place'>[]; document?: WebhooksDocument } {
  const problems: Omit<FileProblem, 'place'>[] = [];
  const problem = (pointer: string, message: string) => problems.push({ pointer, message });
  const unknownKeys = (record: Record<string, unknown>, pointer: string, allowed: string[], what: string) => {
    for (const key of Object.keys(record)) {
      if (allowed.includes(key)) continue;
      const hint = /token|secret|password/i.test(key) ? ' (tokens never belong in this file: the CLI reads PENPOT_TOKEN)' : '';
      problem(`${pointer}/${pointerToken(key)}`, `unknown property "${key}" in ${what}; allowed: ${allowed.join(', ')}${hint}`);
    }
  };

  if (!isRecord(value)) {
    problem('', `the file must hold a JSON object with "teams", not ${typeName(value)}`);
    return { problems };
  }
  unknownKeys(value, '', ['$schema', 'teams'], 'the file');
  if (value.$schema !== undefined && typeof value.$schema !== 'string') problem('/$schema', 'must be a string');
  if (!('teams' in value)) {
    problem('', 'the property "teams" is missing');
    return { problems };
  }
  if (!Array.isArray(value.teams)) {
    problem('/teams', `must be an array of teams, not ${typeName(value.teams)}`);
    return { problems };
  }
  value.teams.forEach((team: unknown, t) => {
    const at = `/teams/${t}`;
    if (!isRecord(team)) {
      problem(at, `a team must be an object, not ${typeName(team)}`);
      return;
    }
    unknownKeys(team, at, ['team', 'id', 'webhooks'], 'a team');
    if (team.team === undefined && team.id === undefined) problem(at, 'a team needs "team" (its name) or "id"');
    if (team.team !== undefined && (typeof team.team !== 'string' || team.team.length === 0)) {
      problem(`${at}/team`, 'must be the team\'s name (a non-empty string)');
    }
    if (team.id !== undefined && (typeof team.id !== 'string' || !UUID_PATTERN.test(team.id))) {
      problem(`${at}/id`, 'must be a team id (a UUID such as 03b78a74-7743-4313-8c92-096b40a7cc8e)');
    }
    if (!('webhooks' in team)) {
      problem(at, 'the property "webhooks" is missing (use [] for a team that should have none)');
      return;
    }
    if (!Array.isArray(team.webhooks)) {
      problem(`${at}/webhooks`, `must be an array of webhooks, not ${typeName(team.webhooks)}`);
      return;
    }
    if (team.webhooks.length > MAX_WEBHOOKS_PER_TEAM) {
      problem(`${at}/webhooks`, `has ${team.webhooks.length} webhooks; Penpot allows at most ${MAX_WEBHOOKS_PER_TEAM} per team`);
    }
    const firstByUri = new Map<string, number>();
    team.webhooks.forEach((hook: unknown, w) => {
      const hookAt = `${at}/webhooks/${w}`;
      if (!isRecord(hook)) {
        problem(hookAt, `a webhook must be an object, not ${typeName(hook)}`);
        return;
      }
      unknownKeys(hook, hookAt, ['uri', 'format', 'active'], 'a webhook');
      if (!('uri' in hook)) problem(hookAt, 'the property "uri" is missing');
      else if (typeof hook.uri !== 'string') problem(`${hookAt}/uri`, `must be a string URL, not ${typeName(hook.uri)}`);
      else {
        const reason = webhookUriProblem(hook.uri);
        if (reason) problem(`${hookAt}/uri`, `"${hook.uri}" ${reason}`);
        const first = firstByUri.get(hook.uri);
        if (first !== undefined) {
          problem(`${hookAt}/uri`, `"${hook.uri}" is listed twice in this team (also ${at}/webhooks/${first}); a webhook is identified by its team and uri`);
        } else firstByUri.set(hook.uri, w);
      }
      if (hook.format !== undefined && !(FORMATS as unknown[]).includes(hook.format)) {
        problem(`${hookAt}/format`, `must be "json" or "transit", not ${JSON.stringify(hook.format)}`);
      }
      if (hook.active !== undefined && typeof hook.active !== 'boolean') {
        problem(`${hookAt}/active`, `must be true or false, not ${JSON.stringify(hook.active)}`);
      }
    });
  });
  return problems.length > 0 ? { problems } : { problems, document: value as unknown as WebhooksDocument };
}

/** Parses and checks a file's text; throws WebhooksFileError naming `file` and each place. */
export function parseWebhooksFile(text: string, file: string): LoadedWebhooksFile {
  let parsed;
  try {
    parsed = parseJsonWithPlaces(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      throw new WebhooksFileError(file, [{ pointer: '', place: error.place, message: `invalid JSON: ${error.message}` }]);
    }
    throw error;
  }
  const { problems, document } = validateWebhooksDocument(parsed.value);
  if (!document) {
    throw new WebhooksFileError(file, problems.map((p) => ({ ...p, place: parsed.placeOf(p.pointer) })));
  }
  return { file, document, placeOf: (pointer) => parsed.placeOf(pointer) };
}

/** Reads and checks a file; an unreadable file is a WebhooksFileError too. */
export async function loadWebhooksFile(path: string, shownAs: string = path): Promise<LoadedWebhooksFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new WebhooksFileError(shownAs, [{ pointer: '', message: `cannot read the file: ${reason}` }]);
  }
  return parseWebhooksFile(text, shownAs);
}

/** Code-unit order, the same on every machine and locale (localeCompare is not). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The file's text in its stable form: teams by name then id, webhooks by uri, every field written out, two-space
 * indent and a final newline, so that writing an unchanged state again changes no byte.
 */
export function serializeWebhooksDocument(document: WebhooksDocument): string {
  const teams = [...document.teams]
    .sort((a, b) => compareText(a.team ?? '', b.team ?? '') || compareText(a.id ?? '', b.id ?? ''))
    .map((team) => ({
      ...(team.team !== undefined ? { team: team.team } : {}),
      ...(team.id !== undefined ? { id: team.id } : {}),
      webhooks: [...team.webhooks]
        .sort((a, b) => compareText(a.uri, b.uri))
        .map((hook) => ({ uri: hook.uri, format: hook.format ?? DEFAULT_FORMAT, active: hook.active ?? DEFAULT_ACTIVE })),
    }));
  const out = document.$schema !== undefined ? { $schema: document.$schema, teams } : { teams };
  return `${JSON.stringify(out, null, 2)}\n`;
}
