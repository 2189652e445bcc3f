// "Penpot: Check Webhook Setup" (a report in a webview panel, each fix a button) and "Penpot: Send Test Event
// Through Penpot" (on a webhook row, or from the report). The checks and the test delivery are in src/penpot/.
import * as vscode from 'vscode';
import { runDoctor, type DoctorCheck } from '../../penpot/doctor';
import { sendTestDelivery, type TestDeliveryReport } from '../../penpot/testDelivery';
import type { ReceivedEvent } from '../../receiver';
import { secretOfReceiverUrl } from '../../receiver/identity';
import { remoteReachAdvice } from '../../receiver/tunnel';
import type { ReceiverService } from '../receiver/receiverService';
import { failure, isOptions, requireSignedIn, NOT_SIGNED_IN, type CommandResult, type Services } from '../services';
import type { TunnelController } from '../tunnel/tunnelCommands';
import type { Webhook } from '../../penpot/types';
import { WebhookNode } from '../views/nodes';
import { DoctorPanel } from './doctorPanel';
import { Command } from '../registry';
import { registerCommand } from '../common/commands';
import { ViewerPanel } from '../viewer/viewerPanel';
import { errorMessage } from '../../common/errors';

const COMPONENT = 'doctor';

export function registerDoctorCommands(context: vscode.ExtensionContext, services: Services, receiver: ReceiverService, tunnels?: TunnelController): void {
  const run = async (): Promise<{ serverUrl: string; checks: DoctorCheck[] }> => {
    const localReceiverUrl = receiver.receiver?.url;
    const publicUrl = receiver.webhookUrl;
    const serverUrl = services.account.serverUrl;
    const checks = await runDoctor({
      serverUrl, api: services.account.signedIn?.api, localReceiverUrl,
      publicReceiverUrl: publicUrl !== localReceiverUrl ? publicUrl : undefined,
      receiverExpected: true,
      remoteAdvice: remoteReachAdvice({ remoteName: vscode.env.remoteName, tunnelRunning: tunnels?.current !== undefined, externalUrl: receiver.status().externalUrl }),
    });
    return { serverUrl, checks };
  };

  const panelDeps = { context, log: services.log, run };
  context.subscriptions.push(DoctorPanel.registerSerializer(panelDeps));
  context.subscriptions.push(registerCommand(Command.doctor, async (): Promise<CommandResult<{ checks: DoctorCheck[]; markdown: string }>> => {
    try {
      const { checks } = await DoctorPanel.show(panelDeps);
      return { ok: true, checks, markdown: DoctorPanel.markdown ?? '' };
    } catch (error) {
      return failure(services, COMPONENT, `The webhook setup could not be checked: ${errorMessage(error)}`);
    }
  }));

  context.subscriptions.push(registerCommand(Command.sendTestEvent, async (arg?: unknown): Promise<CommandResult<{ report: TestDeliveryReport }>> => {
    const account = requireSignedIn(services, COMPONENT);
    if (!account) return NOT_SIGNED_IN;
    let found: { webhook: Webhook; teamName?: string } | undefined = arg instanceof WebhookNode
      ? { webhook: { ...arg.webhook, teamId: arg.webhook.teamId ?? arg.team.id }, teamName: arg.team.name }
      : undefined;
    if (!found && isOptions<{ webhookId: string; teamId: string }>(arg) && typeof arg.webhookId === 'string') {
      const hit = services.teams.findWebhook(arg.webhookId);
      if (hit) found = { webhook: { ...hit.webhook, teamId: hit.webhook.teamId ?? hit.entry.team.id }, teamName: hit.entry.team.name };
      else if (typeof arg.teamId === 'string') {
        // From the doctor report: the Teams view may not have loaded that team's webhooks yet.
        const teamId = arg.teamId;
        const webhook = (await account.api.getWebhooks(teamId).catch(() => [])).find((w) => w.id === arg.webhookId);
        if (webhook) found = { webhook: { ...webhook, teamId: webhook.teamId ?? teamId }, teamName: services.teams.findTeam(teamId)?.team.name };
      }
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
          teamName: found.teamName,
          onProgress: (line) => {
            progress.report({ message: line });
            services.log.info(COMPONENT, line);
          },
          waitForEvent: ours ? (projectId, signal) => arrivalOf(running, projectId, signal) : undefined,
        }));
      services.log.info(COMPONENT, report.verdict);
      // The verdict (with the latency) first: a notification shows its start when it is long.
      const text = `${report.verdict} ${report.done}`;
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
