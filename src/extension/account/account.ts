import * as vscode from 'vscode';
import type { PenpotApi } from '../../penpot/api';
import type { Profile } from '../../penpot/types';
import { Disposable } from '../common/lifecycle';
import type { PenpotLog } from '../common/log';
import { DEFAULT_PENPOT_URL } from '../../penpot/client';
import { normalizeServerUrl } from '../presentation';
import type { SessionStore, StoredSession } from './sessionStore';

/** Builds the RPC client for one server and token. */
export type ApiFactory = (serverUrl: string, token: string) => PenpotApi;

/** Who is signed in where; the token itself stays inside `api`. */
export interface SignedInAccount {
  readonly serverUrl: string;
  readonly profile: { id: string; fullname: string; email?: string };
  /** Id of the access token this window signed in with, when known (created here). */
  readonly tokenId?: string;
  readonly api: PenpotApi;
}

export const SERVER_URL_SETTING = 'penpot.serverUrl';

/**
 * The current Penpot account: the configured server (`penpot.serverUrl`) and its session from SecretStorage.
 * Reacts to sign-in/out in other windows (SecretStorage events) and to the setting changing.
 */
export class Account extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Fires after the server or the signed-in account changed. */
  readonly onDidChange = this.changed.event;

  private serverUrlValue = DEFAULT_PENPOT_URL;
  /** False until the first reload has told listeners the initial state. */
  private loaded = false;
  private current: { session: StoredSession; account: SignedInAccount } | undefined;
  private reloading: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: SessionStore,
    private readonly createApi: ApiFactory,
    private readonly log: PenpotLog,
  ) {
    super();
    this.register(store.onDidChange((serverUrl) => {
      if (serverUrl === this.serverUrlValue) void this.reload();
    }));
    this.register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SERVER_URL_SETTING)) void this.reload();
    }));
    this.register({ dispose: () => void this.current?.account.api.close() });
  }

  /** The server the views and commands work against (normalised `penpot.serverUrl`). */
  get serverUrl(): string {
    return this.serverUrlValue;
  }

  get signedIn(): SignedInAccount | undefined {
    return this.current?.account;
  }

  /** Re-reads the setting and the session; safe to call repeatedly, calls run one after another. */
  reload(): Promise<void> {
    this.reloading = this.reloading.then(() => this.doReload(), () => this.doReload());
    return this.reloading;
  }

  /**
   * Asks Penpot who the token belongs to. Throws the client's PenpotError ('unauthenticated' for a rejected token,
   * which Penpot reports as the anonymous profile, §3.1).
   */
  async verify(serverUrl: string, token: string): Promise<Profile> {
    this.log.rememberSecret(token);
    const api = this.createApi(serverUrl, token);
    try {
      return await api.getProfile();
    } finally {
      await api.close();
    }
  }

  /** Stores the session for `serverUrl`, makes that server the configured one, and switches to it. */
  async signIn(serverUrl: string, token: string, profile: Profile, tokenId?: string): Promise<SignedInAccount> {
    const session: StoredSession = { serverUrl, token, profileId: profile.id, fullname: profile.fullname };
    if (profile.email) session.email = profile.email;
    if (tokenId) session.tokenId = tokenId;
    await this.store.store(session);
    if (readServerUrlSetting() !== serverUrl) {
      await vscode.workspace.getConfiguration().update(SERVER_URL_SETTING, serverUrl, vscode.ConfigurationTarget.Global);
    }
    await this.reload();
    if (!this.current || this.current.session.serverUrl !== serverUrl) {
      // A workspace value of penpot.serverUrl can outrank the user setting written above.
      throw new Error(`Signed in, but this workspace sets ${SERVER_URL_SETTING} to ${this.serverUrlValue}.`);
    }
    this.log.info('account', `signed in to ${serverUrl} as ${profile.fullname}`);
    return this.current.account;
  }

  /** Forgets the session of `serverUrl` (default: the current server) in every window. */
  async signOut(serverUrl = this.serverUrlValue): Promise<void> {
    await this.store.delete(serverUrl);
    this.log.info('account', `signed out of ${serverUrl}`);
    await this.reload();
  }

  private async doReload(): Promise<void> {
    const serverUrl = readServerUrlSetting();
    const session = await this.store.get(serverUrl);
    const previous = this.current;
    if (this.loaded && serverUrl === this.serverUrlValue && sameSession(previous?.session, session)) return;
    this.loaded = true;
    this.serverUrlValue = serverUrl;
    if (session) {
      this.log.rememberSecret(session.token);
      const profile = { id: session.profileId, fullname: session.fullname, ...(session.email ? { email: session.email } : {}) };
      const account: SignedInAccount = {
        serverUrl,
        profile,
        ...(session.tokenId ? { tokenId: session.tokenId } : {}),
        api: this.createApi(serverUrl, session.token),
      };
      this.current = { session, account };
    } else {
      this.current = undefined;
    }
    if (previous) void previous.account.api.close();
    this.changed.fire();
  }
}

function sameSession(a: StoredSession | undefined, b: StoredSession | undefined): boolean {
  if (!a || !b) return a === b;
  return a.serverUrl === b.serverUrl && a.token === b.token && a.profileId === b.profileId && a.tokenId === b.tokenId
    && a.fullname === b.fullname && a.email === b.email;
}

/** The configured server; an unusable value falls back to Penpot's cloud rather than breaking the views. */
export function readServerUrlSetting(): string {
  const raw = vscode.workspace.getConfiguration().get<string>(SERVER_URL_SETTING) || DEFAULT_PENPOT_URL;
  const checked = normalizeServerUrl(raw);
  return 'url' in checked ? checked.url : DEFAULT_PENPOT_URL;
}
