import * as vscode from 'vscode';
import { applyWebhooksPlan, describeChangeLine, planToJson, summarizePlan, type ApplyResult } from '../../../gitops/webhooksPlan';
import { errorMessage } from '../../../common/errors';
import { CANCELLED, failure, type CommandResult, type Services } from '../../services';
import { isPlanned, optionsOf, planFile, type PlannedFile } from './shared';
import { plural } from '../../../common/words';
import { Command } from '../../registry';
import { registerCommand } from '../../common/commands';

const COMPONENT = 'webhooksFile.apply';
/** Lines of changes the confirmation lists before "and N more". */
const MAX_LISTED = 15;

export interface ApplyOutcome {
  applied: number;
  failed: number;
  outcomes: { action: string; team: string; uri: string; ok: boolean; error?: string }[];
  plan: object;
}

function listChanges(planned: PlannedFile): string {
  const lines = planned.plan.changes.map(describeChangeLine);
  const shown = lines.slice(0, MAX_LISTED);
  if (lines.length > MAX_LISTED) shown.push(`… and ${lines.length - MAX_LISTED} more (see "Penpot: Plan Webhooks from File")`);
  return shown.join('\n');
}

/** Checks everything, asks (listing the changes), applies with progress, reports, refreshes the Teams view. */
export function registerApplyWebhooksFile(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(registerCommand(Command.applyWebhooksFile, async (arg?: unknown): Promise<CommandResult<ApplyOutcome>> => {
    const options = optionsOf(arg);
    let planned = await planFile(services, COMPONENT, options);
    if (!isPlanned(planned)) return planned;
    if (planned.plan.problems.length > 0) {
      return failure(services, COMPONENT, `${planned.plan.file} cannot be applied; nothing was changed:\n${planned.plan.problems.join('\n')}`);
    }
    const unlisted = planned.plan.prune ? 0 : planned.plan.unlisted.length;
    if (planned.plan.changes.length === 0 && unlisted === 0) {
      void vscode.window.showInformationMessage(`Penpot already matches ${planned.plan.file}.`);
      return { ok: true, applied: 0, failed: 0, outcomes: [], plan: planToJson(planned.plan) };
    }
    if (options.confirm !== true) {
      const apply = 'Apply';
      const applyAndPrune = `Apply and Delete ${unlisted} Unlisted`;
      const buttons = [...(planned.plan.changes.length > 0 ? [apply] : []), ...(unlisted > 0 ? [applyAndPrune] : [])];
      const detail = [
        planned.plan.changes.length > 0 ? listChanges(planned) : 'No changes to the webhooks the file lists.',
        ...(unlisted > 0 ? ['', `Not in the file (kept by "${apply}"):`, ...planned.plan.unlisted.map((h) => `${h.team.name}: ${h.uri}`)] : []),
      ].join('\n');
      const choice = await vscode.window.showWarningMessage(
        `Apply ${planned.plan.file} to ${planned.plan.server}? ${summarizePlan(planned.plan)}.`, { modal: true, detail }, ...buttons);
      if (choice === undefined) return CANCELLED;
      if (choice === applyAndPrune) {
        planned = await planFile(services, COMPONENT, { ...options, uri: planned.uri, prune: true });
        if (!isPlanned(planned)) return planned;
        if (planned.plan.problems.length > 0) {
          return failure(services, COMPONENT, `${planned.plan.file} cannot be applied; nothing was changed:\n${planned.plan.problems.join('\n')}`);
        }
      }
    }
    const { account, plan } = planned;
    let result: ApplyResult;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Applying ${plan.file}`, cancellable: false },
        (progress) => applyWebhooksPlan(account.api, plan, (done, total, change) =>
          progress.report({ message: `${done + 1}/${total}: ${change.action} ${change.uri}`, increment: done === 0 ? 0 : 100 / total })),
      );
    } catch (error) {
      return failure(services, COMPONENT, `Could not apply ${plan.file}: ${errorMessage(error)}`);
    } finally {
      await services.teams.refresh();
    }
    const outcomes = result.outcomes.map(({ change, ok, error }) => ({ action: change.action, team: change.team.name, uri: change.uri, ok, ...(error ? { error } : {}) }));
    for (const outcome of result.outcomes) {
      services.log.info(COMPONENT, `${outcome.ok ? 'applied' : 'FAILED'}: ${describeChangeLine(outcome.change)}${outcome.error ? ` (${outcome.error})` : ''}`);
    }
    if (result.failed > 0) {
      const failedLines = result.outcomes.filter((o) => !o.ok).map((o) => `${describeChangeLine(o.change)}: ${o.error ?? ''}`);
      const shown = failure(services, COMPONENT,
        `Applied ${result.applied} of ${plural(result.outcomes.length, 'change')} from ${plan.file}; ${result.failed} failed:\n${failedLines.join('\n')}`);
      return { ...shown, applied: result.applied, failed: result.failed, outcomes, plan: planToJson(plan) } as CommandResult<ApplyOutcome>;
    }
    void vscode.window.showInformationMessage(`Applied ${plan.file}: ${summarizePlan(plan)}.`);
    return { ok: true, applied: result.applied, failed: 0, outcomes, plan: planToJson(plan) };
  }));
}
