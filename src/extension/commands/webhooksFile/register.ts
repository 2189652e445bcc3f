import type * as vscode from 'vscode';
import type { Services } from '../../services';
import { registerApplyWebhooksFile } from './apply';
import { registerWebhooksFileCodeLens } from './codeLens';
import { registerExportWebhooksFile } from './export';
import { registerPlanWebhooksFile } from './plan';

/** Webhooks as code: export, plan and apply a webhooks file, and the code lens on such files. */
export function registerWebhooksFile(context: vscode.ExtensionContext, services: Services): void {
  registerExportWebhooksFile(context, services);
  registerPlanWebhooksFile(context, services);
  registerApplyWebhooksFile(context, services);
  registerWebhooksFileCodeLens(context, services);
}
