// Webhook delivery as Penpot's worker does it (§4.1): the event is routed by its props (team-id, else project-id,
// else file-id), debounced where Penpot debounces it, and sent to every active webhook found, one request at a time,
// in the webhook's mtype; each outcome updates the webhook's error state and may disable it.
import { findPenpotEvent } from '../penpot/catalog';
import { buildPenpotEvent, encodePenpotEvent, routingKeyOf, type EncodedPenpotEvent, type PenpotEvent } from '../penpot/events';
import { isPenpotDeliverySuccess, MAX_WEBHOOK_ERRORS, type WebhookFormat, type WebhookMtype } from '../penpot/types';
import type { TransitNode } from '../transit/types';
import { exchange } from './outbound';
import type { DeliveryRecord, DeliveryResult, EmitOptions, TwinState, TwinWebhook } from './types';

const FORMAT_BY_MTYPE: Record<WebhookMtype, WebhookFormat> = {
  'application/json': 'json',
  'application/transit+json': 'transit',
};

export interface DelivererOptions {
  /** `penpot/<major.minor>` (§4.1 step 4). */
  userAgent: string;
  /** The Penpot version emulated: picks the payload shape (conformance finding 4). */
  penpotVersion: string;
  timeoutMs: number;
  /**
   * Count answers other than 200/204 as `unexpected-status:N`, the rule Penpot's code is written for. Off by
   * default: as Penpot runs (2.15–2.17, derived), reading the answer fails and every answered delivery takes the
   * success branch (conformance finding 1).
   */
  countStatusFailures: boolean;
  /** Multiplies Penpot's debounce delays (update-file 2 min, update-project-pin 5 s); 0 delivers at once. */
  debounceScale: number;
  /** Aborted when the twin closes. */
  signal: AbortSignal;
}

interface PendingDebounce {
  timer: NodeJS.Timeout;
  /** Answers the emit whose event this is. */
  resolve: (results: DeliveryResult[]) => void;
}

export class Deliverer {
  /** Every delivery so far, oldest first. */
  readonly records: DeliveryRecord[] = [];
  /** Deliveries run one at a time (`worker-webhook-parallelism` is always 1, conformance finding 21). */
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * The team each project and file id belongs to. The twin has no project or file tables, so an id is bound to the
   * team of the first event that carries it; Penpot's `lookup-webhooks` joins the real tables.
   */
  private readonly owners = new Map<string, string>();
  private readonly pending = new Map<string, PendingDebounce>();

  constructor(private readonly state: TwinState, private readonly options: DelivererOptions) {
    options.signal.addEventListener('abort', () => {
      for (const entry of this.pending.values()) {
        clearTimeout(entry.timer);
        entry.resolve([]);
      }
      this.pending.clear();
    }, { once: true });
  }

  /**
   * Builds event `name` as the team's action and delivers it where Penpot would. Throws (before sending anything)
   * for an unknown event or team; delivery failures are results, not exceptions. A debounced event resolves when the
   * last event of its burst is delivered (a superseded one resolves [] at once).
   */
  async emit(name: string, options: EmitOptions): Promise<DeliveryResult[]> {
    const info = findPenpotEvent(name);
    const teamId = options.teamId.toLowerCase();
    if (!this.state.teams.some((t) => t.id === teamId)) throw new Error(`The twin has no team ${options.teamId}.`);
    const profileId = options.profileId
      ?? this.state.memberships.find((m) => m.teamId === teamId && m.role === 'owner')?.profileId;
    const event = buildPenpotEvent(name, { teamId, profileId, props: options.props, penpotVersion: this.options.penpotVersion });
    this.adopt(event.props, teamId);
    if (info?.debounceMs !== undefined && this.options.debounceScale > 0) {
      return this.debounce(event, info.debounceMs * this.options.debounceScale);
    }
    return this.enqueue(event);
  }

