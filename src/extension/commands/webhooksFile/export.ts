import * as vscode from 'vscode';
import { DEFAULT_WEBHOOKS_FILE, serializeWebhooksDocument } from '../../../gitops/webhooksFile';
import { exportWebhooks } from '../../../gitops/webhooksPlan';
import { errorMessage } from '../../../common/errors';
import { CANCELLED, failure, isOptions, NOT_SIGNED_IN, requireSignedIn, type CommandResult, type Services } from '../../services';
import { plural } from '../../../common/words';
import { Command } from '../../registry';
import { registerCommand } from '../../common/commands';

const COMPONENT = 'webhooksFile.export';

export interface ExportWebhooksOptions {
  /** Where to write; asked with a save dialog when absent. */
  uri?: string | vscode.Uri;
  /** One team (id or name) instead of all. */
  team?: string;
}

async function targetUri(options: ExportWebhooksOptions): Promise<vscode.Uri | undefined> {
  if (options.uri instanceof vscode.Uri) return options.uri;
  if (typeof options.uri === 'string') return vscode.Uri.file(options.uri);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return vscode.window.showSaveDialog({
    title: 'Export Penpot webhooks to',
    defaultUri: folder ? vscode.Uri.joinPath(folder, DEFAULT_WEBHOOKS_FILE) : undefined,
    filters: { 'Penpot webhooks file': ['json'] },
    saveLabel: 'Export',
  });
}

/** The "$schema" of the file being replaced, so a re-export keeps it. */
async function existingSchema(uri: vscode.Uri): Promise<string | undefined> {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
    const schema = (value as { $schema?: unknown } | null)?.$schema;
    return typeof schema === 'string' ? schema : undefined;
  } catch {
    return undefined;
  }
}

export function registerExportWebhooksFile(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(registerCommand(Command.exportWebhooksFile, async (arg?: unknown): Promise<CommandResult<{ uri: string; teams: number; webhooks: number }>> => {
    const account = requireSignedIn(services, COMPONENT);
    if (!account) return NOT_SIGNED_IN;
    const options: ExportWebhooksOptions = arg instanceof vscode.Uri ? { uri: arg } : isOptions<ExportWebhooksOptions>(arg) ? arg : {};
    const uri = await targetUri(options);
    if (!uri) return CANCELLED;
    let exported;
    try {
      exported = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Exporting Penpot webhooks…' },
        () => exportWebhooks(account.api, { team: options.team }));
    } catch (error) {
      return failure(services, COMPONENT, `Could not export the webhooks: ${errorMessage(error)}`);
    }
    const schema = await existingSchema(uri);
    if (schema !== undefined) exported.document.$schema = schema;
    const text = serializeWebhooksDocument(exported.document);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    for (const note of exported.notes) services.log.warn(COMPONENT, note);
    const webhooks = exported.document.teams.reduce((sum, team) => sum + team.webhooks.length, 0);
    await vscode.window.showTextDocument(uri, { preview: false });
    void vscode.window.setStatusBarMessage(`$(cloud-download) Exported ${plural(webhooks, 'webhook')} of ${plural(exported.document.teams.length, 'team')}`, 5000);
    return { ok: true, uri: uri.toString(), teams: exported.document.teams.length, webhooks };
  }));
}
