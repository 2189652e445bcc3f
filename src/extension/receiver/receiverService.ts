// Owns the receiver in this window: the persisted event store (under globalStorageUri), the URL secret (in
// SecretStorage), the running HTTP listener, and the webhooks it was registered as. Views, the status bar and the
// viewer listen to its two events instead of to the store, so they survive the store being reopened.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  EventStore, generateReceiverSecret, isValidReceiverSecret, startReceiver, type Receiver, type StoreChange,
} from '../../receiver';
import { errorMessage } from '../../common/errors';
import { Disposable } from '../common/lifecycle';
import type { PenpotLog } from '../common/log';
import type { ReceiverStatusView } from '../viewer/protocol';
import {
  hostAndPort, parseReceiverSettings, RECEIVER_SECTION, RESTART_SETTINGS, shouldAutoStart, webhookUrlFor, type ReceiverSettings,
} from './settings';
import { plural } from '../../common/words';
import { secretOfReceiverUrl } from '../../receiver/identity';

const SECRET_KEY = 'penpot.receiver.secret';
const REGISTRATIONS_KEY = 'penpot.receiver.registrations';
/** globalState: the workspaces whose window left the receiver running (workspace URIs only, no secret). */
const RUNNING_IN_KEY = 'penpot.receiver.runningIn';
const COMPONENT = 'receiver';

/** This window's workspace, stable across reloads ('' for a window without a folder). */
function workspaceKey(): string {
  return (vscode.workspace.workspaceFile ?? vscode.workspace.workspaceFolders?.[0]?.uri)?.toString() ?? '';
}

/** A Penpot webhook created by "Register Receiver as Team Webhook" (ids only; the token stays in the account). */
export interface Registration {
  serverUrl: string;
  teamId: string;
  teamName: string;
  webhookId: string;
  /** Host and port Penpot was given, for display. */
  target: string;
  format: 'json' | 'transit';
}

/**
 * True when the webhook points at another host and port than the receiver's URL now (port 0 gives a new port on
 * every start; the host, port or public URL setting may have changed): Penpot's deliveries no longer arrive.
 */
export function pointsElsewhere(registration: Registration, webhookUrl: string): boolean {
  return registration.target !== hostAndPort(webhookUrl);
}

/** Store changes plus 'reset' when the store was reopened (every listener should reload everything). */
export type ReceiverEventsChange = StoreChange | { kind: 'reset' };

export function readReceiverSettings(): ReceiverSettings {
  const config = vscode.workspace.getConfiguration(RECEIVER_SECTION);
  return parseReceiverSettings((key) => config.get(key));
}

export class ReceiverService extends Disposable {
  private readonly statusEmitter = this.register(new vscode.EventEmitter<void>());
  private readonly eventsEmitter = this.register(new vscode.EventEmitter<ReceiverEventsChange>());
  /** Running state, URLs, settings or registrations changed. */
  readonly onDidChangeStatus = this.statusEmitter.event;
  /** The stored events changed. */
  readonly onDidChangeEvents = this.eventsEmitter.event;

  private storeValue: EventStore | undefined;
  private storeSubscription: { dispose(): void } | undefined;
  private receiverValue: Receiver | undefined;
  private externalUrlValue: string | undefined;
  private starting: Promise<Receiver> | undefined;
  private lastError: string | undefined;
  private settingsValue = readReceiverSettings();

