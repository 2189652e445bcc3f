// One place for the names package.json and the code share: every command id with what it takes and returns, every
// context key the `when` clauses read, and the view ids. test/unit/extension/registry.test.ts checks package.json
// against it both ways. Type-only imports, so the unit test can load it without VS Code.
import type * as vscode from 'vscode';
import type { DoctorCheck } from '../penpot/doctor';
import type { GenerateTypesOptions, GenerateTypesResult } from './catalog/generateTypes';
import type { TestDeliveryReport } from '../penpot/testDelivery';
import type { TunnelTool } from '../receiver/tunnel';
import type { ForwardResult } from '../receiver/types';
import type { SignInOptions, SignInResult } from './commands/signIn';
import type { CreateTokenOptions, CreateTokenResult } from './commands/tokens/create';
import type { DeleteTokenOptions } from './commands/tokens/delete';
import type { CreateWebhookOptions, CreateWebhookResult } from './commands/webhooks/create';
import type { DeleteWebhookOptions } from './commands/webhooks/delete';
import type { EditWebhookOptions, WebhookResult } from './commands/webhooks/edit';
import type { WebhookRef } from './commands/webhooks/shared';
import type { ToggleWebhookOptions } from './commands/webhooks/toggle';
import type { ApplyOutcome } from './commands/webhooksFile/apply';
import type { ExportWebhooksOptions } from './commands/webhooksFile/export';
import type { WebhooksFileOptions } from './commands/webhooksFile/shared';
import type { ForwardOptions, OpenOptions, StopOptions } from './receiver/commands';
import type { ExportOptions, ReplayOptions } from './receiver/eventActions';
import type { RegisterOptions, RegisterResult } from './receiver/register';
import type { EventNode } from './receiver/receiverNodes';
import type { SimulateCommandResult, SimulateOptions } from './receiver/simulate';
import type { EmitOptions, EmitResult } from './receiver/twinEmit';
import type { CommandResult } from './services';
import type { TeamNode, TokenNode, WebhookNode } from './views/nodes';

/** Every command the extension contributes (package.json `contributes.commands`), by a name for the code. */
export const Command = {
  signIn: 'penpot.signIn',
  signOut: 'penpot.signOut',
  refresh: 'penpot.refresh',
  accountActions: 'penpot.accountActions',
  showLog: 'penpot.showLog',
  createWebhook: 'penpot.webhook.create',
  editWebhook: 'penpot.webhook.edit',
  toggleWebhook: 'penpot.webhook.toggle',
  enableWebhook: 'penpot.webhook.enable',
  disableWebhook: 'penpot.webhook.disable',
  reenableWebhook: 'penpot.webhook.reenable',
  copyWebhookUrl: 'penpot.webhook.copyUrl',
  deleteWebhook: 'penpot.webhook.delete',
  sendTestEvent: 'penpot.webhook.sendTestEvent',
  exportWebhooksFile: 'penpot.webhooksFile.export',
  planWebhooksFile: 'penpot.webhooksFile.plan',
  applyWebhooksFile: 'penpot.webhooksFile.apply',
  createToken: 'penpot.token.create',
  deleteToken: 'penpot.token.delete',
  startReceiver: 'penpot.receiver.start',
  stopReceiver: 'penpot.receiver.stop',
  openViewer: 'penpot.receiver.open',
  copyReceiverUrl: 'penpot.receiver.copyUrl',
  registerReceiver: 'penpot.receiver.register',
  setForwardTarget: 'penpot.receiver.forward',
  replayEvent: 'penpot.receiver.replay',
  simulateEvent: 'penpot.receiver.simulate',
  exportEvents: 'penpot.receiver.export',
  clearEvents: 'penpot.receiver.clear',
  startTunnel: 'penpot.receiver.startTunnel',
  stopTunnel: 'penpot.receiver.stopTunnel',
  emitTwinEvent: 'penpot.twin.emit',
  doctor: 'penpot.doctor',
  browseEvents: 'penpot.events.browse',
  generateTypes: 'penpot.events.generateTypes',
  /** The benchmark's baseline panel (viewer/barePanel.ts): registered, and in the palette, outside production only. */
  openBareWebview: 'penpot.bench.openBareWebview',
} as const;

export type CommandId = (typeof Command)[keyof typeof Command];

const COMMAND_IDS: ReadonlySet<string> = new Set(Object.values(Command));

/** For ids that come from data (a doctor check's fix): true when the extension registers that command. */
export function isCommandId(id: string): id is CommandId {
  return COMMAND_IDS.has(id);
}

type Webhook<Options = WebhookRef> = WebhookNode | Options;
type FileArg<Options> = vscode.Uri | Options;

/**
 * What each command takes and resolves to. Handlers may accept `unknown` and check it (menus pass tree nodes, code
 * passes options); callers get these types through `executeCommand` in common/commands.ts.
 */
