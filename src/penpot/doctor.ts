// "Is my setup able to receive Penpot's webhooks?" (issue 9): the checks shared by `penpot-integrations doctor`
// and the extension's "Penpot: Check Webhook Setup". Each check is ok | warn | fail | skip with one sentence and,
// where something can be done, the fix. Never prints the token: checks only see the client's answers.
import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { request } from 'undici';
import { RECEIVER_ID_HEADER, receiverIdFor, secretOfReceiverUrl } from '../receiver/identity';
import { withoutReceiverSecret } from '../receiver/secret';
import { explainDeliveryError } from './testDelivery';
import type { Profile, Team, Webhook } from './types';
import { errorMessage } from '../common/errors';
import { plural } from '../common/words';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface DoctorCheck {
  id: string;
  status: CheckStatus;
  title: string;
  detail: string;
  fix?: string;
  /** What the extension can offer as a button: a command id (with its arguments) or a link. */
  action?: { label: string; command?: string; args?: unknown[]; url?: string };
}

export interface DoctorApi {
  getProfile(): Promise<Profile>;
  getTeams(): Promise<Team[]>;
  getWebhooks(teamId: string): Promise<Webhook[]>;
}

export interface DoctorOptions {
  serverUrl: string;
  /** A signed-in client; undefined: no token, the token and webhook checks are skipped. */
  api?: DoctorApi;
  /** The running receiver's local URL (…/hooks/<secret>), when one runs in this process or was given. */
  localReceiverUrl?: string;
  /** The public URL Penpot should call (tunnel or `--receiver-url`). */
  publicReceiverUrl?: string;
  /**
   * The extension: a receiver belongs to the setup, so none running is a failure (the CLI probes the one behind
   * `--receiver-url` instead).
   */
  receiverExpected?: boolean;
  /** A sentence on reaching the receiver from a remote window (`remoteReachAdvice`), added to the receiver check. */
  remoteAdvice?: string;
  /** Penpot's HEAD time limit (§3.6); tests may shorten it. */
  headTimeoutMs?: number;
  /** Reading the server; default 10 s. */
  serverTimeoutMs?: number;
}

export const PENPOT_HEAD_TIMEOUT_MS = 3000;
const SERVER_SETTING = { label: 'Open Setting', command: 'workbench.action.openSettings', args: ['penpot.serverUrl'] };
const START_RECEIVER = { label: 'Start Receiver', command: 'penpot.receiver.start' };
const FLAGS_TITLE = 'Instance flags (webhooks, access tokens)';
/** Penpot's own page on PENPOT_FLAGS for self-hosted instances. */
const FLAGS_GUIDE = { label: "Penpot's configuration guide", url: 'https://help.penpot.app/technical-guide/configuration/' };
const FLAGS_LINE = /var\s+penpotFlags\s*=\s*"([^"]*)"/;

export function doctorExitCode(checks: readonly DoctorCheck[]): number {
  return checks.some((c) => c.status === 'fail') ? 1 : 0;
}

/** Runs every check, in the order a person would fix them. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  checks.push(...(await checkServer(options)));
  checks.push(await checkToken(options.api));
  checks.push(...(await checkReceiver(options)));
  checks.push(await checkWebhooks(options));
  return checks;
}

// --- Server, RPC path, flags ------------------------------------------------------------------------------------

async function get(url: string, method: 'GET' | 'POST' | 'HEAD', timeoutMs: number, body?: string): Promise<{ status: number; text: string; headers: Record<string, string | string[] | undefined>; ms: number }> {
  const started = performance.now();
  const res = await request(url, {
    method, body, signal: AbortSignal.timeout(timeoutMs), headersTimeout: timeoutMs, bodyTimeout: timeoutMs,
    headers: body === undefined ? { accept: '*/*' } : { accept: 'application/json', 'content-type': 'application/json' },
  });
  const text = method === 'HEAD' ? '' : (await res.body.text()).slice(0, 100_000);
  if (method === 'HEAD') await res.body.dump();
  return { status: res.statusCode, text, headers: res.headers, ms: Math.round(performance.now() - started) };
}