  constructor(private readonly context: vscode.ExtensionContext, private readonly log: PenpotLog) {
    super();
    this.register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(RECEIVER_SECTION)) this.onSettingsChanged();
    }));
    this.register({ dispose: () => void this.shutdown() });
  }

  get settings(): ReceiverSettings {
    return this.settingsValue;
  }

  get receiver(): Receiver | undefined {
    return this.receiverValue;
  }

  get running(): boolean {
    return this.receiverValue !== undefined;
  }

  /** The event store, opened on first use (the viewer can show stored events while the receiver is stopped). */
  get store(): EventStore {
    if (!this.storeValue) this.openStore();
    return this.storeValue!;
  }

  /** The URL to give Penpot (under the public URL when set), or undefined while stopped. */
  get webhookUrl(): string | undefined {
    return this.receiverValue ? webhookUrlFor(this.receiverValue.url, this.tunnelUrlValue ?? this.settingsValue.publicUrl) : undefined;
  }

  /** A running tunnel's public base URL (src/extension/tunnel): it wins over the publicUrl setting while it runs. */
  private tunnelUrlValue: string | undefined;
  setTunnelUrl(url: string | undefined): void {
    this.tunnelUrlValue = url;
    this.statusEmitter.fire();
  }

  /**
   * The secret of the receiver's `/hooks/<secret>` URL, also while it is stopped (so the view can find the webhooks
   * pointing at it); undefined before the receiver ever started here. Never creates one.
   */
  async hooksSecret(): Promise<string | undefined> {
    if (this.receiverValue) return secretOfReceiverUrl(this.receiverValue.url);
    const stored = await this.context.secrets.get(SECRET_KEY);
    return stored && isValidReceiverSecret(stored) ? stored : undefined;
  }

  get registrations(): Registration[] {
    return this.context.globalState.get<Registration[]>(REGISTRATIONS_KEY, []);
  }

  async addRegistration(registration: Registration): Promise<void> {
    await this.context.globalState.update(REGISTRATIONS_KEY, [...this.registrations, registration]);
    this.statusEmitter.fire();
  }

  async removeRegistrations(webhookIds: string[]): Promise<void> {
    await this.context.globalState.update(REGISTRATIONS_KEY, this.registrations.filter((r) => !webhookIds.includes(r.webhookId)));
    this.statusEmitter.fire();
  }

  status(): ReceiverStatusView {
    const receiver = this.receiverValue;
    return {
      running: receiver !== undefined,
      localUrl: receiver?.url,
      externalUrl: this.externalUrlValue,
      publicUrl: this.settingsValue.publicUrl,
      forwardUrl: receiver ? receiver.forwardTo : this.settingsValue.forwardUrl,
      eventCount: this.storeValue?.size ?? 0,
      maxEvents: this.settingsValue.maxEvents,
      responseStatus: receiver?.status ?? this.settingsValue.responseStatus,
      error: this.lastError,
    };
  }

  /** Starts listening (or returns the running receiver). Rejects with a readable message. */
  start(): Promise<Receiver> {
    if (this.receiverValue) return Promise.resolve(this.receiverValue);
    this.starting ??= this.doStart().finally(() => { this.starting = undefined; });
    return this.starting;
  }

  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const receiver = this.receiverValue;
    if (!receiver) return;
    this.receiverValue = undefined;
    this.externalUrlValue = undefined;
    // Stopped on purpose: the next window of this workspace leaves it stopped. (Closing or reloading the window
    // goes through shutdown(), which keeps the mark, so the receiver comes back with the window.)
    await this.rememberRunning(false);
    await receiver.close();
    this.log.info(COMPONENT, 'stopped');
    this.statusEmitter.fire();
  }

  /**
   * Starts the receiver as the extension activates when `penpot.receiver.autoStart` says so. Never rejects and
   * shows no pop-up: a failure goes to the log and to the Receiver view (`status().error`), like any start failure.
   */
  private async autoStart(): Promise<void> {
    const mode = this.settingsValue.autoStart;
    if (this.receiverValue || !shouldAutoStart(mode, this.wasRunningHere())) return;
    this.log.info(COMPONENT, mode === 'always'
      ? 'starting (penpot.receiver.autoStart is "always")'
      : 'starting again: it was running when this window last closed (penpot.receiver.autoStart)');
    try {
      await this.start();
    } catch {
      return; // doStart logged it and the views show it
    }
    const webhookUrl = this.webhookUrl;
    if (!webhookUrl) return;
    const moved = this.registrations.filter((r) => pointsElsewhere(r, webhookUrl));
    if (moved.length > 0) {
      this.log.warn(COMPONENT, `now listening at ${hostAndPort(webhookUrl)}, but ${plural(moved.length, 'registered webhook')} ${moved.length === 1 ? 'points' : 'point'} at `
        + `${[...new Set(moved.map((r) => r.target))].join(', ')}: register the receiver again so Penpot's deliveries arrive`);
    }
  }

  /**
   * Runs autoStart() in a later task. Called as activate() returns, so opening the store and listening never add
   * to the extension's activation time.
   */
  scheduleAutoStart(): void {
    const timer = setTimeout(() => void this.autoStart(), 0);
    this.register({ dispose: () => clearTimeout(timer) });
  }

  private wasRunningHere(): boolean {
    return this.context.globalState.get<string[]>(RUNNING_IN_KEY, []).includes(workspaceKey());
  }

  private async rememberRunning(running: boolean): Promise<void> {
    const key = workspaceKey();
    const others = this.context.globalState.get<string[]>(RUNNING_IN_KEY, []).filter((k) => k !== key);
    try {
      await this.context.globalState.update(RUNNING_IN_KEY, running ? [...others, key] : others);
    } catch (error) {
      // Only the restart with the next window is lost; the receiver itself is fine.
      this.log.warn(COMPONENT, `could not remember whether the receiver runs: ${errorMessage(error)}`);
    }
  }

  async restart(): Promise<Receiver> {
    await this.stop();
    this.reopenStoreIfChanged();
    return this.start();
  }

  /** Empties the store. */
  clear(): void {
    this.store.clear();
  }

  private async doStart(): Promise<Receiver> {
    const settings = (this.settingsValue = readReceiverSettings());
    const store = this.store;
    try {
      const receiver = await startReceiver({
        secret: await this.secret(),
        host: settings.host,
        port: settings.port,
        status: settings.responseStatus,
        maxBodyBytes: settings.maxBodyBytes,
        store,
        forwardTo: settings.forwardUrl,
      });
      this.receiverValue = receiver;
      this.lastError = undefined;
      await this.rememberRunning(true);
      this.externalUrlValue = await this.externalUrl(receiver.url);
      this.log.info(COMPONENT, `listening on ${receiver.host}:${receiver.port}${settings.forwardUrl ? `, forwarding to ${settings.forwardUrl}` : ''}`);
      if (!['127.0.0.1', '::1', 'localhost'].includes(settings.host)) {
        this.log.warn(COMPONENT, `bound to ${settings.host}: reachable from other machines; only the URL's secret keeps strangers out`);
      }
      this.statusEmitter.fire();
      return receiver;
    } catch (error) {
      this.lastError = errorMessage(error);
      this.log.error(COMPONENT, `could not start: ${this.lastError}`);
      this.statusEmitter.fire();
      throw error;
    }
  }

  /** In remote windows the receiver runs next to the extension host; this is the address a local browser can open. */
  private async externalUrl(localUrl: string): Promise<string | undefined> {
    try {
      return (await vscode.env.asExternalUri(vscode.Uri.parse(localUrl))).toString(true);
    } catch (error) {
      this.log.warn(COMPONENT, `asExternalUri failed: ${errorMessage(error)}`);
      return undefined;
    }
  }

  private async secret(): Promise<string> {
    const stored = await this.context.secrets.get(SECRET_KEY);
    if (stored && isValidReceiverSecret(stored)) return stored;
    const fresh = generateReceiverSecret();
    await this.context.secrets.store(SECRET_KEY, fresh);
    return fresh;
  }

  private storeFile(): string | undefined {
    const dir = this.context.globalStorageUri;
    if (dir.scheme !== 'file') return undefined;
    return path.join(dir.fsPath, 'receiver', 'events.jsonl');
  }

  private openedCapacity = 0;

  private openStore(): void {
    const capacity = this.settingsValue.maxEvents;
    const file = this.storeFile();
    const onError = (error: Error): void => {
      this.log.warn(COMPONENT, error.message);
      void vscode.window.showWarningMessage(error.message);
    };
    let store: EventStore;
    try {
      if (file) fs.mkdirSync(path.dirname(file), { recursive: true });
      store = EventStore.open({ capacity, file, onError });
    } catch (error) {
      onError(new Error(`${errorMessage(error)}. Events are kept in memory only this session.`));
      store = EventStore.open({ capacity, onError });
    }
    this.storeValue = store;
    this.openedCapacity = capacity;
    // Only onDidChangeEvents here: a burst of 10,000 events must not mean 10,000 status refreshes (the views and
    // the status bar read the count when they redraw, debounced).
    this.storeSubscription = store.onDidChange((change) => this.eventsEmitter.fire(change));
  }

  /** A new maxEvents applies by reopening the store (it loads the file again with the new capacity). */
  private reopenStoreIfChanged(): void {
    if (!this.storeValue || this.receiverValue || this.openedCapacity === this.settingsValue.maxEvents) return;
    this.storeSubscription?.dispose();
    this.storeValue.close();
    this.storeValue = undefined;
    this.openStore();
    this.eventsEmitter.fire({ kind: 'reset' });
    this.statusEmitter.fire();
  }

  private onSettingsChanged(): void {
    const before = this.settingsValue;
    const after = (this.settingsValue = readReceiverSettings());
    const receiver = this.receiverValue;
    if (receiver) {
      try {
        receiver.status = after.responseStatus;
        receiver.forwardTo = after.forwardUrl;
      } catch (error) {
        void vscode.window.showErrorMessage(`Penpot receiver: ${errorMessage(error)}`);
      }
      if (RESTART_SETTINGS.some((key) => before[key] !== after[key])) {
        void vscode.window.showInformationMessage('Restart the webhook receiver to apply the new settings.', 'Restart')
          .then((choice) => { if (choice === 'Restart') void this.restart().catch(() => undefined); });
      }
    } else {
      this.reopenStoreIfChanged();
    }
    this.statusEmitter.fire();
  }

  private async shutdown(): Promise<void> {
    const receiver = this.receiverValue;
    this.receiverValue = undefined;
    await receiver?.close();
    this.storeSubscription?.dispose();
    this.storeValue?.close();
  }
}
