// Webhook delivery as Penpot's worker does it (§4.1): the event goes to every active webhook of the team, one
// request at a time, in the webhook's mtype; each outcome updates the webhook's error state and may disable it.
import { buildPenpotEvent, encodePenpotEvent, type EncodedPenpotEvent, type PenpotEvent } from '../penpot/events';
import { isPenpotDeliverySuccess, MAX_WEBHOOK_ERRORS, type WebhookFormat, type WebhookMtype } from '../penpot/types';
import { exchange } from './outbound';
import type { DeliveryRecord, DeliveryResult, EmitOptions, TwinState, TwinWebhook } from './types';

const FORMAT_BY_MTYPE: Record<WebhookMtype, WebhookFormat> = {
  'application/json': 'json',
  'application/transit+json': 'transit',
};

export interface DelivererOptions {
  /** `penpot/<major.minor>` (§4.1 step 4). */
  userAgent: string;
  timeoutMs: number;
  /** Aborted when the twin closes. */
  signal: AbortSignal;
}

export class Deliverer {
  /** Every delivery so far, oldest first. */
  readonly records: DeliveryRecord[] = [];
  /** Deliveries run one at a time (`worker-webhook-parallelism` 1, §4.1 step 4). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly state: TwinState, private readonly options: DelivererOptions) {}

  /**
   * Builds event `name` for the team and delivers it. Throws (before sending anything) for an unknown event or
   * team; delivery failures are results, not exceptions.
   */
  async emit(name: string, options: EmitOptions): Promise<DeliveryResult[]> {
    const teamId = options.teamId.toLowerCase();
    if (!this.state.teams.some((t) => t.id === teamId)) throw new Error(`The twin has no team ${options.teamId}.`);
    const profileId = options.profileId
      ?? this.state.memberships.find((m) => m.teamId === teamId && m.role === 'owner')?.profileId;
    const event = buildPenpotEvent(name, { teamId, profileId, props: options.props });
    // Joins the queue before the first await, so events go out in the order emit() was called.
    const run = this.queue.then(() => this.deliverAll(event, teamId));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async deliverAll(event: PenpotEvent, teamId: string): Promise<DeliveryResult[]> {
    // Only `is_active = true` webhooks: an inactive or NULL one is never called (§4.1 step 3, §0.5).
    const targets = this.state.webhooks.filter((w) => w.teamId === teamId && w.isActive === true);
    const bodies = new Map<WebhookFormat, EncodedPenpotEvent>();
    const results: DeliveryResult[] = [];
    for (const webhook of targets) {
      if (this.options.signal.aborted) break;
      const format = FORMAT_BY_MTYPE[webhook.mtype];
      if (!bodies.has(format)) bodies.set(format, encodePenpotEvent(event, format));
      results.push(await this.deliver(event, teamId, webhook, bodies.get(format)!));
    }
    return results;
  }

  private async deliver(event: PenpotEvent, teamId: string, webhook: TwinWebhook, encoded: EncodedPenpotEvent): Promise<DeliveryResult> {
    const at = new Date();
    const outcome = await exchange({
      uri: webhook.uri,
      method: 'POST',
      headers: { 'content-type': encoded.contentType, 'user-agent': this.options.userAgent },
      body: encoded.body,
      timeoutMs: this.options.timeoutMs,
      allowedHosts: this.state.ssrfAllowedHosts,
      signal: this.options.signal,
    });
    const answered = outcome.kind === 'answered';
    const errorCode = answered
      ? (isPenpotDeliverySuccess(outcome.status) ? null : `unexpected-status:${outcome.status}`)
      : outcome.code;
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
      ...result, eventName: String(event.name), teamId, at: at.toISOString(), contentType: encoded.contentType,
      userAgent: this.options.userAgent, body: encoded.body,
    });
    return result;
  }
}

/**
 * `update-webhook!` of the delivery worker (§4.1 step 5). A failure Penpot cannot interpret (code null, e.g. no
 * answer in time after connecting) takes the success branch and resets the count, as the code does (caveat a).
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
