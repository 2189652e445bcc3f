import * as vscode from 'vscode';
import { formatPlanText, planToJson } from '../../../gitops/webhooksPlan';
import type { CommandResult, Services } from '../../services';
import { isPlanned, optionsOf, planFile } from './shared';
import { plural } from '../../../common/words';
import { Command } from '../../registry';
import { registerCommand } from '../../common/commands';

const COMPONENT = 'webhooksFile.plan';
export const PLAN_SCHEME = 'penpot-webhooks-plan';

/** The plan documents: read-only, virtual, one per webhooks file, rewritten by each plan. */
class PlanDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'Run "Penpot: Plan Webhooks from File" again to see the plan.\n';
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The plan as text beside the file, in the `diff` language so the + (create) and - (delete) lines are coloured. */
export function registerPlanWebhooksFile(context: vscode.ExtensionContext, services: Services): void {
  const documents = new PlanDocuments();
  context.subscriptions.push(documents, vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, documents));
  context.subscriptions.push(registerCommand(Command.planWebhooksFile, async (arg?: unknown): Promise<CommandResult<{ text: string; plan: object }>> => {
    const options = optionsOf(arg);
    const planned = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Planning webhooks…' }, () => planFile(services, COMPONENT, options));
    if (!isPlanned(planned)) return planned;
    const { uri, plan } = planned;
    const header = `# Plan of ${plan.file} against ${plan.server}${plan.prune ? ' (with prune)' : ''}.\n` +
      '# Nothing has been changed: "Penpot: Apply Webhooks from File" applies it.\n\n';
    const text = header + formatPlanText(plan);
    const planUri = vscode.Uri.from({ scheme: PLAN_SCHEME, path: `${uri.path}.plan` });
    documents.set(planUri, text);
    const document = await vscode.workspace.openTextDocument(planUri);
    if (document.languageId !== 'diff') await vscode.languages.setTextDocumentLanguage(document, 'diff');
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    services.log.info(COMPONENT, `${plan.file}: ${plural(plan.changes.length, 'change')}, ${plural(plan.problems.length, 'problem')}`);
    return { ok: true, text, plan: planToJson(plan) };
  }));
}
