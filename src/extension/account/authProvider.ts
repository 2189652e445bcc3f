import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { serverLabel } from '../presentation';
import type { SessionStore, StoredSession } from './sessionStore';

export const AUTH_PROVIDER_ID = 'penpot';
export const AUTH_PROVIDER_LABEL = 'Penpot';

/** Runs the interactive sign-in; resolves to the server signed in to, or undefined when it did not happen. */
export type InteractiveSignIn = () => Promise<string | undefined>;

function toAuthSession(session: StoredSession): vscode.AuthenticationSession {
  return {
    // One session per server, so the server URL identifies it.
    id: session.serverUrl,
    accessToken: session.token,
    account: {
      id: `${session.profileId}@${session.serverUrl}`,
      label: `${session.fullname || session.email || session.profileId} (${serverLabel(session.serverUrl)})`,
    },
    scopes: [],
  };
}

/**
 * "Penpot" in the Accounts menu, one account per server signed in to. Sessions live in SecretStorage
 * (authenticationprovider-sample); removing one there is the same as "Penpot: Sign Out" for that server.
 */
export class PenpotAuthenticationProvider extends Disposable implements vscode.AuthenticationProvider {
  private readonly changed = this.register(
    new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>(),
  );
  readonly onDidChangeSessions = this.changed.event;
  private known = new Map<string, vscode.AuthenticationSession>();
  private publishing: Promise<void> = Promise.resolve();

  constructor(private readonly store: SessionStore, private readonly signInInteractively: InteractiveSignIn) {
    super();
    this.register(store.onDidChange(() => this.queuePublish()));
    this.queuePublish();
  }

  async getSessions(): Promise<vscode.AuthenticationSession[]> {
    return (await this.store.all()).map(toAuthSession);
  }

  async createSession(): Promise<vscode.AuthenticationSession> {
    const serverUrl = await this.signInInteractively();
    const session = serverUrl ? await this.store.get(serverUrl) : undefined;
    if (!session) throw new Error('Penpot sign-in was cancelled.');
    return toAuthSession(session);
  }

  async removeSession(sessionId: string): Promise<void> {
    await this.store.delete(sessionId);
  }

  /** One comparison at a time, so two quick changes cannot report the same session twice. */
  private queuePublish(): void {
    this.publishing = this.publishing.then(() => this.publishChanges()).catch(() => undefined);
  }

  /** Compares the stored sessions with the last published ones and tells VS Code what changed. */
  private async publishChanges(): Promise<void> {
    const now = new Map((await this.getSessions()).map((s) => [s.id, s]));
    const added = [...now.values()].filter((s) => !this.known.has(s.id));
    const removed = [...this.known.values()].filter((s) => !now.has(s.id));
    const changed = [...now.values()].filter((s) => {
      const before = this.known.get(s.id);
      return before && (before.accessToken !== s.accessToken || before.account.label !== s.account.label);
    });
    this.known = now;
    if (added.length || removed.length || changed.length) this.changed.fire({ added, removed, changed });
  }
}
