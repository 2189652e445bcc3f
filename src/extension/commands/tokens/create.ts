import * as vscode from 'vscode';
import { isTokenExpiry } from '../../../penpot/client';
import type { CreatedAccessToken, TokenExpiry } from '../../../penpot/types';
import type { SignedInAccount } from '../../account/account';
import { pickStep, runSteps, textStep } from '../../common/quickInput';
import { formatDate } from '../../../receiver/format';
import { EXPIRY_CHOICES, serverLabel, validateTokenName, type ExpiryChoice } from '../../presentation';
import {
  CANCELLED, failure, isOptions, NOT_SIGNED_IN, requireSignedIn, type CommandResult, type Services,
} from '../../services';
import { errorMessage } from '../../../common/errors';
import { completeSignIn } from '../signIn';
import { Command } from '../../registry';
import { registerCommand } from '../../common/commands';

/**
 * `penpot.token.create` options from code. The new token is never returned to the caller: `then: 'signIn'` signs
 * in with it, `then: 'copy'` puts it on the clipboard, and without `then` it is shown to the user once.
 */
export interface CreateTokenOptions {
  name: string;
  expiry: TokenExpiry;
  then?: 'signIn' | 'copy';
}

export type CreateTokenResult = CommandResult<{ tokenId: string; name: string; expiresAt: string | null }>;

const COMPONENT = 'token.create';
const TITLE = 'Create Access Token';

interface ExpiryItem extends vscode.QuickPickItem {
  choice: ExpiryChoice;
}

async function askNameAndExpiry(): Promise<{ name: string; expiry: TokenExpiry } | undefined> {
  let name = '';
  let expiry: TokenExpiry = '30';
  const items: ExpiryItem[] = EXPIRY_CHOICES.map((choice) => ({ choice, label: choice.label }));
  const done = await runSteps([
    () => textStep({
      title: TITLE, step: 1, totalSteps: 2, value: name,
      prompt: 'Name of the token: what will use it (Penpot shows it in Settings → Integrations)',
      validate: validateTokenName,
    }, (value) => { name = value.trim(); }),
    () => pickStep({
      title: TITLE, step: 2, totalSteps: 2, placeholder: 'Expiration', items,
      active: items.find((i) => i.choice.expiry === expiry),
    }, (picked) => { expiry = picked.choice.expiry; }),
  ]);
  return done ? { name, expiry } : undefined;
}

function expiryNote(created: CreatedAccessToken): string {
  return created.expiresAt
    ? `The token will expire on ${formatDate(created.expiresAt, vscode.env.language)}.`
    : 'The token has no expiration date.';
}

/**
 * Shows the token once, in a modal (never a log, setting or webview): Penpot will not show it again (§0.9).
 * The value only lives in this closure until the dialogs close.
 */
async function presentOnce(services: Services, account: SignedInAccount, created: CreatedAccessToken): Promise<void> {
  const copy = { title: 'Copy' };
  const signIn = 'Sign In with This Token';
  // The token exists now: dismissing cancels nothing, so the dialog's own button says Close, not Cancel.
  const close = { title: 'Close', isCloseAffordance: true };
  const choice = await vscode.window.showInformationMessage(
    `Access token "${created.name}" created`,
    {
      modal: true,
      detail: `Copy it now: this unique token cannot be shown again.\n\n${created.token}\n\n${expiryNote(created)}`,
    },
    copy, { title: signIn }, close,
  );
  if (choice === copy) {
    await vscode.env.clipboard.writeText(created.token);
    const again = await vscode.window.showInformationMessage('Token copied to the clipboard.', signIn);
    if (again !== signIn) return;
  } else if (choice?.title !== signIn) {
    return;
  }
  await completeSignIn(services, account.serverUrl, created.token, created.id);
}

export function registerCreateToken(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(registerCommand(Command.createToken, async (arg?: unknown): Promise<CreateTokenResult> => {
    const account = requireSignedIn(services, COMPONENT);
    if (!account) return NOT_SIGNED_IN;
    const fromCode = isOptions<CreateTokenOptions>(arg) && arg.name !== undefined ? arg : undefined;
    let request: { name: string; expiry: TokenExpiry } | undefined;
    if (fromCode) {
      const expiry = String(fromCode.expiry ?? 'never');
      const problem = validateTokenName(String(fromCode.name)) ??
        (isTokenExpiry(expiry) ? undefined : `Unknown expiry "${expiry}"; use never, 30, 60, 90 or 180 (days).`);
      if (problem) return failure(services, COMPONENT, problem);
      request = { name: String(fromCode.name).trim(), expiry: expiry as TokenExpiry };
    } else {
      request = await askNameAndExpiry();
      if (!request) return CANCELLED;
    }
    let created: CreatedAccessToken;
    try {
      created = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Creating the access token "${request.name}"…` },
        () => account.api.createAccessToken(request.name, request.expiry),
      );
    } catch (error) {
      return failure(services, COMPONENT, `Could not create the access token: ${errorMessage(error)}`);
    }
    services.log.rememberSecret(created.token);
    services.log.info(COMPONENT, `created access token ${created.id} ("${created.name}") on ${serverLabel(account.serverUrl)}`);
    await services.tokens.refresh();
    const result: CreateTokenResult = { ok: true, tokenId: created.id, name: created.name, expiresAt: created.expiresAt };
    if (fromCode?.then === 'copy') await vscode.env.clipboard.writeText(created.token);
    else if (fromCode?.then === 'signIn') {
      const signedIn = await completeSignIn(services, account.serverUrl, created.token, created.id);
      if (!signedIn.ok) return signedIn;
    } else await presentOnce(services, account, created);
    return result;
  }));
}
