import * as vscode from 'vscode';
import { DEFAULT_WEBHOOKS_FILE, WebhooksFileError, isWebhooksFileName, parseWebhooksFile } from '../../../gitops/webhooksFile';
import { planWebhooks, type WebhooksPlan } from '../../../gitops/webhooksPlan';
import type { SignedInAccount } from '../../account/account';
import { errorMessage } from '../../../common/errors';
import { CANCELLED, failure, isOptions, NOT_SIGNED_IN, requireSignedIn, type Failure, type Services } from '../../services';

/** What the file commands accept from code (tests, the code lens passes a Uri). */
export interface WebhooksFileOptions {
  /** The webhooks file: a path or a Uri. */
  uri?: string | vscode.Uri;
  /** Also delete the webhooks of listed teams that the file does not list. */
  prune?: boolean;
  /** Apply without the confirmation dialog; only code can pass it. */
  confirm?: boolean;
}

export const WEBHOOKS_FILE_GLOB = `**/{${DEFAULT_WEBHOOKS_FILE},*.${DEFAULT_WEBHOOKS_FILE}}`;

export function optionsOf(arg: unknown): WebhooksFileOptions {
  if (arg instanceof vscode.Uri) return { uri: arg };
  return isOptions<WebhooksFileOptions>(arg) ? arg : {};
}

function toUri(value: string | vscode.Uri): vscode.Uri {
  return typeof value === 'string' ? (/^[a-z][\w+.-]*:\/\//i.test(value) ? vscode.Uri.parse(value) : vscode.Uri.file(value)) : value;
}

/** The file a command works on: given, the active editor's, or the workspace's (asked when there are several). */
export async function chooseWebhooksFile(services: Services, component: string, options: WebhooksFileOptions): Promise<vscode.Uri | Failure> {
  if (options.uri) return toUri(options.uri);
  const active = vscode.window.activeTextEditor?.document;
  if (active && isWebhooksFileName(active.uri.path)) return active.uri;
  const found = await vscode.workspace.findFiles(WEBHOOKS_FILE_GLOB, '**/node_modules/**', 50);
  if (found.length === 1) return found[0];
  if (found.length === 0) {
    return failure(services, component,
      `No ${DEFAULT_WEBHOOKS_FILE} (or *.${DEFAULT_WEBHOOKS_FILE}) in this workspace: run "Penpot: Export Webhooks to File" to start one.`);
  }
  const picked = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: 'Which webhooks file?', placeHolder: 'Choose a webhooks file' },
  );
  return picked ? picked.uri : CANCELLED;
}

export interface PlannedFile {
  account: SignedInAccount;
  uri: vscode.Uri;
  plan: WebhooksPlan;
}

/**
 * Signs-in check, the file (saved first when it has unsaved edits, so what is planned is what is on disk and in
 * review), its checks, and the plan. Every failure is shown and returned.
 */
export async function planFile(services: Services, component: string, options: WebhooksFileOptions): Promise<PlannedFile | Failure> {
  const account = requireSignedIn(services, component);
  if (!account) return NOT_SIGNED_IN;
  const uri = await chooseWebhooksFile(services, component, options);
  if (!(uri instanceof vscode.Uri)) return uri;
  const open = vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === uri.toString());
  if (open?.isDirty) await open.save();
  const shownAs = vscode.workspace.asRelativePath(uri);
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (error) {
    return failure(services, component, `Cannot read ${shownAs}: ${errorMessage(error)}`);
  }
  try {
    const loaded = parseWebhooksFile(text, shownAs);
    const plan = await planWebhooks(account.api, loaded, { prune: options.prune === true, server: account.serverUrl });
    return { account, uri, plan };
  } catch (error) {
    if (error instanceof WebhooksFileError) return failure(services, component, `${shownAs} cannot be used: ${error.message}`);
    return failure(services, component, `Could not plan ${shownAs}: ${errorMessage(error)}`);
  }
}

export function isPlanned(value: PlannedFile | Failure): value is PlannedFile {
  return 'plan' in value;
}