export interface CommandSignatures {
  [Command.signIn]: (options?: SignInOptions) => Promise<SignInResult>;
  [Command.signOut]: (options?: { serverUrl: string }) => Promise<CommandResult>;
  [Command.refresh]: () => Promise<CommandResult>;
  [Command.accountActions]: () => Promise<void>;
  [Command.showLog]: () => void;
  [Command.createWebhook]: (arg?: TeamNode | Partial<CreateWebhookOptions>) => Promise<CreateWebhookResult>;
  [Command.editWebhook]: (arg?: Webhook<EditWebhookOptions>) => Promise<WebhookResult>;
  [Command.toggleWebhook]: (arg?: Webhook<ToggleWebhookOptions>) => Promise<WebhookResult>;
  [Command.enableWebhook]: (arg?: Webhook) => Promise<WebhookResult>;
  [Command.disableWebhook]: (arg?: Webhook) => Promise<WebhookResult>;
  [Command.reenableWebhook]: (arg?: Webhook) => Promise<WebhookResult>;
  [Command.copyWebhookUrl]: (arg?: Webhook) => Promise<CommandResult<{ uri: string }>>;
  [Command.deleteWebhook]: (arg?: Webhook<DeleteWebhookOptions>) => Promise<CommandResult>;
  [Command.sendTestEvent]: (arg?: Webhook<WebhookRef & { timeoutS?: number }>) => Promise<CommandResult<{ report: TestDeliveryReport }>>;
  [Command.exportWebhooksFile]: (arg?: FileArg<ExportWebhooksOptions>) => Promise<CommandResult<{ uri: string; teams: number; webhooks: number }>>;
  [Command.planWebhooksFile]: (arg?: FileArg<WebhooksFileOptions>) => Promise<CommandResult<{ text: string; plan: object }>>;
  [Command.applyWebhooksFile]: (arg?: FileArg<WebhooksFileOptions>) => Promise<CommandResult<ApplyOutcome>>;
  [Command.createToken]: (options?: CreateTokenOptions) => Promise<CreateTokenResult>;
  [Command.deleteToken]: (arg?: TokenNode | DeleteTokenOptions) => Promise<CommandResult<{ signedOut: boolean }>>;
  [Command.startReceiver]: () => Promise<CommandResult<{ url: string; port: number }>>;
  [Command.stopReceiver]: (options?: StopOptions) => Promise<CommandResult<{ webhooksChanged: string[] }>>;
  [Command.openViewer]: (options?: OpenOptions) => CommandResult;
  [Command.copyReceiverUrl]: () => Promise<CommandResult<{ url: string }>>;
  [Command.registerReceiver]: (options?: RegisterOptions) => Promise<RegisterResult>;
  [Command.setForwardTarget]: (options?: ForwardOptions) => Promise<CommandResult<{ forwardUrl: string | null }>>;
  [Command.replayEvent]: (arg?: EventNode | ReplayOptions) => Promise<CommandResult<{ result: ForwardResult }>>;
  [Command.simulateEvent]: (options?: SimulateOptions) => Promise<SimulateCommandResult>;
  [Command.exportEvents]: (options?: ExportOptions) => Promise<CommandResult<{ count: number; path: string }>>;
  [Command.clearEvents]: (options?: { confirm: boolean }) => Promise<CommandResult>;
  [Command.startTunnel]: (tool?: TunnelTool) => Promise<CommandResult<{ publicUrl: string; webhookUrl: string }>>;
  [Command.stopTunnel]: () => Promise<CommandResult>;
  [Command.emitTwinEvent]: (options?: EmitOptions) => Promise<EmitResult>;
  [Command.doctor]: () => Promise<CommandResult<{ checks: DoctorCheck[]; markdown: string }>>;
  [Command.browseEvents]: (event?: string | { event: string }) => { ok: true };
  [Command.generateTypes]: (arg?: vscode.Uri | GenerateTypesOptions) => Promise<GenerateTypesResult>;
  [Command.openBareWebview]: () => void;
}

// Compile-time completeness, both ways: a command id without a signature, or a signature without an id, fails here.
type Missing = Exclude<CommandId, keyof CommandSignatures>;
type Unknown = Exclude<keyof CommandSignatures, CommandId>;
export const REGISTRY_IS_COMPLETE: [Missing, Unknown] extends [never, never] ? true : { missing: Missing; unknown: Unknown } = true;

export type CommandArgs<K extends CommandId> = Parameters<CommandSignatures[K]>;
export type CommandReturn<K extends CommandId> = Awaited<ReturnType<CommandSignatures[K]>>;

/**
 * Context keys the package.json `when` clauses and welcome views read. Views, welcome views and menus depend on them
 * staying true to the state (a stale key is the "stuck at Sign in" bug of other extensions), so every change sets them.
 */
export const ContextKey = {
  signedIn: 'penpot.signedIn',
  /** Set once the stored session has been read, so the signed-out welcome does not flash while activation reads it. */
  signedOut: 'penpot.signedOut',
  teamsUnreachable: 'penpot.teams.unreachable',
  /** Signed in, loaded, and a member of no team. */
  teamsEmpty: 'penpot.teams.empty',
  tokensUnreachable: 'penpot.tokens.unreachable',
  /** True while the receiver listens: switches Start/Stop in the palette and the Receiver view's title. */
  receiverRunning: 'penpot.receiver.running',
  /** The configured server is the project's Penpot twin (shows the demo's Emit command). */
  serverIsTwin: 'penpot.serverIsTwin',
  /** The extension runs under the tests or the bench (not installed from a .vsix): shows the bench-only commands. */
  benchCommands: 'penpot.benchCommands',
} as const;

export type ContextKeyName = (typeof ContextKey)[keyof typeof ContextKey];

/** The views of the "Penpot" container (package.json `contributes.views.penpot`). */
export const ViewId = {
  teams: 'penpot.teams',
  tokens: 'penpot.tokens',
  receiver: 'penpot.receiver',
} as const;

export type ViewIdName = (typeof ViewId)[keyof typeof ViewId];
