// "Simulate Webhook Event": one of Penpot's 24 events (§4.3) in Penpot's exact shape (§4.2), built by the same
// generator as the twin (src/penpot/events.ts), POSTed to the receiver or straight to the forward target.
import * as vscode from 'vscode';
import { PAYLOAD_SHAPE_INFO, PAYLOAD_SHAPES, shapeForVersion, type PayloadShape } from '../../penpot/catalog';
import { findPenpotEvent, PENPOT_EVENTS, type PenpotEventContext } from '../../penpot/events';
import type { WebhookFormat } from '../../penpot/types';
import { simulateEvent, type ForwardResult } from '../../receiver';
import { VERSION_OF_SHAPE } from '../catalog/catalogData';
import { formatItems, pickStep, runSteps, type Step } from '../common/quickInput';
import { CANCELLED, failure, type CommandResult, type Services } from '../services';
import { errorMessage } from '../../common/errors';
import { ViewerPanel } from '../viewer/viewerPanel';

const COMPONENT = 'receiver.simulate';
const TITLE = 'Simulate Webhook Event';

export interface SimulateOptions {
  name?: string;
  format?: WebhookFormat;
  /** Default: the receiver. */
  target?: 'receiver' | 'forward';
  /** The Penpot version whose payload shape is sent ("2.13", "2.17"); default: the penpot.simulate.penpotVersion setting. */
  penpotVersion?: string;
  /** Open the viewer on the new event (default true). */
  reveal?: boolean;
}

export type SimulateCommandResult = CommandResult<{ result: ForwardResult; eventId?: string }>;

interface EventItem extends vscode.QuickPickItem {
  name: string;
}

interface ShapeItem extends vscode.QuickPickItem {
  shape: PayloadShape;
}

/** The version setting: a version, or "ask" (also for anything unreadable, so a typo does not send the wrong shape silently). */
function versionSetting(): string {
  const text = vscode.workspace.getConfiguration('penpot.simulate').get<string>('penpotVersion', '2.17').trim();
  return text === '' || text.toLowerCase() === 'ask' || !shapeForVersion(text) ? 'ask' : text;
}

interface TargetItem extends vscode.QuickPickItem {
  target: 'receiver' | 'forward';
}

/** Ids of the signed-in profile and its default team, so a simulated event looks like one from this account. */
function eventContext(services: Services): PenpotEventContext {
  const account = services.account.signedIn;
  if (!account) return {};
  const team = services.teams.entries.find((e) => e.team.isDefault)?.team ?? services.teams.entries[0]?.team;
  return { profileId: account.profile.id, ...(team ? { teamId: team.id } : {}) };
}

