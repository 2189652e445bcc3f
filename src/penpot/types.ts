// Domain types of the part of Penpot's RPC API this project uses.
// Field names follow Penpot's JSON responses (camelCase keys, §1.4 of the API reference).

/** The all-zero id Penpot's get-profile returns for a bad, expired or ignored token (§0.3, §3.1). */
export const ANONYMOUS_PROFILE_ID = '00000000-0000-0000-0000-000000000000';

/** Maximum number of webhooks per team, active or not (§3.5, `max-hooks-for-team`). */
export const MAX_WEBHOOKS_PER_TEAM = 8;

/** Errors in a row after which Penpot disables a webhook (§4.1 step 5, `::max-errors`). */
export const MAX_WEBHOOK_ERRORS = 3;

/**
 * Whether Penpot counts an answer to a webhook delivery as delivered: only 200 and 204; 201, 202, other 2xx and 3xx
 * are failures that count toward the auto-disable (§4.1 step 5). `undefined`/`null`: no answer at all.
 */
export function isPenpotDeliverySuccess(status: number | null | undefined): boolean {
  return status === 200 || status === 204;
}

export type WebhookFormat = 'json' | 'transit';
export type WebhookMtype = 'application/json' | 'application/transit+json';

export const MTYPE_BY_FORMAT: Record<WebhookFormat, WebhookMtype> = {
  json: 'application/json',
  transit: 'application/transit+json',
};

export interface Profile {
  id: string;
  fullname: string;
  email?: string;
  defaultTeamId?: string;
  isActive?: boolean;
}

export interface TeamPermissions {
  type?: string;
  isOwner: boolean;
  isAdmin: boolean;
  canEdit: boolean;
}

export type TeamRole = 'owner' | 'admin' | 'editor' | 'viewer';

export interface Team {
  id: string;
  name: string;
  isDefault: boolean;
  permissions: TeamPermissions;
  features?: string[];
  createdAt?: string;
  modifiedAt?: string;
}

export interface Webhook {
  id: string;
  teamId?: string;
  /** Always a string here: the client rebuilds it when Penpot sends the URI record as an object (§1.6). */
  uri: string;
  mtype: WebhookMtype;
  isActive: boolean;
  /** Last delivery error, e.g. "unexpected-status:500", "connection-error"; null after a success. */
  errorCode: string | null;
  errorCount: number;
  /** The creator (since Penpot 2.4). */
  profileId: string | null;
}

export type TokenExpiry = 'never' | '30' | '60' | '90' | '180';

export interface AccessToken {
  id: string;
  name: string;
  /** null for personal tokens; "mcp" for the MCP key (§3.11). */
  type: string | null;
  createdAt?: string;
  updatedAt?: string;
  /** ISO instant, or null for "never". */
  expiresAt: string | null;
}

/** Only returned once, by create-access-token (§0.9). */
export interface CreatedAccessToken extends AccessToken {
  token: string;
}

export function roleOf(p: TeamPermissions): TeamRole {
  if (p.isOwner) return 'owner';
  if (p.isAdmin) return 'admin';
  if (p.canEdit) return 'editor';
  return 'viewer';
}

/** Edit rule since Penpot 2.4: the team's can-edit, or the caller created the webhook (§3.7, §6.1). */
export function canModifyWebhook(team: Team, webhook: Webhook, profileId: string): boolean {
  return team.permissions.canEdit || team.permissions.isAdmin || team.permissions.isOwner || webhook.profileId === profileId;
}
