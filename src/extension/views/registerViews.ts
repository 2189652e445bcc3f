import type * as vscode from 'vscode';
import type { Account } from '../account/account';
import { setContext } from '../common/contextKeys';
import { ContextKey } from '../registry';
import type { PenpotLog } from '../common/log';
import { registerDecorations } from './decorations';
import { TeamsTreeProvider } from './teamsView';
import { TokensTreeProvider } from './tokensView';

/** The Teams and Access Tokens views of the "Penpot" container, and the context keys their welcome views read. */
export function registerViews(context: vscode.ExtensionContext, account: Account, log: PenpotLog) {
  const teams = new TeamsTreeProvider(account, log);
  const tokens = new TokensTreeProvider(account, log);
  context.subscriptions.push(teams, tokens);
  teams.createView();
  tokens.createView();
  registerDecorations(context);
  // Both keys stay unset until the account's first load fires onDidChange: no welcome view flashes meanwhile.
  const updateSignedIn = () => {
    void setContext(ContextKey.signedIn, !!account.signedIn);
    void setContext(ContextKey.signedOut, !account.signedIn);
  };
  context.subscriptions.push(account.onDidChange(updateSignedIn));
  return { teams, tokens };
}