function reason(error: unknown): string {
  const e = error as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code;
  if (code === 'ECONNREFUSED') return 'the connection was refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the name was not found (DNS)';
  if (e.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'no answer in time';
  return e.message ?? String(error);
}

async function checkServer(options: DoctorOptions): Promise<DoctorCheck[]> {
  const base = options.serverUrl.replace(/\/+$/, '');
  const timeoutMs = options.serverTimeoutMs ?? 10_000;
  let path: 'current' | 'legacy' | undefined;
  let failure: string | undefined;
  for (const [kind, prefix] of [['current', '/api/main/methods/'], ['legacy', '/api/rpc/command/']] as const) {
    try {
      const answer = await get(`${base}${prefix}get-profile`, 'POST', timeoutMs, '{}');
      if (answer.status === 200 && answer.text.trimStart().startsWith('{')) { path = kind; break; }
    } catch (error) {
      failure = reason(error);
      break;
    }
  }
  const server: DoctorCheck = failure !== undefined
    ? { id: 'server', status: 'fail', title: 'Penpot server', detail: `${base} cannot be reached: ${failure}.`, fix: 'Check penpot.serverUrl (or --url / PENPOT_URL) and your network or proxy.', action: SERVER_SETTING }
    : path === undefined
      ? { id: 'server', status: 'fail', title: 'Penpot server', detail: `${base} answers, but not with Penpot's API on /api/main/methods/ or /api/rpc/command/.`, fix: 'Use the address you open Penpot at, without a path.', action: SERVER_SETTING }
      : { id: 'server', status: 'ok', title: 'Penpot server', detail: `${base} answers Penpot's API on the ${path === 'current' ? 'current path /api/main/methods/ (Penpot 2.12+)' : 'legacy path /api/rpc/command/ (Penpot before 2.12)'}.` };
  if (server.status === 'fail') {
    return [server, { id: 'flags', status: 'skip', title: FLAGS_TITLE, detail: 'Not checked: the server cannot be reached.' }];
  }
  return [server, await checkFlags(base, timeoutMs)];
}

async function checkFlags(base: string, timeoutMs: number): Promise<DoctorCheck> {
  const title = FLAGS_TITLE;
  const fix = 'Add enable-webhooks (and enable-access-tokens) to PENPOT_FLAGS on both the backend and the frontend containers, then restart them.';
  let text: string;
  try {
    const answer = await get(`${base}/js/config.js`, 'GET', timeoutMs);
    text = answer.status === 200 ? answer.text : '';
  } catch (error) {
    return { id: 'flags', status: 'warn', title, detail: `${base}/js/config.js could not be read (${reason(error)}), so the flags are unknown.` };
  }
  const line = FLAGS_LINE.exec(text);
  const flags = line ? line[1].split(/\s+/).filter(Boolean) : [];
  const on = (name: string): boolean => flags.includes(`enable-${name}`) && !flags.includes(`disable-${name}`);
  const missing = ['webhooks', 'access-tokens'].filter((name) => !on(name)).map((name) => `enable-${name}`);
  const source = line ? `${base}/js/config.js sets penpotFlags` : `${base}/js/config.js has no penpotFlags line, so the defaults apply`;
  if (missing.length === 0) {
    return { id: 'flags', status: 'ok', title, detail: `${source} with enable-webhooks and enable-access-tokens (the frontend's flags; the backend reads its own PENPOT_FLAGS).` };
  }
  const webhooksOff = missing.includes('enable-webhooks');
  return {
    id: 'flags', status: webhooksOff ? 'fail' : 'warn', title, action: FLAGS_GUIDE,
    detail: `${source}${line ? ` without ${missing.join(' and ')}` : ` (on a self-hosted Penpot: ${missing.join(' and ')} off)`}.` +
      (webhooksOff ? ' Without enable-webhooks the webhook commands still work but Penpot never sends an event.' : ''),
    fix,
  };
}

// --- Token -----------------------------------------------------------------------------------------------------

async function checkToken(api: DoctorApi | undefined): Promise<DoctorCheck> {
  const title = 'Access token';
  if (!api) {
    return { id: 'token', status: 'skip', title, detail: 'Not signed in: no access token was given.', fix: 'Sign in (Penpot: Sign In) or set PENPOT_TOKEN.', action: { label: 'Sign In', command: 'penpot.signIn' } };
  }
  try {
    const profile = await api.getProfile();
    return { id: 'token', status: 'ok', title, detail: `Accepted: signed in as ${profile.fullname}. Its expiry is not known here (Penpot does not say which token made a call; see the Access Tokens view).` };
  } catch (error) {
    return {
      id: 'token', status: 'fail', title, detail: errorMessage(error),
      fix: 'Create a new token in Penpot (Your account → Settings → Integrations) and sign in again.',
      action: { label: 'Sign In', command: 'penpot.signIn' },
    };
  }
}

// --- Receiver ----------------------------------------------------------------------------------------------------

function isPrivateAddress(address: string): boolean {
  if (address === '::1' || /^::ffff:/i.test(address)) return address === '::1' || isPrivateAddress(address.replace(/^::ffff:/i, ''));
  if (isIP(address) === 6) return /^f[cd]|^fe[89ab]/i.test(address);
  const [a, b] = address.split('.').map(Number);
  return a === 127 || a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
}

async function addressesOf(host: string): Promise<string[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return [bare];
  if (bare === 'localhost' || bare.endsWith('.localhost')) return ['127.0.0.1'];
  return (await dns.lookup(bare, { all: true })).map((a) => a.address);
}

async function checkReceiver(options: DoctorOptions): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const local = options.localReceiverUrl;
  const shownLocal = local === undefined ? undefined : withoutReceiverSecret(local);
  const remote = options.remoteAdvice ? ` ${options.remoteAdvice}` : '';
  if (local === undefined) {
    checks.push(options.receiverExpected
      ? { id: 'receiver', status: 'fail', title: 'Receiver', detail: `No receiver is running in this window, so nothing here can take Penpot's events.${remote}`, fix: 'Start the receiver (Penpot: Start Webhook Receiver).', action: START_RECEIVER }
      : { id: 'receiver', status: 'skip', title: 'Receiver', detail: options.publicReceiverUrl === undefined ? 'No receiver is running here.' : 'No receiver runs in this process; the public URL check below probes the one behind that URL.', fix: 'Start one (Penpot: Start Webhook Receiver, or penpot-integrations listen).', action: START_RECEIVER });
  } else {
    const probe = await probeReceiver(local, options.headTimeoutMs ?? PENPOT_HEAD_TIMEOUT_MS);
    checks.push(probe.ok
      ? { id: 'receiver', status: 'ok', title: 'Receiver', detail: `Running at ${shownLocal} (HEAD answered ${probe.status} in ${probe.ms} ms).${remote}` }
      : { id: 'receiver', status: 'fail', title: 'Receiver', detail: `${shownLocal}: ${probe.sentence}${remote}`, fix: 'It runs but does not answer: stop it and start it again.', action: { label: 'Stop Receiver', command: 'penpot.receiver.stop' } });
  }
  checks.push(await checkPublicUrl(options));
  return checks;
}

