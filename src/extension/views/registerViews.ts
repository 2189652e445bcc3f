import * as vscode from 'vscode';
import type { Account } from '../account/account';
import { CONTEXT_SIGNED_IN, setContext } from '../common/contextKeys';
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
  const updateSignedIn = () => void setContext(CONTEXT_SIGNED_IN, !!account.signedIn);
  updateSignedIn();
  context.subscriptions.push(account.onDidChange(updateSignedIn));
  return { teams, tokens };
}
