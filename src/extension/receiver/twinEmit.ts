// "Penpot: Emit Twin Event (demo)": when the configured server is the project's local Penpot twin, asks it to
// emit an event on a team (its /_twin/emit hook), so a demo can show a real delivery reaching the receiver.
// Shown only when the server is the twin: the context key is set after probing the twin's own route, and only
// loopback servers are probed (a real Penpot is never sent this request).
import * as vscode from 'vscode';
import { request } from 'undici';
import { findPenpotEvent, PENPOT_EVENTS } from '../../penpot/events';
import { isLoopbackHost } from '../../penpot/transport';
import { isPenpotDeliverySuccess } from '../../penpot/types';
import { setContext } from '../common/contextKeys';
import { pickStep, runSteps, type Step } from '../common/quickInput';
import { CANCELLED, failure, NOT_SIGNED_IN, requireSignedIn, type CommandResult, type Services } from '../services';
import { errorMessage } from '../../common/errors';
import { plural } from '../../common/words';
import { Command, ContextKey } from '../registry';
import { registerCommand } from '../common/commands';

const COMPONENT = 'twin.emit';
const TITLE = 'Emit Twin Event (demo)';
const PROBE_TIMEOUT_MS = 2000;

export interface EmitOptions {
  name?: string;
  teamId?: string;
}

/** One delivery as the twin reports it (src/twin/types.ts DeliveryResult). */
interface TwinDelivery {
  uri: string;
  status: number | null;
  failure?: string;
}

export type EmitResult = CommandResult<{ deliveries: TwinDelivery[] }>;

async function callTwin(serverUrl: string, path: string, body?: unknown, extraMs = 0): Promise<{ status: number; json: unknown }> {
  const timeout = body === undefined ? PROBE_TIMEOUT_MS : 30_000 + extraMs;
  const answer = await request(new URL(path, serverUrl), {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    headersTimeout: timeout,
    bodyTimeout: timeout,
  });
  const text = await answer.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: answer.statusCode, json };
}

export async function isTwin(serverUrl: string): Promise<boolean> {
  if (!isLoopbackHost(new URL(serverUrl).hostname)) return false;
  try {
    const { status, json } = await callTwin(serverUrl, '/_twin/deliveries');
    return status === 200 && Array.isArray(json);
  } catch {
    return false;
  }
}

async function emit(services: Services, options: EmitOptions): Promise<EmitResult> {
  const account = requireSignedIn(services, COMPONENT);
  if (!account) return NOT_SIGNED_IN;
  if (!(await isTwin(account.serverUrl))) {
    return failure(services, COMPONENT, `${account.serverUrl} is not the Penpot twin; this demo command only works against it (npm start -- --demo).`);
  }
  await services.teams.ensureLoaded();
  let teamId = options.teamId;
  let name = options.name;
  const total = (teamId ? 0 : 1) + (name ? 0 : 1);
  let step = 0;
  const steps: Step[] = [];
  if (!teamId) {
    const at = ++step;
    steps.push(() => {
      const items = services.teams.entries.map((e) => ({
        teamId: e.team.id, label: e.team.name,
        description: plural(e.webhooks?.filter((w) => w.isActive).length ?? 0, 'active webhook'),
      }));
      return pickStep({ title: TITLE, step: at, totalSteps: total, items, placeholder: 'Team the event happens in' }, (picked) => { teamId = picked.teamId; });
    });
  }
  if (!name) {
    const at = ++step;
    steps.push(() => {
      const items = PENPOT_EVENTS.map((e) => ({ name: e.name, label: e.name, detail: e.description }));
      return pickStep({ title: TITLE, step: at, totalSteps: total, items, placeholder: 'Event the twin emits' }, (picked) => { name = picked.name; });
    });
  }
  if (!(await runSteps(steps)) || !teamId || !name) return CANCELLED;
  let answer;
  try {
    // The twin answers once it delivered; a debounced event waits for Penpot's delay (scaled by the twin's option).
    answer = await callTwin(account.serverUrl, '/_twin/emit', { name, teamId }, findPenpotEvent(name)?.debounceMs ?? 0);
  } catch (error) {
    return failure(services, COMPONENT, `The twin could not be reached: ${errorMessage(error)}`);
  }
  if (answer.status !== 200 || !Array.isArray(answer.json)) {
    const reason = (answer.json as { error?: string } | undefined)?.error ?? `status ${answer.status}`;
    return failure(services, COMPONENT, `The twin did not emit ${name}: ${reason}`);
  }
  const deliveries = answer.json as TwinDelivery[];
  const delivered = deliveries.filter((d) => isPenpotDeliverySuccess(d.status)).length;
  const info = findPenpotEvent(name);
  const message = deliveries.length === 0
    ? `The twin emitted ${name}, but ${info?.reachesNobody && name === 'set-file-shared' ? 'Penpot delivers it to nobody when a file is published' : 'no active webhook was found for it'}.`
    : `The twin emitted ${name} and delivered it to ${delivered} of ${plural(deliveries.length, 'webhook')}.`;
  services.log.info(COMPONENT, message);
  void vscode.window.showInformationMessage(message);
  return { ok: true, deliveries };
}

export function registerTwinEmit(context: vscode.ExtensionContext, services: Services): void {
  const update = async (): Promise<void> => {
    await setContext(ContextKey.serverIsTwin, await isTwin(services.account.serverUrl));
  };
  void update();
  context.subscriptions.push(
    services.account.onDidChange(() => void update()),
    registerCommand(Command.emitTwinEvent, (options?: EmitOptions) => emit(services, options ?? {})),
  );
}