  private enqueue(event: PenpotEvent): Promise<DeliveryResult[]> {
    // Joins the queue before the first await, so events go out in the order emit() was called.
    const run = this.queue.then(() => this.deliverAll(event));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** `:delay` + `:dedupe` on `rpc:<name>:<profile-id>:<id>` (audit.clj:258-281): the last event of a burst wins. */
  private debounce(event: PenpotEvent, delayMs: number): Promise<DeliveryResult[]> {
    const key = `rpc:${event.name}:${idText(event['profile-id'])}:${idText(event.props.id)}`;
    return new Promise((resolve) => {
      const earlier = this.pending.get(key);
      if (earlier) {
        // superseded: this event is never delivered
        clearTimeout(earlier.timer);
        earlier.resolve([]);
      }
      const timer = setTimeout(() => {
        this.pending.delete(key);
        void this.enqueue(event).then(resolve, () => resolve([]));
      }, delayMs);
      this.pending.set(key, { timer, resolve });
    });
  }

  /** Binds the event's project and file ids to the team it was emitted on, unless they already belong to one. */
  private adopt(props: Record<string, TransitNode>, teamId: string): void {
    for (const key of ['project-id', 'file-id']) {
      const id = idText(props[key]);
      if (id && !this.owners.has(id)) this.owners.set(id, teamId);
    }
  }

  /** The team `lookup-webhooks` finds for the props: by team-id, else project-id, else file-id; none: nobody. */
  private routeTeam(event: PenpotEvent): string | undefined {
    const route = routingKeyOf(event.props);
    if (!route) return undefined;
    return route.key === 'team-id' ? route.id : this.owners.get(route.id);
  }

  private async deliverAll(event: PenpotEvent): Promise<DeliveryResult[]> {
    const teamId = this.routeTeam(event);
    if (teamId === undefined) return [];
    // Only `is_active = true` webhooks: an inactive or NULL one is never called (§4.1 step 3, §0.5).
    const targets = this.state.webhooks.filter((w) => w.teamId === teamId && w.isActive === true);
    const bodies = new Map<WebhookFormat, EncodedPenpotEvent | Error>();
    const results: DeliveryResult[] = [];
    for (const webhook of targets) {
      if (this.options.signal.aborted) break;
      const format = FORMAT_BY_MTYPE[webhook.mtype];
      if (!bodies.has(format)) bodies.set(format, encodeOrError(event, format));
      results.push(await this.deliver(event, teamId, webhook, bodies.get(format)!));
    }
    return results;
  }

  private async deliver(event: PenpotEvent, teamId: string, webhook: TwinWebhook, encoded: EncodedPenpotEvent | Error): Promise<DeliveryResult> {
    const at = new Date();
    const contentType: WebhookMtype = encoded instanceof Error ? webhook.mtype : encoded.contentType;
    // Penpot writes the body inside the handler's catch-all: a body it cannot write is an uninterpreted failure.
    const outcome = encoded instanceof Error
      ? { kind: 'failed' as const, code: null, reason: encoded.message }
      : await exchange({
        uri: webhook.uri,
        method: 'POST',
        headers: { 'content-type': encoded.contentType, 'user-agent': this.options.userAgent },
        body: encoded.body,
        timeoutMs: this.options.timeoutMs,
        allowedHosts: this.state.ssrfAllowedHosts,
        extraBlockedCidrs: this.state.ssrfExtraBlockedCidrs,
        signal: this.options.signal,
      });
    const answered = outcome.kind === 'answered';
    let errorCode: string | null;
    if (answered) {
      errorCode = this.options.countStatusFailures && !isPenpotDeliverySuccess(outcome.status) ? `unexpected-status:${outcome.status}` : null;
    } else {
      errorCode = outcome.code;
    }
    // The webhook may have been deleted meanwhile; then there is nothing to update.
    if (this.state.webhooks.includes(webhook)) recordOutcome(webhook, errorCode, at);
    const result: DeliveryResult = {
      webhookId: webhook.id,
      uri: webhook.uri,
      mtype: webhook.mtype,
      status: answered ? outcome.status : null,
      errorCode,
      errorCount: webhook.errorCount,
      isActive: webhook.isActive,
    };
    if (!answered) result.failure = outcome.reason;
    this.records.push({
      ...result, eventName: String(event.name), teamId, at: at.toISOString(), contentType,
      userAgent: this.options.userAgent, body: encoded instanceof Error ? '' : encoded.body,
    });
    return result;
  }
}

function encodeOrError(event: PenpotEvent, format: WebhookFormat): EncodedPenpotEvent | Error {
  try {
    return encodePenpotEvent(event, format);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function idText(node: TransitNode | undefined): string {
  if (typeof node === 'string') return node.toLowerCase();
  if (node && typeof node === 'object' && !Array.isArray(node) && 'value' in node && typeof node.value === 'string') return node.value.toLowerCase();
  return '';
}

/**
 * `update-webhook!` of the delivery worker (§4.1 step 5). A null code (an answered request as Penpot runs, or a
 * failure Penpot cannot interpret such as no answer in time after connecting) takes the success branch and resets
 * the count; a recognised failure counts, and the third in a row disables the webhook.
 */
function recordOutcome(webhook: TwinWebhook, errorCode: string | null, at: Date): void {
  if (errorCode === null) {
    Object.assign(webhook, { errorCode: null, errorCount: 0, updatedAt: at });
    return;
  }
  webhook.errorCode = errorCode;
  webhook.errorCount += 1;
  if (webhook.errorCount >= MAX_WEBHOOK_ERRORS) webhook.isActive = false;
}
