// "Penpot: Start Public Tunnel" / "Stop Public Tunnel": cloudflared or ngrok for the receiver's port; its URL is the
// receiver's public URL while it runs, and the tool stops when the receiver stops.
import * as vscode from 'vscode';
import { remoteReachAdvice, startTunnel, TUNNEL_TOOLS, type Tunnel, type TunnelTool } from '../../receiver/tunnel';
import type { ReceiverService } from '../receiver/receiverService';
import { failure, type CommandResult, type Services } from '../services';
import { Command } from '../registry';
import { registerCommand } from '../common/commands';
import { registerAsWebhook } from '../receiver/register';
import { errorMessage } from '../../common/errors';

const COMPONENT = 'tunnel';

export class TunnelController implements vscode.Disposable {
  private tunnel: Tunnel | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly receiver: ReceiverService, private readonly services: Services) {
    this.subscription = receiver.onDidChangeStatus(() => {
      if (!receiver.running && this.tunnel) void this.stop();
    });
  }

  get current(): Tunnel | undefined {
    return this.tunnel;
  }

  async start(tool: TunnelTool): Promise<Tunnel> {
    await this.stop();
    const running = await this.receiver.start();
    const config = vscode.workspace.getConfiguration('penpot.tunnel');
    const executable = config.get<string>(tool === 'cloudflared' ? 'cloudflaredPath' : 'ngrokPath') || undefined;
    const tunnel = await startTunnel({ tool, port: running.port, host: running.host, executable });
    this.tunnel = tunnel;
    this.receiver.setTunnelUrl(tunnel.publicUrl);
    this.services.log.info(COMPONENT, `${tool} tunnel started: ${tunnel.publicUrl}`);
    void tunnel.exited.then(() => {
      if (this.tunnel !== tunnel) return;
      this.tunnel = undefined;
      this.receiver.setTunnelUrl(undefined);
      this.services.log.info(COMPONENT, `${tool} tunnel stopped`);
    });
    return tunnel;
  }

  async stop(): Promise<void> {
    const tunnel = this.tunnel;
    if (!tunnel) return;
    this.tunnel = undefined;
    this.receiver.setTunnelUrl(undefined);
    await tunnel.stop();
  }

  dispose(): void {
    this.subscription.dispose();
    void this.stop();
  }
}

export function registerTunnelCommands(context: vscode.ExtensionContext, services: Services, receiver: ReceiverService): TunnelController {
  const controller = new TunnelController(receiver, services);
  context.subscriptions.push(controller);
  context.subscriptions.push(registerCommand(Command.startTunnel, async (arg?: unknown): Promise<CommandResult<{ publicUrl: string; webhookUrl: string }>> => {
    let tool = typeof arg === 'string' && (TUNNEL_TOOLS as string[]).includes(arg) ? (arg as TunnelTool) : undefined;
    if (tool === undefined) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: 'cloudflared', tool: 'cloudflared' as const, detail: 'Cloudflare quick tunnel: no account needed; a new URL at every start' },
          { label: 'ngrok', tool: 'ngrok' as const, detail: 'Needs an ngrok account and its authtoken (ngrok config add-authtoken)' },
        ],
        { title: 'Start a public tunnel to the receiver', placeHolder: 'Which tool? It must be installed (PATH, or the penpot.tunnel.*Path setting).' },
      );
      if (!pick) return { ok: false, message: 'Cancelled', cancelled: true };
      tool = pick.tool;
    }
    try {
      const tunnel = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Starting ${tool}…` }, () => controller.start(tool));
      const webhookUrl = receiver.webhookUrl ?? tunnel.publicUrl;
      const advice = remoteReachAdvice({ remoteName: vscode.env.remoteName, tunnelRunning: true });
      const remote = advice ? ` ${advice}` : '';
      void vscode.window.showInformationMessage(`Public tunnel (${tool}) running: ${webhookUrl}. It stops when the receiver stops.${remote}`, 'Register Receiver', 'Copy URL').then((choice) => {
        if (choice === 'Register Receiver') void registerAsWebhook(services);
        if (choice === 'Copy URL') void vscode.env.clipboard.writeText(webhookUrl);
      });
      return { ok: true, publicUrl: tunnel.publicUrl, webhookUrl };
    } catch (error) {
      return failure(services, COMPONENT, errorMessage(error));
    }
  }));
  context.subscriptions.push(registerCommand(Command.stopTunnel, async (): Promise<CommandResult> => {
    await controller.stop();
    return { ok: true };
  }));
  return controller;
}
