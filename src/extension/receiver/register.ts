// "Register Receiver as Team Webhook", and what Stop offers for those webhooks. Penpot must reach the receiver:
// since 2.15 its SSRF guard refuses loopback and private addresses unless the host is in PENPOT_SSRF_ALLOWED_HOSTS
// (§3.6), and it checks the URL with a HEAD before saving (§0.4), so the receiver is started first.
import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import * as vscode from 'vscode';
import { isLoopbackHost } from '../../penpot/transport';
import type { WebhookFormat } from '../../penpot/types';
import { remoteReachAdvice } from '../../receiver/tunnel';
import { formatItems, pickStep, runSteps, textStep, type Step, type StepOutcome } from '../common/quickInput';
import { MTYPE_BY_FORMAT } from '../../penpot/types';
import {
  CANCELLED, failure, NOT_SIGNED_IN, requireSignedIn, type CommandResult, type Services,
} from '../services';
import type { Registration } from './receiverService';
import { checkHttpUrl, hostAndPort, isPrivateTarget, RECEIVER_SECTION, webhookUrlFor } from './settings';
import { errorMessage } from '../../common/errors';
import { itOrThem } from '../../common/words';
import { Command } from '../registry';
import { deleteWebhook } from '../commands/webhooks/delete';
import { disableWebhook } from '../commands/webhooks/toggle';
import { ViewerPanel } from '../viewer/viewerPanel';
import { executeCommand } from '../common/commands';
import { teamItems } from '../commands/webhooks/create';

const COMPONENT = 'receiver.register';
const TITLE = 'Register Receiver as Team Webhook';
/** How Penpot in Docker reaches the machine that runs it. */
const DOCKER_HOST = 'host.docker.internal';

export interface RegisterOptions {
  teamId?: string;
  format?: WebhookFormat;
  /** Skip the reachability question and give Penpot the local URL (self-hosted Penpot with the allow-list). */
  useLocalUrl?: boolean;
}

export type RegisterResult = CommandResult<{ webhookId: string; url: string }>;

type Reach = 'start-tunnel' | 'tunnel' | 'self-hosted' | 'local';

interface ReachItem extends vscode.QuickPickItem {
  reach?: Reach;
}

/**
 * The reachability question. The explanation lives in the pick itself: a first row says why Penpot refuses the
 * local URL (choosing it just shows the pick again), then the two ways out, then the allow-list escape hatch.
 */
function reachItems(localUrl: string, serverIsLocal: boolean, remoteAdvice: string | undefined): { items: ReachItem[]; active: ReachItem } {
  const port = new URL(localUrl).port;
  const why: ReachItem = {
    label: `$(info) Penpot refuses loopback URLs such as ${hostAndPort(localUrl)}`,
    detail: 'Its SSRF guard (Penpot 2.15+) only delivers to public addresses, or to hosts the server lists in PENPOT_SSRF_ALLOWED_HOSTS.',
  };
  const startTunnel: ReachItem = {
    reach: 'start-tunnel',
    label: '$(rocket) Start a public tunnel now (cloudflared or ngrok)',
    detail: 'Runs the tool installed on this machine for the receiver\'s port and uses its URL while it runs.',
  };
  const tunnel: ReachItem = {
    reach: 'tunnel',
    label: '$(globe) Use a tunnel or a public forwarded port…',
    detail: `ngrok http ${port}, cloudflared tunnel --url http://localhost:${port}, or a public VS Code port: enter the public https URL it gives you (saved as penpot.receiver.publicUrl).`,
  };
  const selfHosted: ReachItem = {
    reach: 'self-hosted',
    label: '$(server-environment) Self-hosted Penpot: bind to an address the Penpot server reaches…',
    detail: `E.g. Penpot in Docker reaches this machine as ${DOCKER_HOST}: the receiver then listens on all interfaces, and the Penpot server must list that host in PENPOT_SSRF_ALLOWED_HOSTS.`,
  };
  const local: ReachItem = {
    reach: 'local',
    label: '$(warning) Use the local URL anyway (self-hosted Penpot with PENPOT_SSRF_ALLOWED_HOSTS)',
    detail: 'Works when Penpot runs on this machine and its PENPOT_SSRF_ALLOWED_HOSTS lists localhost / 127.0.0.1 (the demo twin does).',
  };
  const separator = (label: string): ReachItem => ({ label, kind: vscode.QuickPickItemKind.Separator });
  // A remote window: the receiver runs on the remote machine, and a forwarded port reaches only this computer.
  const remote: ReachItem[] = remoteAdvice ? [{ label: '$(remote) This window is remote: the receiver runs on the remote machine', detail: remoteAdvice }] : [];
  const items = [why, ...remote, separator('ways out'), startTunnel, tunnel, selfHosted, separator('allow-listed'), local];
  return { items, active: serverIsLocal ? local : startTunnel };
}

