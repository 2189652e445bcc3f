// A real test delivery through Penpot (issue 9). Penpot has no "ping" for a webhook, so the least intrusive real
// event is caused: a project named so it explains itself is created in the webhook's team and deleted right away.
// Both are webhook events (create-project, delete-project; routed by team-id, §4.3). Afterwards the webhook is
// re-read: Penpot as it runs records only connection errors, TLS errors, connect timeouts and SSRF blocks; an
// answered delivery, whatever its HTTP status, leaves error-code empty (conformance finding 1, derived).
import { randomUUID } from 'node:crypto';
import type { Webhook } from './types';
import { errorMessage } from '../common/errors';

export interface TestDeliveryApi {
  createProject(params: { teamId: string; name: string; id: string }): Promise<{ id: string; name: string }>;
  deleteProject(id: string): Promise<void>;
  getWebhooks(teamId: string): Promise<Webhook[]>;
}

export interface TestDeliveryOptions {
  /** How long to watch for the outcome. */
  timeoutMs: number;
  /** Re-read interval of the webhook; default 500 ms. */
  pollMs?: number;
  /**
   * Set when the webhook points at a receiver of ours: resolves with the arrival time (performance.now()) of the
   * create-project event carrying this project id, or null when the signal aborts first.
   */
  waitForEvent?: (projectId: string, signal: AbortSignal) => Promise<number | null>;
  /** The team's name for the sentences; default: its id. */
  teamName?: string;
  /** The sentences said before and after, as they happen. */
  onProgress?: (line: string) => void;
  now?: () => Date;
}

export interface TestDeliveryReport {
  ok: boolean;
  webhookId: string;
  teamId: string;
  projectId: string;
  projectName: string;
  /** What was going to be done, said before doing it. */
  plan: string;
  /** What was done in the team, said afterwards. */
  done: string;
  /** The verdict in one or two sentences. */
  verdict: string;
  /** Penpot's error-code on the webhook after the test (null: none recorded). */
  errorCode: string | null;
  /** Request to arrival at the receiver, when the receiver was watched and the event came. */
  latencyMs: number | null;
  /** True when the project could not be deleted (then `done` says so and names it). */
  leftBehind: boolean;
}

export const TEST_PROJECT_PREFIX = 'Webhook test by Penpot Integrations (safe to delete)';

/**
 * What becomes of the deleted test project (§3.13). Derived from Penpot's source (backend `delete-project` in
 * rpc/commands/projects.clj and features/logical_deletion.clj), not from a running Penpot: the row is kept with
 * deleted-at set that far in the future, and a task removes it for good then. The delay is the backend's
 * deletion-delay (7 days unless PENPOT_DELETION_DELAY says otherwise), 30 days for a team on an active Unlimited
 * plan, 90 on Enterprise.
 */
export const DELETED_PROJECT_NOTE = 'Penpot keeps a deleted project, marked deleted, until its deletion delay has passed ' +
  '(7 days by default; 30 or 90 days for a team on the Unlimited or Enterprise plan), then removes it for good.';

export function testProjectName(now: Date): string {
  return `${TEST_PROJECT_PREFIX} ${now.toISOString().replace(/\.\d+Z$/, 'Z')}`;
}

/** Penpot's delivery error codes (§4.1 step 5) in people's words, with what to do. */
export function explainDeliveryError(code: string): string {
  if (code === 'connection-error') {
    return 'Penpot could not connect to the URL (name not found, connection refused or host unreachable). Check the URL is public and the receiver or tunnel is running.';
  }
  if (code === 'ssl-validation-error') return "Penpot did not accept the URL's TLS certificate; use a certificate from a public authority.";
  if (code === 'timeout') return 'Penpot could not connect within its time limit; check the tunnel or firewall in front of the receiver.';
  if (code.startsWith('blocked-request')) {
    return "Penpot's SSRF guard refused the address (localhost or a private network): use a public URL such as a tunnel, or on a self-hosted Penpot list the host in PENPOT_SSRF_ALLOWED_HOSTS.";
  }
  const status = /^unexpected-status:(\d+)$/.exec(code);
  if (status) return `The receiver answered HTTP ${status[1]} instead of 2xx.`;
  return `Penpot recorded "${code}".`;
}

