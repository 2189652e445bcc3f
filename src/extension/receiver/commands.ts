// The `penpot.receiver.*` commands. Each accepts an options object from code (tests, other commands) instead of
// prompting, and resolves to a CommandResult (services.ts).
import * as vscode from 'vscode';
import type { ReceivedEvent } from '../../receiver/types';
import { CANCELLED, failure, isOptions, type CommandResult, type Services } from '../services';
import { ViewerPanel } from '../viewer/viewerPanel';
import {
  clearEvents, eventTitle, exportEvents, replayStoredEvent, type ExportOptions, type ReplayOptions,
} from './eventActions';
import { applyWebhookChoice, askWebhookChoice, liveRegistrations, registerAsWebhook, type RegisterOptions, type WebhookChoice } from './register';
import { EventNode } from './receiverNodes';
import { checkHttpUrl, hostAndPort, RECEIVER_SECTION } from './settings';
import { simulate, type SimulateOptions } from './simulate';
import { errorMessage } from '../../common/errors';
import { formatTime } from '../../receiver/format';
import { Command } from '../registry';

export interface StopOptions {
  /** What to do with the webhooks the receiver is registered as; asked when absent. */
  webhooks?: WebhookChoice;
}

export interface ForwardOptions {
  /** The target URL; '' or null turns forwarding off. */
  url?: string | null;
}

export interface OpenOptions {
  revealId?: string;
}

async function start(services: Services): Promise<CommandResult<{ url: string; port: number }>> {
  const wasRunning = services.receiver.running;
  let receiver;
  try {
    receiver = await services.receiver.start();
  } catch (error) {
    return failure(services, 'receiver.start', `The webhook receiver could not start: ${errorMessage(error)}`);
  }
  if (!wasRunning) {
    void vscode.window.showInformationMessage(
      `Webhook receiver listening on ${hostAndPort(receiver.url)}. Register it as a team webhook, or copy its URL.`,
      'Register…', 'Copy URL', 'Open Viewer',
    ).then((choice) => {
      if (choice === 'Register…') void registerAsWebhook(services);
      if (choice === 'Copy URL') void copyUrl(services);
      if (choice === 'Open Viewer') ViewerPanel.show(services);
    });
  }
  return { ok: true, url: receiver.url, port: receiver.port };
}

async function stop(services: Services, options: StopOptions): Promise<CommandResult<{ webhooksChanged: string[] }>> {
  if (!services.receiver.running) return { ok: true, webhooksChanged: [] };
  const registrations = await liveRegistrations(services);
  let choice = options.webhooks;
  if (registrations.length > 0 && !choice) {
    choice = await askWebhookChoice(registrations);
    if (!choice) return CANCELLED;
  }
  await services.receiver.stop();
  const changed = registrations.length > 0 && choice ? await applyWebhookChoice(services, registrations, choice) : [];
  void vscode.window.setStatusBarMessage('$(debug-stop) Webhook receiver stopped', 4000);
  return { ok: true, webhooksChanged: changed };
}

async function copyUrl(services: Services): Promise<CommandResult<{ url: string }>> {
  try {
    await services.receiver.start();
  } catch (error) {
    return failure(services, 'receiver.copyUrl', `The webhook receiver could not start: ${errorMessage(error)}`);
  }
  const url = services.receiver.webhookUrl!;
  await vscode.env.clipboard.writeText(url);
  const external = services.receiver.status().externalUrl;
  const remoteNote = external && external !== services.receiver.receiver?.url ? ` (from this computer's browser: ${external})` : '';
  void vscode.window.setStatusBarMessage(`$(copy) Copied the receiver URL${remoteNote}`, 5000);
  return { ok: true, url };
}

async function setForward(services: Services, options: ForwardOptions): Promise<CommandResult<{ forwardUrl: string | null }>> {
  let url: string | null | undefined = options.url;
  if (url === undefined) {
    const typed = await vscode.window.showInputBox({
      title: 'Forward Webhook Events',
      prompt: 'Every received event is also sent, with its original bytes and content type, to this URL (your integration). Leave empty to stop forwarding.',
      value: services.receiver.settings.forwardUrl ?? 'http://localhost:3000/webhooks/penpot',
      validateInput: (value) => (value.trim() === '' ? undefined : checkHttpUrl(value)),
      ignoreFocusOut: true,
    });
    if (typed === undefined) return CANCELLED;
    url = typed;
  }
  const value = url?.trim() || null;
  if (value) {
    const problem = checkHttpUrl(value);
    if (problem) return failure(services, 'receiver.forward', `Cannot forward to ${value}: ${problem}.`);
  }
  // The setting is the source of truth; the running receiver picks the change up at once.
  await vscode.workspace.getConfiguration(RECEIVER_SECTION).update('forwardUrl', value ?? undefined, vscode.ConfigurationTarget.Global);
  void vscode.window.setStatusBarMessage(value ? `$(arrow-right) Forwarding webhook events to ${value}` : 'Forwarding turned off', 4000);
  return { ok: true, forwardUrl: value };
}

interface EventItem extends vscode.QuickPickItem {
  event: ReceivedEvent;
}

/** The event a command acts on: a tree node, `{ id }` from code, or a pick among the newest. */
async function chooseEvent(services: Services, arg: unknown, title: string): Promise<string | undefined> {
  if (arg instanceof EventNode) return arg.event.id;
  if (isOptions<{ id: string }>(arg) && typeof arg.id === 'string') return arg.id;
  const events = services.receiver.store.list().slice(-200).reverse();
  if (events.length === 0) {
    void vscode.window.showInformationMessage('No webhook events are stored yet.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick<EventItem>(events.map((event) => ({
    event, label: eventTitle(event), description: `${formatTime(event.receivedAt)} · ${event.format} · #${event.seq}`,
  })), { title, placeHolder: 'Event (newest first)' });
  return picked?.event.id;
}

export function registerReceiverCommands(services: Services): void {
  const { context } = services;
  const register = (id: string, handler: (arg?: unknown) => unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  };
  register(Command.startReceiver, () => start(services));
  register(Command.stopReceiver, (arg) => stop(services, isOptions<StopOptions>(arg) ? arg : {}));
  register(Command.openViewer, (arg) => {
    const revealId = isOptions<OpenOptions>(arg) && typeof arg.revealId === 'string' ? arg.revealId : undefined;
    ViewerPanel.show(services, revealId);
    return { ok: true };
  });
  register(Command.copyReceiverUrl, () => copyUrl(services));
  register(Command.registerReceiver, (arg) => registerAsWebhook(services, isOptions<RegisterOptions>(arg) ? arg : {}));
  register(Command.setForwardTarget, (arg) => setForward(services, isOptions<ForwardOptions>(arg) ? arg : {}));
  register(Command.simulateEvent, (arg) => simulate(services, isOptions<SimulateOptions>(arg) ? arg : {}));
  register(Command.replayEvent, async (arg) => {
    const id = await chooseEvent(services, arg, 'Replay Webhook Event');
    if (!id) return CANCELLED;
    const to = isOptions<ReplayOptions>(arg) && typeof arg.to === 'string' ? arg.to : undefined;
    return replayStoredEvent(services, { id, to });
  });
  register(Command.exportEvents, (arg) => exportEvents(services, isOptions<ExportOptions>(arg) ? arg : {}));
  register(Command.clearEvents, (arg) => clearEvents(services, isOptions<{ confirm: boolean }>(arg) && arg.confirm === true));
}
