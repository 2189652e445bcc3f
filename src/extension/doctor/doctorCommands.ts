// "Penpot: Check Webhook Setup" (a Markdown report, each fix with a command link) and "Penpot: Send Test Event
// Through Penpot" (on a webhook row, or from the report). The checks and the test delivery are in src/penpot/.
import * as vscode from 'vscode';
import { runDoctor, type DoctorCheck } from '../../penpot/doctor';
import { sendTestDelivery, type TestDeliveryReport } from '../../penpot/testDelivery';
import type { ReceivedEvent } from '../../receiver';
import { secretOfReceiverUrl } from '../../receiver/identity';
import type { ReceiverService } from '../receiver/receiverService';
import { failure, isOptions, requireSignedIn, NOT_SIGNED_IN, type CommandResult, type Services } from '../services';
import { WebhookNode } from '../views/nodes';
import { Command, isCommandId } from '../registry';
import { executeCommand, registerCommand } from '../common/commands';
import { ViewerPanel } from '../viewer/viewerPanel';
import { errorMessage } from '../../common/errors';
import { formatDateTime } from '../../receiver/format';

const COMPONENT = 'doctor';
const ICON: Record<DoctorCheck['status'], string> = { ok: '✅', warn: '⚠️', fail: '❌', skip: '➖' };

/** The report as Markdown; fixes become command links (the preview is opened with command links enabled). */
export function doctorMarkdown(serverUrl: string, checks: readonly DoctorCheck[]): string {
  const lines = [`# Penpot webhook setup`, '', `Server: ${serverUrl} — checked ${formatDateTime(new Date().toISOString(), vscode.env.language)}`, ''];
  for (const check of checks) {
    lines.push(`## ${ICON[check.status]} ${check.title} — ${check.status}`, '', check.detail, '');
    if (check.fix && check.status !== 'ok') lines.push(`**Fix:** ${check.fix}`, '');
    if (check.action?.command) lines.push(`[${check.action.label}](command:${check.action.command})`, '');
  }
  return lines.join('\n');
}

export function registerDoctorCommands(context: vscode.ExtensionContext, services: Services, receiver: ReceiverService): void {
  context.subscriptions.push(registerCommand(Command.doctor, async (): Promise<CommandResult<{ checks: DoctorCheck[]; document: vscode.TextDocument }>> => {
    const account = services.account.signedIn;
    const localReceiverUrl = receiver.receiver?.url;
    const publicUrl = receiver.webhookUrl;
    const checks = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Checking the webhook setup…' }, () =>
      runDoctor({
        serverUrl: services.account.serverUrl, api: account?.api, localReceiverUrl,
        publicReceiverUrl: publicUrl !== localReceiverUrl ? publicUrl : undefined,
      }));
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: doctorMarkdown(services.account.serverUrl, checks) });
    await vscode.window.showTextDocument(document, { preview: true });
    void vscode.commands.executeCommand('markdown.showPreviewToSide', document.uri).then(undefined, () => undefined);
    const failed = checks.filter((c) => c.status === 'fail');
    const first = failed.find((c) => c.action?.command);
    const summary = failed.length === 0 ? 'Webhook setup: no check failed.' : `Webhook setup: ${failed.length} check${failed.length === 1 ? '' : 's'} failed (${failed.map((c) => c.title).join(', ')}).`;
    const show = failed.length === 0 ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    void show(summary, ...(first?.action ? [first.action.label] : [])).then((choice) => {
      if (choice && first?.action?.command && isCommandId(first.action.command)) void executeCommand(first.action.command);
    });
    services.log.info(COMPONENT, checks.map((c) => `${c.id}=${c.status}`).join(' '));
    return { ok: true, checks, document };
  }));

  context.subscriptions.push(registerCommand(Command.sendTestEvent, async (arg?: unknown): Promise<CommandResult<{ report: TestDeliveryReport }>> => {
    const account = requireSignedIn(services, COMPONENT);
    if (!account) return NOT_SIGNED_IN;
    let found = arg instanceof WebhookNode ? { webhook: { ...arg.webhook, teamId: arg.webhook.teamId ?? arg.team.id } } : undefined;
    if (!found && isOptions<{ webhookId: string }>(arg) && typeof arg.webhookId === 'string') {
      const hit = services.teams.findWebhook(arg.webhookId);
      if (hit) found = { webhook: { ...hit.webhook, teamId: hit.webhook.teamId ?? hit.entry.team.id } };
    }
    if (!found) return failure(services, COMPONENT, 'Choose a webhook in the Teams view of the Penpot sidebar.');
    const { webhook } = found;
    const running = receiver.receiver;
    const ours = running !== undefined && secretOfReceiverUrl(webhook.uri) === secretOfReceiverUrl(running.url);
    const timeoutMs = (isOptions<{ timeoutS: number }>(arg) && typeof arg.timeoutS === 'number' ? arg.timeoutS : 15) * 1000;
    try {
      const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Test event through Penpot' }, (progress) =>
        sendTestDelivery(account.api, webhook, {
          timeoutMs,
          onProgress: (line) => {
            progress.report({ message: line });
            services.log.info(COMPONENT, line);
          },
          waitForEvent: ours ? (projectId, signal) => arrivalOf(running, projectId, signal) : undefined,
        }));
      services.log.info(COMPONENT, report.verdict);
      const text = `${report.done} ${report.verdict}`;
      if (report.ok) void vscode.window.showInformationMessage(text, ...(ours ? ['Open Viewer'] : [])).then((c) => {
        if (c === 'Open Viewer') ViewerPanel.show(services);
      });
      else void vscode.window.showWarningMessage(text);
      return { ok: true, report };
    } catch (error) {
      return failure(services, COMPONENT, `The test project could not be created, nothing was changed: ${errorMessage(error)}`);
    }
  }));
}

/** The arrival time of the create-project event for this project id at the receiver, or null when aborted. */
function arrivalOf(receiver: { onEvent(listener: (event: ReceivedEvent) => void): { dispose(): void } }, projectId: string, signal: AbortSignal): Promise<number | null> {
  return new Promise((resolve) => {
    const subscription = receiver.onEvent((event) => {
      if (event.summary.eventName !== 'create-project') return;
      // The id is in the bytes as text in JSON and in Transit (`~u…`).
      if (!Buffer.from(event.bodyBase64, 'base64').toString('utf8').includes(projectId)) return;
      subscription.dispose();
      resolve(performance.now());
    });
    signal.addEventListener('abort', () => { subscription.dispose(); resolve(null); }, { once: true });
  });
}