export async function simulate(services: Services, options: SimulateOptions = {}): Promise<SimulateCommandResult> {
  const { receiver } = services;
  if (options.name !== undefined && !findPenpotEvent(options.name)) {
    return failure(services, COMPONENT, `Unknown Penpot event "${options.name}". Valid events: ${PENPOT_EVENTS.map((e) => e.name).join(', ')}.`);
  }
  if (options.format !== undefined && options.format !== 'json' && options.format !== 'transit') {
    return failure(services, COMPONENT, `Unknown format "${String(options.format)}"; use json or transit.`);
  }
  if (options.penpotVersion !== undefined && !shapeForVersion(options.penpotVersion)) {
    return failure(services, COMPONENT, `Unknown Penpot version "${options.penpotVersion}"; give one like 2.17 or 2.13 (2.0 or later).`);
  }
  let name = options.name;
  let format = options.format;
  // A call that names the event and format (scripts, tests) never stops to ask.
  const setting = versionSetting();
  const wanted = options.penpotVersion ?? (setting === 'ask' && options.name !== undefined && options.format !== undefined ? '2.17' : setting);
  let shape: PayloadShape | undefined = wanted === 'ask' ? undefined : shapeForVersion(wanted);
  const forwardUrl = receiver.receiver?.forwardTo ?? receiver.settings.forwardUrl;
  let target = options.target ?? (forwardUrl ? undefined : 'receiver');
  if (target === 'forward' && !forwardUrl) return failure(services, COMPONENT, 'No forward target is set (Penpot: Set Forward Target).');

  const steps: Step[] = [];
  const total = (name ? 0 : 1) + (format ? 0 : 1) + (shape ? 0 : 1) + (target ? 0 : 1);
  let step = 0;
  if (!name) {
    const at = ++step;
    steps.push(() => {
      const items: EventItem[] = PENPOT_EVENTS.map((e) => ({ name: e.name, label: e.name, description: `routed by ${e.routingKey}`, detail: e.description }));
      return pickStep({ title: TITLE, step: at, totalSteps: total, items, placeholder: 'Penpot event to simulate' }, (picked) => { name = picked.name; });
    });
  }
  if (!format) {
    const at = ++step;
    steps.push(() => pickStep({ title: TITLE, step: at, totalSteps: total, items: formatItems(), placeholder: 'Payload format' },
      (picked) => { format = picked.format; }));
  }
  if (!shape) {
    const at = ++step;
    steps.push(() => {
      const items: ShapeItem[] = PAYLOAD_SHAPES.map((s) => ({ shape: s, label: `Penpot ${s}`, detail: PAYLOAD_SHAPE_INFO[s].description }));
      return pickStep({ title: TITLE, step: at, totalSteps: total, items, placeholder: 'Payload shape of which Penpot version' }, (picked) => { shape = picked.shape; });
    });
  }
  if (!target) {
    const at = ++step;
    steps.push(() => {
      const items: TargetItem[] = [
        { target: 'receiver', label: '$(radio-tower) The receiver', detail: 'Shows up in the viewer (and is forwarded as usual)' },
        { target: 'forward', label: '$(arrow-right) The forward target directly', description: forwardUrl },
      ];
      return pickStep({ title: TITLE, step: at, totalSteps: total, items, placeholder: 'Send it to' }, (picked) => { target = picked.target; });
    });
  }
  if (!(await runSteps(steps)) || !name || !format || !target || !shape) return CANCELLED;

  const version = wanted !== 'ask' && shapeForVersion(wanted) === shape ? wanted : VERSION_OF_SHAPE[shape];
  const context: PenpotEventContext = { ...eventContext(services), shape, penpotVersion: /^\d+\.\d+$/.test(version) ? `${version}.0` : version };
  if (target === 'forward') {
    const { result } = await simulateEvent({ name, format, to: forwardUrl!, context });
    report(services, name, forwardUrl!, result);
    return { ok: true, result };
  }
  let running;
  try {
    running = await receiver.start();
  } catch (error) {
    return failure(services, COMPONENT, `The receiver could not start: ${errorMessage(error)}`);
  }
  const before = receiver.store.lastSeq;
  const { result } = await running.simulate({ name, format, context });
  report(services, name, 'the receiver', result);
  // The receiver stores before it answers, so the new event is already there.
  const stored = receiver.store.list().reverse().find((e) => e.seq > before && e.simulated && e.summary.eventName === name);
  if (stored && options.reveal !== false) ViewerPanel.show(services, stored.id);
  return { ok: true, result, ...(stored ? { eventId: stored.id } : {}) };
}

function report(services: Services, name: string, where: string, result: ForwardResult): void {
  const outcome = result.status !== undefined ? `answered ${result.status}` : `failed: ${result.error ?? 'no answer'}`;
  services.log.info(COMPONENT, `simulated ${name} to ${where}: ${outcome}`);
  if (result.status === undefined) void vscode.window.showWarningMessage(`Simulated ${name}: ${where} ${outcome}.`);
  else void vscode.window.setStatusBarMessage(`$(beaker) Simulated ${name}: ${where} ${outcome}`, 5000);
}
