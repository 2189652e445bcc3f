import * as vscode from 'vscode';
import { PenpotClient } from '../../penpot/client';
import type { PenpotLog } from '../common/log';
import { formatRpcLine } from '../presentation';
import { Account } from './account';
import { AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, PenpotAuthenticationProvider, type InteractiveSignIn } from './authProvider';
import { SessionStore } from './sessionStore';

/** The session store, the account built on it, and the Accounts-menu provider. */
export function registerAccount(context: vscode.ExtensionContext, log: PenpotLog) {
  const store = new SessionStore(context.secrets);
  const clientVersion = String((context.extension.packageJSON as { version?: unknown }).version ?? 'dev');
  const account = new Account(store, (serverUrl, token) => new PenpotClient({
    baseUrl: serverUrl,
    token,
    clientVersion,
    log: (line) => {
      const text = formatRpcLine(line, serverUrl);
      if (line.error) log.warn('rpc', text);
      else log.info('rpc', text);
    },
  }), log);
  context.subscriptions.push(store, account);
  return {
    account,
    /** Registers the Accounts-menu provider once the interactive sign-in exists. */
    registerProvider(signInInteractively: InteractiveSignIn) {
      const provider = new PenpotAuthenticationProvider(store, signInInteractively);
      context.subscriptions.push(provider, vscode.authentication.registerAuthenticationProvider(
        AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, provider, { supportsMultipleAccounts: true },
      ));
    },
  };
}
