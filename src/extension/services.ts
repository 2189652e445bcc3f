import * as vscode from 'vscode';
import type { Account, SignedInAccount } from './account/account';
import type { PenpotLog } from './common/log';
import type { ReceiverService } from './receiver/receiverService';
import type { TeamsTreeProvider } from './views/teamsView';
import type { TokensTreeProvider } from './views/tokensView';
import { signInInteractively } from './commands/signIn';

/** What every command, view and panel works with: the one context object, built once in `activate()`. */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: PenpotLog;
  readonly account: Account;
  readonly teams: TeamsTreeProvider;
  readonly tokens: TokensTreeProvider;
  /** The webhook receiver of this window (its store, listener and registrations). */
  readonly receiver: ReceiverService;
}

/**
 * What a command resolves to when run through `executeCommand`: what it did, or the message it showed. Handlers
 * never throw for expected failures: they show the message themselves (a thrown error would add VS Code's generic
 * "command failed" pop-up) and return it, so scripts and tests can check it.
 */
export type CommandResult<T extends object = object> = ({ ok: true } & T) | Failure;

export interface Failure {
  ok: false;
  message: string;
  cancelled?: boolean;
}

export const CANCELLED: Failure = { ok: false, message: 'Cancelled', cancelled: true };

/** Shows an error (with "Show Log") and returns the matching result. */
export function failure(services: Services, component: string, message: string): Failure {
  const text = services.log.scrub(message);
  services.log.error(component, text);
  void vscode.window.showErrorMessage(text, 'Show Log').then((choice) => {
    if (choice === 'Show Log') services.log.show();
  });
  return { ok: false, message: text };
}

/** The signed-in account, or a "sign in first" message with a Sign In button. */
export function requireSignedIn(services: Services, component: string): SignedInAccount | undefined {
  const account = services.account.signedIn;
  if (account) return account;
  void vscode.window.showWarningMessage('Sign in to Penpot first.', 'Sign In').then((choice) => {
    if (choice === 'Sign In') void signInInteractively(services);
  });
  services.log.info(component, 'not signed in');
  return undefined;
}

export const NOT_SIGNED_IN: Failure = { ok: false, message: 'Sign in to Penpot first.' };

/** True when the first command argument is a plain options object passed from code (not a tree node). */
export function isOptions<T extends object>(value: unknown): value is Partial<T> {
  return !!value && typeof value === 'object' && !(value instanceof vscode.TreeItem);
}
