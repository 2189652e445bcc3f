// The contract between Penpot's RPC client and its users (extension, CLI). The implementation is
// `PenpotClient` in ./client.ts; tests and the extension depend on this interface only.
import type {
  AccessToken, CreatedAccessToken, Profile, Team, TokenExpiry, Webhook, WebhookMtype,
} from './types';

export interface CreateWebhookParams {
  teamId: string;
  uri: string;
  mtype: WebhookMtype;
  /** Always sent: Penpot stores NULL (never fires) when it is missing (§0.5). */
  isActive: boolean;
}

export interface UpdateWebhookParams {
  id: string;
  uri: string;
  mtype: WebhookMtype;
  isActive: boolean;
}

export interface PenpotApi {
  /** Throws PenpotError kind 'unauthenticated' for Penpot's anonymous profile (§3.1). */
  getProfile(): Promise<Profile>;
  getTeams(): Promise<Team[]>;
  getWebhooks(teamId: string): Promise<Webhook[]>;
  createWebhook(params: CreateWebhookParams): Promise<Webhook>;
  updateWebhook(params: UpdateWebhookParams): Promise<Webhook>;
  deleteWebhook(id: string): Promise<void>;
  /** The test delivery's project (src/penpot/testDelivery.ts). */
  createProject(params: { teamId: string; name: string; id: string }): Promise<{ id: string; name: string }>;
  deleteProject(id: string): Promise<void>;
  /** Personal tokens only (type null) unless `includeAll`. */
  getAccessTokens(options?: { includeAll?: boolean }): Promise<AccessToken[]>;
  createAccessToken(name: string, expiry: TokenExpiry): Promise<CreatedAccessToken>;
  deleteAccessToken(id: string): Promise<void>;
  /** Releases the keep-alive connections. */
  close(): Promise<void>;
}

/** Every failure the client reports, one kind each; `PenpotError.message` is a sentence a person understands. */
export type PenpotErrorKind =
  | 'unauthenticated'      // anonymous profile, or 401: token invalid/expired/deleted, or access tokens disabled
  | 'not-found'            // 404: missing object, or permission denied (Penpot answers 404, §0.7)
  | 'validation'           // 400 validation (params-validation, webhook-validation with Penpot's UI words, §6.1)
  | 'quota'                // 400 restriction: webhooks-quote-reached (8 per team), max-quote-reached
  | 'forbidden'            // 403 (client-header check, missing perms)
  | 'rate-limited'         // 429, after one retry of a get-* call
  | 'server-error'         // 5xx
  | 'not-penpot'           // an HTML or otherwise non-API answer (proxy, bot challenge)
  | 'timeout'              // connect / headers / body timeout
  | 'unreachable'          // connection refused, DNS failure, reset
  | 'tls'                  // certificate / TLS handshake errors
  | 'protocol';            // anything else unexpected in the answer