interface Probe { ok: boolean; status?: number; ms?: number; sentence: string }

/** HEAD as Penpot sends it: must be 200/204 within Penpot's 3 s and come from this receiver (its id header). */
async function probeReceiver(url: string, timeoutMs: number): Promise<Probe> {
  let answer: Awaited<ReturnType<typeof get>>;
  try {
    answer = await get(url, 'HEAD', timeoutMs);
  } catch (error) {
    const why = reason(error);
    if (why === 'no answer in time') return { ok: false, sentence: `no answer within Penpot's ${timeoutMs / 1000} s; Penpot would refuse the webhook (timeout).` };
    return { ok: false, sentence: `${why}.` };
  }
  const { status, ms } = answer;
  if (status === 404) return { ok: false, status, ms, sentence: 'answered 404: the path (its /hooks/<secret>) is wrong, or the URL leads to another server or port.' };
  if (status !== 200 && status !== 204) return { ok: false, status, ms, sentence: `answered ${status}; Penpot accepts only 200 or 204 to its HEAD check.` };
  const secret = secretOfReceiverUrl(url);
  const id = answer.headers[RECEIVER_ID_HEADER];
  if (secret === undefined || id !== receiverIdFor(secret)) {
    return { ok: false, status, ms, sentence: `answered ${status}, but not as this receiver (no matching ${RECEIVER_ID_HEADER} header): the URL leads to another server.` };
  }
  if (ms > timeoutMs) return { ok: false, status, ms, sentence: `answered after ${ms} ms, over Penpot's ${timeoutMs / 1000} s.` };
  return { ok: true, status, ms, sentence: `answered ${status} in ${ms} ms` };
}

export async function checkPublicUrl(options: DoctorOptions): Promise<DoctorCheck> {
  const title = 'Public URL (what Penpot calls)';
  const tunnelAction = { label: 'Start Public Tunnel', command: 'penpot.receiver.startTunnel' };
  const url = options.publicReceiverUrl ?? options.localReceiverUrl;
  if (url === undefined) {
    // In the extension the receiver check above already offers the fix.
    return { id: 'public-url', status: 'skip', title, detail: 'Not checked: there is no receiver URL.', ...(options.receiverExpected ? {} : { fix: 'Start the receiver, or give --receiver-url.' }) };
  }
  // The report is meant to be copied (Copy as Markdown, --json): the receiver's secret stays out of it.
  const shown = withoutReceiverSecret(url);
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return { id: 'public-url', status: 'fail', title, detail: `"${shown}" is not a URL.` };
  }
  let targetAddresses: string[];
  try {
    targetAddresses = await addressesOf(host);
  } catch {
    return { id: 'public-url', status: 'fail', title, detail: `The name ${host} was not found (DNS). Penpot would record connection-error.`, fix: 'Check the spelling; a quick tunnel gets a new name at every start, so copy the current one.', action: tunnelAction };
  }
  let serverAddresses: string[] = [];
  try {
    serverAddresses = await addressesOf(new URL(options.serverUrl).hostname);
  } catch { /* the server check reports this */ }
  const serverIsLocal = serverAddresses.length > 0 && serverAddresses.every(isPrivateAddress);
  if (targetAddresses.some(isPrivateAddress) && !serverIsLocal) {
    return {
      id: 'public-url', status: 'fail', title,
      detail: `${shown} is a loopback or private address, and the Penpot server is not on this machine or network: Penpot's SSRF guard refuses such addresses (blocked-request), and could not reach them anyway.`,
      fix: 'Start a public tunnel (cloudflared or ngrok) and register its URL; a self-hosted Penpot can instead list the host in PENPOT_SSRF_ALLOWED_HOSTS.',
      action: tunnelAction,
    };
  }
  const probe = await probeReceiver(url, options.headTimeoutMs ?? PENPOT_HEAD_TIMEOUT_MS);
  if (probe.ok) {
    const note = targetAddresses.some(isPrivateAddress) ? ' The address is private: Penpot must allow it (PENPOT_SSRF_ALLOWED_HOSTS).' : '';
    return { id: 'public-url', status: 'ok', title, detail: `HEAD ${shown} reached this receiver: ${probe.sentence}.${note}` };
  }
  return { id: 'public-url', status: 'fail', title, detail: `HEAD ${shown}: ${probe.sentence}`, fix: 'Check the tunnel runs and forwards to the receiver\'s port.', action: tunnelAction };
}

