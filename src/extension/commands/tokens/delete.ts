import * as vscode from 'vscode';
import { serverLabel } from '../../presentation';
import {
  CANCELLED, failure, isOptions, NOT_SIGNED_IN, requireSignedIn, type CommandResult, type Services,
} from '../../services';
import { confirmModal } from '../../common/confirm';
import { errorMessage } from '../../../common/errors';
import { TokenNode } from '../../views/nodes';
import { isPenpotError } from '../../../penpot/errors';
import { Command } from '../../registry';
import { registerCommand } from '../../common/commands';

/** `{ confirm: true }` skips the confirmation; only code can pass it. */
export interface DeleteTokenOptions {
  tokenId: string;
  confirm?: boolean;
}

const COMPONENT = 'token.delete';

export function registerDeleteToken(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(registerCommand(Command.deleteToken, async (arg?: unknown): Promise<CommandResult<{ signedOut: boolean }>> => {
    const account = requireSignedIn(services, COMPONENT);
    if (!account) return NOT_SIGNED_IN;
    let tokenId: string | undefined;
    if (arg instanceof TokenNode) tokenId = arg.token.id;
    else if (isOptions<DeleteTokenOptions>(arg) && typeof arg.tokenId === 'string') tokenId = arg.tokenId;
    if (!tokenId) return failure(services, COMPONENT, 'Choose a token in the Access Tokens view of the Penpot sidebar.');
    await services.tokens.ensureLoaded();
    const token = services.tokens.findToken(tokenId);
    if (!token) return failure(services, COMPONENT, 'That access token is not in your list any more; refresh the Access Tokens view.');
    // Penpot cannot say which token a request used; the extension knows it only for tokens it created and signed in with.
    const isSessionToken = token.id === account.tokenId;
    const confirmed = isOptions<DeleteTokenOptions>(arg) && arg.confirm === true;
    if (!confirmed) {
      const accept = isSessionToken ? 'Delete Token and Sign Out' : 'Delete Token';
      const detail = isSessionToken
        ? `VS Code is signed in to ${serverLabel(account.serverUrl)} with this token: deleting it signs you out here. ` +
          'Anything else using it stops working too. This cannot be undone.'
        : 'Anything using this token stops working at once. This cannot be undone.';
      if (!(await confirmModal(`Delete the access token "${token.name}"?`, detail, accept))) return CANCELLED;
    }
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Deleting the access token "${token.name}"…` },
        () => account.api.deleteAccessToken(token.id),
      );
    } catch (error) {
      return failure(services, COMPONENT, `Could not delete the access token: ${errorMessage(error)}`);
    }
    services.log.info(COMPONENT, `deleted access token ${token.id} ("${token.name}")`);
    if (isSessionToken || !(await stillAccepted(services))) {
      await services.account.signOut(account.serverUrl);
      void vscode.window.showInformationMessage(`Access token "${token.name}" deleted; you are signed out of Penpot.`);
      return { ok: true, signedOut: true };
    }
    await services.tokens.refresh();
    void vscode.window.setStatusBarMessage(`$(trash) Access token "${token.name}" deleted`, 5000);
    return { ok: true, signedOut: false };
  }));
}

/**
 * Whether Penpot still accepts this window's token. A token signed in with elsewhere can be the one just deleted;
 * Penpot only shows it afterwards, by answering with the anonymous profile (§3.12).
 */
async function stillAccepted(services: Services): Promise<boolean> {
  const account = services.account.signedIn;
  if (!account) return false;
  try {
    await account.api.getProfile();
    return true;
  } catch (error) {
    return !(isPenpotError(error) && error.kind === 'unauthenticated');
  }
}