const FORMAT_ITEMS = formatItems({
  json: 'Pretty-printed, camelCase keys',
  transit: 'Penpot\'s own format, decoded by the viewer with its type tags',
});

async function configure(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(RECEIVER_SECTION).update(key, value, vscode.ConfigurationTarget.Global);
}

export async function registerAsWebhook(services: Services, options: RegisterOptions = {}): Promise<RegisterResult> {
  const { receiver } = services;
  const account = requireSignedIn(services, COMPONENT);
  if (!account) return NOT_SIGNED_IN;
  let running;
  try {
    running = await receiver.start();
  } catch (error) {
    return failure(services, COMPONENT, `The receiver could not start: ${errorMessage(error)}`);
  }
  await services.teams.ensureLoaded();
  const teams = services.teams.entries;
  if (teams.length === 0) return failure(services, COMPONENT, 'No Penpot teams are loaded; refresh the Teams view and try again.');

  let url = receiver.webhookUrl ?? running.url;
  let entry = options.teamId ? services.teams.findTeam(options.teamId) : undefined;
  if (options.teamId && !entry) return failure(services, COMPONENT, `No team with id ${options.teamId} among your Penpot teams.`);
  let format = options.format;
  const askReach = !receiver.settings.publicUrl && !options.useLocalUrl;
  const steps: Step[] = [];
  const total = (askReach ? 1 : 0) + (entry ? 0 : 1) + (format ? 0 : 1);
  let step = 0;

  if (askReach) {
    const at = ++step;
    steps.push(() => {
      const serverIsLocal = isLoopbackHost(new URL(account.serverUrl).hostname);
      const remoteAdvice = remoteReachAdvice({ remoteName: vscode.env.remoteName, tunnelRunning: false, externalUrl: receiver.status().externalUrl });
      const { items, active } = reachItems(running.url, serverIsLocal, remoteAdvice);
      return pickStep<ReachItem>({
        title: TITLE, step: at, totalSteps: total, items, active,
        placeholder: 'How will Penpot reach this receiver?',
      }, (picked) => {
        if (!picked.reach) return 'back';
        if (picked.reach === 'start-tunnel') {
          return (async (): Promise<StepOutcome> => {
            // The tunnel feature registers after this one; its command is the way in.
            const started = await executeCommand(Command.startTunnel);
            if (!started?.ok) return 'back';
            url = started.webhookUrl;
            return 'next';
          })();
        }
        if (picked.reach === 'local') {
          url = receiver.receiver?.url ?? running.url;
          return 'next';
        }
        if (picked.reach === 'tunnel') {
          return textStep({
            title: TITLE, step: at, totalSteps: total,
            prompt: `Public URL of your tunnel to ${hostAndPort(running.url)} (the receiver's /hooks/… path is added to it)`,
            placeholder: 'https://example.ngrok.app',
            validate: checkHttpUrl,
          }, async (typed) => {
            await configure('publicUrl', typed.trim());
            url = webhookUrlFor(running.url, typed.trim());
          });
        }
        return textStep({
          title: TITLE, step: at, totalSteps: total,
          prompt: 'Host name the Penpot server uses to reach this machine (add it to PENPOT_SSRF_ALLOWED_HOSTS on the Penpot server)',
          value: DOCKER_HOST,
          validate: (value) => (/^[A-Za-z0-9.-]+$/.test(value.trim()) ? undefined : 'Enter a host name, e.g. host.docker.internal'),
        }, async (host) => {
          // Listening beyond loopback is what lets the Penpot container in; the path secret still guards it.
          await configure('host', '0.0.0.0');
          const restarted = await receiver.restart();
          const publicUrl = `http://${host.trim()}:${restarted.port}`;
          await configure('publicUrl', publicUrl);
          url = webhookUrlFor(restarted.url, publicUrl);
        });
      });
    });
  }
  if (!entry) {
    const at = ++step;
    steps.push(() => {
      // The same pick as Create: a full team is marked, and cannot take another webhook.
      const items = teamItems(teams);
      return pickStep({ title: TITLE, step: at, totalSteps: total, items, placeholder: 'Team whose events the receiver gets' },
        (picked) => {
          if (picked.full) return 'back';
          entry = picked.entry;
          return undefined;
        });
    });
  }
  if (!format) {
    const at = ++step;
    steps.push(() => pickStep({ title: TITLE, step: at, totalSteps: total, items: FORMAT_ITEMS, placeholder: 'Payload format Penpot should send' },
      (picked) => { format = picked.format; }));
  }
  if (!(await runSteps(steps)) || !entry || !format) return CANCELLED;

  const team = entry.team;
  services.log.info(COMPONENT, `registering ${hostAndPort(url)} on ${team.name} (${format})`);
  // Created here rather than through penpot.webhook.create, so a registration shows exactly one notification.
  let webhookId: string;
  try {
    webhookId = (await account.api.createWebhook({ teamId: team.id, uri: url, mtype: MTYPE_BY_FORMAT[format], isActive: true })).id;
  } catch (error) {
    const message = errorMessage(error);
    return failure(services, COMPONENT, `Penpot did not create the webhook: ${message}${await adviceFor(url, account.serverUrl)}`);
  }
  await services.teams.refreshTeam(team.id);
  const registration: Registration = {
    serverUrl: account.serverUrl, teamId: team.id, teamName: team.name, webhookId,
    target: hostAndPort(url), format,
  };
  await receiver.addRegistration(registration);
  void vscode.window.showInformationMessage(
    `The receiver is now a webhook of ${team.name}: Penpot sends its events to ${hostAndPort(url)}.`, 'Open Viewer',
  ).then((choice) => { if (choice === 'Open Viewer') ViewerPanel.show(services); });
  return { ok: true, webhookId, url };
}