// --- Team webhooks ------------------------------------------------------------------------------------------------

/** The webhooks of every team that point at this receiver (same /hooks/<secret>, any host). */
export async function webhooksPointingAt(api: DoctorApi, receiverUrls: readonly string[]): Promise<{ team: Team; webhook: Webhook }[]> {
  const secrets = new Set(receiverUrls.map(secretOfReceiverUrl).filter((s): s is string => s !== undefined));
  const found: { team: Team; webhook: Webhook }[] = [];
  for (const team of await api.getTeams()) {
    let webhooks: Webhook[];
    try {
      webhooks = await api.getWebhooks(team.id);
    } catch {
      continue; // a team whose webhooks we may not read
    }
    for (const webhook of webhooks) {
      const secret = secretOfReceiverUrl(webhook.uri);
      if (secret !== undefined && secrets.has(secret)) found.push({ team, webhook: { ...webhook, teamId: webhook.teamId ?? team.id } });
    }
  }
  return found;
}

async function checkWebhooks(options: DoctorOptions): Promise<DoctorCheck> {
  const title = 'Team webhooks pointing at this receiver';
  const urls = [options.publicReceiverUrl, options.localReceiverUrl].filter((u): u is string => u !== undefined);
  if (!options.api || urls.length === 0) return { id: 'webhooks', status: 'skip', title, detail: !options.api ? 'Not checked without an access token.' : 'Not checked: there is no receiver URL.' };
  let found: { team: Team; webhook: Webhook }[];
  try {
    found = await webhooksPointingAt(options.api, urls);
  } catch (error) {
    return { id: 'webhooks', status: 'skip', title, detail: `Could not list the teams: ${errorMessage(error)}` };
  }
  const register = { label: 'Register Receiver', command: 'penpot.receiver.register' };
  if (found.length === 0) return { id: 'webhooks', status: 'warn', title, detail: 'No team webhook points at this receiver yet.', fix: 'Register the receiver as a team webhook.', action: register };
  const problems = found.filter(({ webhook }) => !webhook.isActive || webhook.errorCode !== null);
  const describe = ({ team, webhook }: { team: Team; webhook: Webhook }): string => {
    if (!webhook.isActive) return `${team.name}: inactive${webhook.errorCode ? ` (disabled after ${webhook.errorCount} errors, last ${webhook.errorCode})` : ''}`;
    if (webhook.errorCode) return `${team.name}: last delivery failed with ${webhook.errorCode} — ${explainDeliveryError(webhook.errorCode)}`;
    return `${team.name}: active, no error recorded`;
  };
  const detail = `${plural(found.length, 'webhook')}: ${found.map(describe).join('; ')}.`;
  if (problems.length === 0) {
    // Penpot's record cannot show an answered-but-wrong delivery: the test event proves the path end to end.
    const first = found[0].webhook;
    return {
      id: 'webhooks', status: 'ok', title,
      detail: `${detail} Penpot records only connection, TLS, connect-timeout and SSRF errors; an answered delivery never counts as an error.`,
      action: { label: 'Send Test Event Through Penpot', command: 'penpot.webhook.sendTestEvent', args: [{ webhookId: first.id, teamId: first.teamId }] },
    };
  }
  return { id: 'webhooks', status: problems.some(({ webhook }) => !webhook.isActive) ? 'fail' : 'warn', title, detail, fix: 'Fix the cause, then re-enable the webhook (Edit or Re-enable in the Teams view) and send a test event.' };
}