const delay = (ms: number, signal: AbortSignal): Promise<void> => new Promise((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

/** Runs the test against `webhook` (as last read). Throws only when the project cannot be created. */
export async function sendTestDelivery(api: TestDeliveryApi, webhook: Webhook, options: TestDeliveryOptions): Promise<TestDeliveryReport> {
  const say = options.onProgress ?? ((): void => undefined);
  const teamId = webhook.teamId ?? '';
  const projectId = randomUUID();
  const projectName = testProjectName((options.now ?? (() => new Date()))());
  const base = { webhookId: webhook.id, teamId, projectId, projectName };
  const team = options.teamName === undefined ? `team ${teamId}` : `the team "${options.teamName}"`;
  const plan = `Creating the project "${projectName}" in ${team} and deleting it right away: Penpot sends the ` +
    `events create-project and delete-project to every active webhook of this team, not only this one. ${DELETED_PROJECT_NOTE}`;
  if (webhook.isActive !== true) {
    const verdict = 'This webhook is inactive: Penpot sends it nothing. Enable it first; nothing was done in the team.';
    return { ...base, ok: false, plan, done: 'Nothing was done.', verdict, errorCode: webhook.errorCode, latencyMs: null, leftBehind: false };
  }
  say(plan);

  const watch = new AbortController();
  const deadline = setTimeout(() => watch.abort(), options.timeoutMs);
  const arrival = options.waitForEvent?.(projectId, watch.signal);
  const started = performance.now();
  let leftBehind = false;
  let done: string;
  try {
    await api.createProject({ teamId, name: projectName, id: projectId });
  } catch (error) {
    clearTimeout(deadline);
    watch.abort();
    throw error;
  }
  try {
    await api.deleteProject(projectId);
    done = `Created and deleted the project "${projectName}" in ${team}. ${DELETED_PROJECT_NOTE}`;
  } catch (error) {
    leftBehind = true;
    done = `Created the project "${projectName}" in ${team} but could not delete it ` +
      `(${errorMessage(error)}); delete it in Penpot by hand.`;
  }
  say(done);

  try {
    let latencyMs: number | null = null;
    if (arrival) {
      const at = await arrival;
      latencyMs = at === null ? null : Math.max(0, Math.round(at - started));
    }
    const after = await watchWebhook(api, webhook, latencyMs !== null, options.pollMs ?? 500, watch.signal);
    const errorCode = after?.errorCode ?? null;
    const failed = after !== undefined && errorCode !== null
      && (errorCode !== webhook.errorCode || after.errorCount > webhook.errorCount || latencyMs === null);
    let verdict: string;
    let ok: boolean;
    if (after === undefined) {
      ok = false;
      verdict = 'The webhook is gone: it was deleted during the test.';
    } else if (failed) {
      ok = false;
      verdict = `The delivery failed: Penpot recorded ${errorCode}. ${explainDeliveryError(errorCode)}`;
    } else if (latencyMs !== null) {
      ok = true;
      verdict = `The create-project event arrived at the receiver ${latencyMs} ms after the request (end to end, through Penpot).`;
    } else if (arrival) {
      ok = false;
      verdict = `No create-project event arrived at the receiver within ${Math.round(options.timeoutMs / 1000)} s, and Penpot recorded no error. ` +
        'Penpot may not send webhooks at all on this instance (the flag enable-webhooks), or the URL leads elsewhere.';
    } else {
      ok = true;
      verdict = `Penpot recorded no delivery error within ${Math.round(options.timeoutMs / 1000)} s. Penpot records only connection ` +
        'errors, TLS errors, connect timeouts and SSRF blocks: an answer with any HTTP status counts as delivered, so check that the receiver shows the event.';
    }
    return { ...base, ok, plan, done, verdict, errorCode, latencyMs, leftBehind };
  } finally {
    clearTimeout(deadline);
    watch.abort();
  }
}

/**
 * Re-reads the webhook until its error state changes or the signal aborts; once, when the event already arrived.
 * undefined: the webhook no longer exists.
 */
async function watchWebhook(api: TestDeliveryApi, before: Webhook, once: boolean, pollMs: number, signal: AbortSignal): Promise<Webhook | undefined> {
  for (;;) {
    const current = (await api.getWebhooks(before.teamId ?? '')).find((w) => w.id === before.id);
    if (current === undefined || once || signal.aborted) return current;
    const newError = current.errorCode !== null && (current.errorCode !== before.errorCode || current.errorCount > before.errorCount);
    const cleared = before.errorCode !== null && current.errorCode === null;
    if (newError || cleared) return current;
    await delay(pollMs, signal);
  }
}
