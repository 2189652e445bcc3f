import type * as vscode from 'vscode';
import { registerAccount } from './account/registerAccount';
import { registerCatalog } from './catalog/register';
import { registerAccountActions } from './commands/accountActions';
import { registerRefresh } from './commands/refresh';
import { registerShowLog } from './commands/showLog';
import { registerSignIn, signInInteractively } from './commands/signIn';
import { registerSignOut } from './commands/signOut';
import { registerCreateToken } from './commands/tokens/create';
import { registerDeleteToken } from './commands/tokens/delete';
import { registerCopyWebhookUrl } from './commands/webhooks/copyUrl';
import { registerCreateWebhook } from './commands/webhooks/create';
import { registerDeleteWebhook } from './commands/webhooks/delete';
import { registerEditWebhook } from './commands/webhooks/edit';
import { registerReenableWebhook, registerToggleWebhook } from './commands/webhooks/toggle';
import { registerWebhooksFile } from './commands/webhooksFile/register';
import { PenpotLog } from './common/log';
import type { Services } from './services';
import { registerReceiver } from './receiver/registerReceiver';
import { ReceiverService } from './receiver/receiverService';
import { registerStatusBar } from './statusBar';
import { createTestApi, registerBenchCommands, type PenpotIntegrationsApi } from './testApi';
import { registerViews } from './views/registerViews';
import { registerDoctorCommands } from './doctor/doctorCommands';
import { registerTunnelCommands } from './tunnel/tunnelCommands';

export type { PenpotIntegrationsApi } from './testApi';

// Thin entry point: each feature registers itself from its own module.
export function activate(context: vscode.ExtensionContext): PenpotIntegrationsApi {
  const started = performance.now();
  const log = new PenpotLog();
  context.subscriptions.push(log);
  const accountFeature = registerAccount(context, log);
  const { account } = accountFeature;
  const { teams, tokens } = registerViews(context, account, log);
  const receiverService = new ReceiverService(context, log);
  context.subscriptions.push(receiverService);
  const services: Services = { context, log, account, teams, tokens, receiver: receiverService };

  registerSignIn(context, services);
  registerSignOut(context, services);
  registerRefresh(context, services);
  registerAccountActions(context, services);
  registerShowLog(context, services);
  registerCreateWebhook(context, services);
  registerEditWebhook(context, services);
  registerToggleWebhook(context, services);
  registerReenableWebhook(context, services);
  registerCopyWebhookUrl(context, services);
  registerDeleteWebhook(context, services);
  registerWebhooksFile(context, services);
  registerCreateToken(context, services);
  registerDeleteToken(context, services);
  registerStatusBar(context, services);
  const receiverView = registerReceiver(services);
  const tunnels = registerTunnelCommands(context, services, receiverService);
  registerDoctorCommands(context, services, receiverService, tunnels);
  registerCatalog(context, services);
  registerBenchCommands(services);
  accountFeature.registerProvider(async () => {
    const result = await signInInteractively(services);
    return result.ok ? result.serverUrl : undefined;
  });

  // Reading the stored session goes through SecretStorage; activation does not wait for it.
  const accountLoaded = account.reload();
  receiverService.scheduleAutoStart();
  return createTestApi(services, receiverView, performance.now() - started, accountLoaded);
}

export function deactivate(): void {
  // Everything disposable is owned by context.subscriptions.
}
