// Public types of the Penpot twin: its seed (JSON), its live state (inspectable by tests), its options and the
// records of its webhook deliveries.
import type { TeamRole, WebhookMtype } from '../penpot/types';
import type { TransitNode } from '../transit/types';

// --- Seed (a JSON document; see demo-seed.json) ------------------------------------------------------------------

export interface TwinSeed {
  profiles: SeedProfile[];
  teams: SeedTeam[];
  memberships: SeedMembership[];
  webhooks?: SeedWebhook[];
  tokens?: SeedToken[];
  /** Hosts that pass the SSRF guard although they resolve to private addresses (PENPOT_SSRF_ALLOWED_HOSTS, §3.6). */
  ssrfAllowedHosts?: string[];
  /** The id or the value of the token `startTwin` reports as `demoToken`; default: the first token. */
  demoToken?: string;
  /** Emulates an instance without the `enable-access-tokens` flag: the `Token` header is ignored (§0.1). */
  accessTokensDisabled?: boolean;
}

export interface SeedProfile {
  id: string;
  fullname: string;
  email: string;
  /** The profile's "Your Penpot" team (`is-default` in get-teams). */
  defaultTeamId?: string;
}

export interface SeedTeam {
  id: string;
  name: string;
  features?: string[];
}

export interface SeedMembership {
  teamId: string;
  profileId: string;
  role: TeamRole;
}

export interface SeedWebhook {
  id?: string;
  teamId: string;
  uri: string;
  mtype: WebhookMtype;
  /** null is what Penpot stores when create-webhook omits is-active; such a webhook never fires (§0.5). */
  isActive: boolean | null;
  errorCode?: string | null;
  errorCount?: number;
  /** The creator; null when the creator's profile was deleted. */
  profileId: string | null;
}

export interface SeedToken {
  id?: string;
  profileId: string;
  name: string;
  /** Generated in Penpot's format when absent. */
  value?: string;
  /** null for personal tokens, "mcp" for the MCP key (§3.11). */
  type?: string | null;
  /** ISO instant; or use expiresInDays. Neither: never expires. */
  expiresAt?: string | null;
  /** Days from the twin's start (negative: already expired), so a demo always shows the same "expires in …". */
  expiresInDays?: number;
}

// --- State -----------------------------------------------------------------------------------------------------

export interface TwinProfile {
  id: string;
  fullname: string;
  email: string;
  defaultTeamId: string | null;
  createdAt: Date;
}

export interface TwinTeam {
  id: string;
  name: string;
  features: string[];
  createdAt: Date;
}

export interface TwinMembership {
  teamId: string;
  profileId: string;
  role: TeamRole;
}

export interface TwinWebhook {
  id: string;
  teamId: string;
  uri: string;
  mtype: WebhookMtype;
  isActive: boolean | null;
  errorCode: string | null;
  errorCount: number;
  profileId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface TwinToken {
  id: string;
  profileId: string;
  name: string;
  value: string;
  type: string | null;
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The twin's data, mutated in place by the RPC commands and deliveries. Arrays keep insertion order. */
export interface TwinState {
  startedAt: Date;
  profiles: TwinProfile[];
  teams: TwinTeam[];
  /** In creation order, which is get-teams' order (§3.2). */
  memberships: TwinMembership[];
  webhooks: TwinWebhook[];
  tokens: TwinToken[];
  ssrfAllowedHosts: string[];
  /** IPv4 CIDRs refused on top of Penpot's list (PENPOT_SSRF_EXTRA_BLOCKED_CIDRS, IPv4 only). */
  ssrfExtraBlockedCidrs?: string[];
  accessTokensDisabled: boolean;
}

// --- Options and handle ----------------------------------------------------------------------------------------

export interface TwinTimeouts {
  /** The HEAD check of create/update-webhook: connect and answer (Penpot: 3 s, §3.6). */
  validationMs: number;
  /** A delivery POST: connect and answer (Penpot: 4 s, §4.1). */
  deliveryMs: number;
}

export interface TwinOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A seed, or the path of a JSON seed file; default: the demo seed. */
  seed?: TwinSeed | string;
  /** Emulates Penpot < 2.12: only /api/rpc/command/<name> exists (§1.1). */
  legacyPathOnly?: boolean;
  /**
   * The Penpot version emulated, default "2.17.0": deliveries send `user-agent: penpot/<major.minor>` and the payload
   * shape of that version (≥ 2.15, 2.14, 2.2–2.13, 2.0–2.1).
   */
  version?: string;
  /**
   * Count answers other than 200/204 as `unexpected-status:N` (3 in a row disable), as Penpot's code is written.
   * Default false: as Penpot 2.15–2.17 runs (derived), an answered delivery never counts; only connection errors,
   * TLS errors, connect timeouts and SSRF blocks do.
   */
  countStatusFailures?: boolean;
  /** Multiplies Penpot's debounce delays (update-file 2 min, update-project-pin 5 s); default 1, 0 = no delay. */
  debounceScale?: number;
  /** PENPOT_SSRF_EXTRA_BLOCKED_CIDRS: more IPv4 ranges the SSRF guard refuses, e.g. ["203.0.114.0/24"]. */
  ssrfExtraBlockedCidrs?: string[];
  timeouts?: Partial<TwinTimeouts>;
  /** PENPOT_FLAGS served in /js/config.js; default "enable-webhooks enable-access-tokens …"; null serves none. */
  frontendFlags?: string | null;
}

export interface EmitOptions {
  teamId: string;
  /** The acting profile; default: the team's first owner. */
  profileId?: string;
  /** Merged over the generated props (kebab keyword names); see buildPenpotEvent. */
  props?: Record<string, TransitNode>;
  /** Each webhook's own mtype decides the encoding. */
  format?: never;
}

/** The outcome of one delivery, and the webhook's state right after it. */
export interface DeliveryResult {
  webhookId: string;
  uri: string;
  mtype: WebhookMtype;
  /** The target's HTTP status; null when no answer came. */
  status: number | null;
  /** What Penpot records (§4.1 step 5): null after a success, or after a failure it cannot interpret. */
  errorCode: string | null;
  /** Why the request failed, for people; absent when the target answered. */
  failure?: string;
  errorCount: number;
  isActive: boolean | null;
}

export interface DeliveryRecord extends DeliveryResult {
  eventName: string;
  teamId: string;
  /** ISO time the delivery started. */
  at: string;
  contentType: WebhookMtype;
  userAgent: string;
  /** The exact body sent. */
  body: string;
}

export interface RunningTwin {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  /** A valid access token of the demo profile (never logged by the twin). */
  demoToken: string;
  state: TwinState;
  /** Builds the event and delivers it to every active webhook of the team, one at a time (§4.1). */
  emit(name: string, options: EmitOptions): Promise<DeliveryResult[]>;
  /** Every delivery so far, oldest first. */
  deliveries: DeliveryRecord[];
  close(): Promise<void>;
}
