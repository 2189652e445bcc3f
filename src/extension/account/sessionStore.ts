import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';

/** What a sign-in leaves behind, one per server, only ever in SecretStorage. */
export interface StoredSession {
  serverUrl: string;
  token: string;
  profileId: string;
  fullname: string;
  email?: string;
  /** The access token's id, known when the token was created here (Penpot never tells which token a request used). */
  tokenId?: string;
}

const KEY_PREFIX = 'penpot.session:';

function keyFor(serverUrl: string): string {
  return `${KEY_PREFIX}${serverUrl}`;
}

function parse(raw: string | undefined): StoredSession | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof value.serverUrl !== 'string' || typeof value.token !== 'string' || typeof value.profileId !== 'string') {
      return undefined;
    }
    return { fullname: '', ...value } as StoredSession;
  } catch {
    return undefined;
  }
}

/**
 * Sessions in `context.secrets`, keyed by server URL. Secrets are shared by all windows, and `onDidChange` fires
 * in every window when one of them signs in or out, which keeps them in sync.
 */
export class SessionStore extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<string>());
  /** Fires with the server URL whose session was stored or deleted, in this window or another. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage) {
    super();
    this.register(secrets.onDidChange((e) => {
      if (e.key.startsWith(KEY_PREFIX)) this.changed.fire(e.key.slice(KEY_PREFIX.length));
    }));
  }

  async get(serverUrl: string): Promise<StoredSession | undefined> {
    return parse(await this.secrets.get(keyFor(serverUrl)));
  }

  async all(): Promise<StoredSession[]> {
    const keys = (await this.secrets.keys()).filter((k) => k.startsWith(KEY_PREFIX));
    const sessions = await Promise.all(keys.map(async (k) => parse(await this.secrets.get(k))));
    return sessions.filter((s): s is StoredSession => !!s);
  }

  async store(session: StoredSession): Promise<void> {
    await this.secrets.store(keyFor(session.serverUrl), JSON.stringify(session));
  }

  async delete(serverUrl: string): Promise<void> {
    await this.secrets.delete(keyFor(serverUrl));
  }
}
