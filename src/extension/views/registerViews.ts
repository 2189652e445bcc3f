import type * as vscode from 'vscode';
import type { Account } from '../account/account';
import { CONTEXT_SIGNED_IN, CONTEXT_SIGNED_OUT, setContext } from '../common/contextKeys';
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
    void setContext(CONTEXT_SIGNED_IN, !!account.signedIn);
    void setContext(CONTEXT_SIGNED_OUT, !account.signedIn);
  };
  context.subscriptions.push(account.onDidChange(updateSignedIn));
  return { teams, tokens };
}