/** The advice that applies: DNS when the name does not resolve; SSRF only for a private target and a remote server. */
async function adviceFor(url: string, serverUrl: string): Promise<string> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (!isIP(host) && host !== 'localhost') {
    try {
      await dns.lookup(host);
    } catch {
      return ` The name ${host} does not resolve (DNS): check its spelling, or restart the tunnel and use its current URL.`;
    }
  }
  if (isPrivateTarget(url) && !isLoopbackHost(new URL(serverUrl).hostname)) {
    return ' Penpot refuses loopback and private addresses (its SSRF guard) unless its PENPOT_SSRF_ALLOWED_HOSTS lists the host: use a public tunnel for Penpot\'s cloud.';
  }
  return '';
}

export type WebhookChoice = 'keep' | 'deactivate' | 'delete';

interface ChoiceItem extends vscode.QuickPickItem {
  choice: WebhookChoice;
}

/**
 * The registrations of the signed-in server that still exist in Penpot (others are forgotten), for Stop to offer
 * deactivating or deleting them.
 */
export async function liveRegistrations(services: Services): Promise<Registration[]> {
  const { receiver } = services;
  const account = services.account.signedIn;
  if (!account) return [];
  const mine = receiver.registrations.filter((r) => r.serverUrl === account.serverUrl);
  if (mine.length === 0) return [];
  await services.teams.ensureLoaded();
  const gone = mine.filter((r) => !services.teams.findWebhook(r.webhookId));
  // Only forget webhooks when the teams really loaded (a failed load lists no webhooks at all).
  if (gone.length > 0 && services.teams.entries.some((e) => e.webhooks)) {
    await receiver.removeRegistrations(gone.map((r) => r.webhookId));
  }
  return mine.filter((r) => !gone.includes(r));
}

export async function askWebhookChoice(registrations: Registration[]): Promise<WebhookChoice | undefined> {
  const where = registrations.map((r) => r.teamName).join(', ');
  const n = registrations.length;
  const them = itOrThem(n);
  const webhooks = n === 1 ? 'webhook' : 'webhooks';
  const items: ChoiceItem[] = [
    { choice: 'deactivate', label: `$(debug-pause) Deactivate the ${webhooks}`, detail: `Penpot keeps ${them} but sends nothing; re-enable ${them} from the Teams view` },
    { choice: 'delete', label: `$(trash) Delete the ${webhooks}`, detail: `Removes ${them} from ${where}` },
    { choice: 'keep', label: `$(debug-stop) Just stop`, detail: `Penpot keeps delivering; after 3 deliveries in a row that cannot connect it switches the ${webhooks} off` },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Stop Webhook Receiver',
    placeHolder: `The receiver is registered as a webhook on ${where}. What should happen to ${them}?`,
  });
  return picked?.choice;
}

/** Deactivates or deletes the registered webhooks through the Teams commands (same checks and messages). */
export async function applyWebhookChoice(services: Services, registrations: Registration[], choice: WebhookChoice): Promise<string[]> {
  if (choice === 'keep') return [];
  const done: string[] = [];
  for (const registration of registrations) {
    const ref = { webhookId: registration.webhookId, confirm: true };
    const result = choice === 'delete' ? await deleteWebhook(services, ref) : await disableWebhook(services, ref);
    if (result.ok) done.push(registration.webhookId);
  }
  if (choice === 'delete') await services.receiver.removeRegistrations(done);
  return done;
}
