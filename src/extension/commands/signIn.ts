import * as vscode from 'vscode';
import { confirmModal } from '../common/confirm';
import { runSteps, textStep } from '../common/quickInput';
import {
  normalizeServerUrl, sendsTokenInClear, serverLabel, validateAccessTokenInput,
} from '../presentation';
import { CANCELLED, isOptions, type CommandResult, type Services } from '../services';
import { errorMessage } from '../../common/errors';
import { Command } from '../registry';
import { registerCommand } from '../common/commands';

/** `penpot.signIn` options for scripts and tests; without `token` the interactive flow runs. */
export interface SignInOptions {
  serverUrl: string;
  token: string;
}

export type SignInResult = CommandResult<{ serverUrl: string; fullname: string; email?: string }>;

const TITLE = 'Sign In to Penpot';

/**
 * Checks `token` against `serverUrl` with get-profile and, when Penpot accepts it, stores the session and switches
 * to that server. Failures show Penpot's reason with "Try Again"; the token is never part of a message.
 */
export async function completeSignIn(
  services: Services,
  serverUrl: string,
  token: string,
  tokenId?: string,
): Promise<SignInResult> {
  const { account, log } = services;
  const where = serverLabel(serverUrl);
  try {
    const profile = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Checking the access token with ${where}…` },
      () => account.verify(serverUrl, token),
    );
    await account.signIn(serverUrl, token, profile, tokenId);
    const who = profile.email ? `${profile.fullname} (${profile.email})` : profile.fullname;
    void vscode.window.showInformationMessage(`Signed in to Penpot at ${where} as ${who}.`);
    return { ok: true, serverUrl, fullname: profile.fullname, ...(profile.email ? { email: profile.email } : {}) };
  } catch (error) {
    const message = log.scrub(`Could not sign in to Penpot at ${where}: ${errorMessage(error)}`);
    log.warn('signIn', message);
    void vscode.window.showErrorMessage(message, 'Try Again', 'Show Log').then((choice) => {
      if (choice === 'Try Again') void signInInteractively(services, serverUrl);
      if (choice === 'Show Log') log.show();
    });
    return { ok: false, message };
  }
}

/** Asks for the server (default: the configured one) and the token, then signs in. */
export async function signInInteractively(services: Services, initialServerUrl?: string): Promise<SignInResult> {
  let serverUrl = initialServerUrl ?? services.account.serverUrl;
  let token = '';
  const completed = await runSteps([
    () => textStep({
      title: TITLE, step: 1, totalSteps: 2,
      prompt: 'Address of your Penpot server: Penpot\'s cloud or your self-hosted instance',
      value: serverUrl,
      validate: (text) => {
        const checked = normalizeServerUrl(text);
        return 'error' in checked ? checked.error : undefined;
      },
    }, async (value) => {
      const checked = normalizeServerUrl(value);
      if ('error' in checked) return 'back';
      serverUrl = checked.url;
      if (sendsTokenInClear(serverUrl)) {
        const proceed = await confirmModal(
          `${serverLabel(serverUrl)} uses plain http://`,
          'Your access token would travel unencrypted, readable by anyone on the network path. ' +
            'Use https:// unless this server is on a network you trust.',
          'Send It Over HTTP',
        );
        // Declining goes back to the address, to fix it.
        if (!proceed) return 'back';
      }
      return 'next';
    }),
    () => textStep({
      title: TITLE, step: 2, totalSteps: 2,
      prompt: `Access token for ${serverLabel(serverUrl)}: in Penpot, Your account → Settings → Integrations → Generate new token`,
      password: true,
      validate: validateAccessTokenInput,
    }, (value) => { token = value.trim(); }),
  ]);
  if (!completed) return CANCELLED;
  return completeSignIn(services, serverUrl, token);
}

export function registerSignIn(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(registerCommand(Command.signIn, async (options?: unknown): Promise<SignInResult> => {
    if (isOptions<SignInOptions>(options) && typeof options.token === 'string') {
      const checked = normalizeServerUrl(options.serverUrl ?? services.account.serverUrl);
      if ('error' in checked) return { ok: false, message: checked.error };
      const problem = validateAccessTokenInput(options.token);
      if (problem) return { ok: false, message: problem };
      return completeSignIn(services, checked.url, options.token.trim());
    }
    return signInInteractively(services);
  }));
}
