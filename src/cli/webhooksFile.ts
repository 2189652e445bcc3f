// `webhooks export|plan|apply`: a team's webhooks as code (the file format is in src/gitops/webhooksFile.ts).
// Exit codes as the other commands: 0 done, 1 Penpot or file error, 2 usage; `plan --detailed-exitcode` adds 2 for
// "changes pending", as `terraform plan -detailed-exitcode` does.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { basename, dirname, join } from 'node:path';
import {
  DEFAULT_WEBHOOKS_FILE, WebhooksFileError, loadWebhooksFile, serializeWebhooksDocument,
} from '../gitops/webhooksFile';
import {
  TeamNotFoundError, applyWebhooksPlan, describeChangeLine, exportWebhooks, formatPlanText, planToJson, planWebhooks,
  summarizePlan, type WebhooksPlan,
} from '../gitops/webhooksPlan';
import { flag, stringOption, type CliCommand, type CliContext } from './command';
import { plural } from '../common/words';

const FILE_OPTION = { file: { type: 'string' as const, short: 'f' } };

function fileOption(ctx: CliContext): string {
  const file = stringOption(ctx, 'file');
  return file === undefined || file.trim() === '' ? DEFAULT_WEBHOOKS_FILE : file;
}

/** Loads the file before any call to Penpot; a bad file is reported on stderr (every problem, with its place). */
async function loadOrReport(ctx: CliContext, file: string) {
  try {
    return await loadWebhooksFile(file);
  } catch (error) {
    if (error instanceof WebhooksFileError) {
      ctx.note(`error: ${file} cannot be used:`);
      for (const line of error.message.split('\n')) ctx.note(`  ${line}`);
      return undefined;
    }
    throw error;
  }
}

/** Reads, checks and plans; undefined (reported) when the file is bad. */
async function planFromFile(ctx: CliContext): Promise<WebhooksPlan | undefined> {
  const file = fileOption(ctx);
  const loaded = await loadOrReport(ctx, file);
  if (!loaded) return undefined;
  const api = ctx.penpot();
  return planWebhooks(api, loaded, { prune: flag(ctx, 'prune'), server: ctx.serverUrl() });
}

function reportProblems(ctx: CliContext, plan: WebhooksPlan): void {
  ctx.note(`error: ${plan.file} cannot be applied${plan.problems.length > 1 ? ` (${plan.problems.length} problems)` : ''}; nothing was changed:`);
  for (const problem of plan.problems) ctx.note(`  ${problem}`);
}

export const webhooksExportCommand: CliCommand = {
  name: 'webhooks export',
  synopsis: '[--team ID|NAME] [--file F]',
  summary: 'Write the current webhooks of your teams to a file (webhooks as code)',
  details: [
    `F defaults to ${DEFAULT_WEBHOOKS_FILE}; "-" writes to stdout. All your teams unless --team. The order is stable`,
    '(teams by name, webhooks by uri), so exporting an unchanged state again changes nothing. A "$schema" already',
    'in the file is kept.',
  ],
  options: { team: { type: 'string' }, ...FILE_OPTION },
  async run(ctx) {
    const file = fileOption(ctx);
    let exported;
    try {
      exported = await exportWebhooks(ctx.penpot(), { team: stringOption(ctx, 'team') });
    } catch (error) {
      if (error instanceof TeamNotFoundError) {
        ctx.note(`error: --team: ${error.message}`);
        return 1;
      }
      throw error;
    }
    for (const note of exported.notes) ctx.note(`note: ${note}`);
    const webhookCount = exported.document.teams.reduce((sum, team) => sum + team.webhooks.length, 0);
    if (file === '-') {
      ctx.print(serializeWebhooksDocument(exported.document).trimEnd());
      return 0;
    }
    const schema = await existingSchema(file);
    if (schema !== undefined) exported.document.$schema = schema;
    // Written next to the target and renamed over it, so an interrupted export never leaves half a file.
    const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
    await writeFile(temporary, serializeWebhooksDocument(exported.document), 'utf8');
    await rename(temporary, file);
    const summary = { file, teams: exported.document.teams.length, webhooks: webhookCount };
    if (ctx.json) ctx.printJson(summary);
    else ctx.print(`Wrote ${plural(webhookCount, 'webhook')} of ${plural(summary.teams, 'team')} to ${file}.`);
    return 0;
  },
};

/** The "$schema" of the file being overwritten, so a re-export keeps the editor's link to the schema. */
async function existingSchema(file: string): Promise<string | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(file, 'utf8'));
    const schema = (value as { $schema?: unknown } | null)?.$schema;
    return typeof schema === 'string' ? schema : undefined;
  } catch {
    return undefined;
  }
}

export const webhooksPlanCommand: CliCommand = {
  name: 'webhooks plan',
  synopsis: '[--file F] [--prune] [--detailed-exitcode]',
  summary: 'Show the changes that would make Penpot match a webhooks file; changes nothing',
  details: [
    `F defaults to ${DEFAULT_WEBHOOKS_FILE}. Webhooks of a listed team that the file does not list are deleted only`,
    'with --prune; teams the file does not list are left alone.',
    '--detailed-exitcode: exit 0 when in sync, 2 when changes are pending, 1 on an error (as terraform plan).',
  ],
  options: { ...FILE_OPTION, prune: { type: 'boolean' }, 'detailed-exitcode': { type: 'boolean' } },
  async run(ctx) {
    const plan = await planFromFile(ctx);
    if (!plan) return 1;
    if (ctx.json) ctx.printJson(planToJson(plan));
    else if (plan.problems.length === 0) ctx.print(formatPlanText(plan).trimEnd());
    if (plan.problems.length > 0) {
      if (!ctx.json && plan.changes.length > 0) ctx.print(formatPlanText({ ...plan, problems: [] }).trimEnd());
      reportProblems(ctx, plan);
      return 1;
    }
    return flag(ctx, 'detailed-exitcode') && plan.changes.length > 0 ? 2 : 0;
  },
};

export const webhooksApplyCommand: CliCommand = {
  name: 'webhooks apply',
  synopsis: '[--file F] [--prune] [--yes]',
  summary: 'Make Penpot match a webhooks file (deletes, then updates, then creates)',
  details: [
    'Everything is checked first (the file, its teams, the limit of 8 webhooks per team after the changes, your',
    'permissions); when anything fails, nothing is changed. Without --yes it asks on a terminal, and refuses when',
    'there is none (CI: pass --yes). Penpot checks each new URL with a HEAD request and can still refuse one: what',
    'was applied and what was not is reported, and the exit code is 1.',
  ],
  options: { ...FILE_OPTION, prune: { type: 'boolean' }, yes: { type: 'boolean', short: 'y' } },
  async run(ctx) {
    const plan = await planFromFile(ctx);
    if (!plan) return 1;
    if (plan.problems.length > 0) {
      reportProblems(ctx, plan);
      return 1;
    }
    if (plan.changes.length === 0) {
      if (ctx.json) ctx.printJson({ ...planToJson(plan), applied: 0, failed: 0, outcomes: [] });
      else ctx.print(formatPlanText(plan).trimEnd());
      return 0;
    }
    if (!flag(ctx, 'yes')) {
      if (!process.stdin.isTTY || !process.stderr.isTTY) {
        ctx.note(`error: refusing to apply ${plural(plan.changes.length, 'change')} without confirmation: there is no terminal to ask on. Review them with "webhooks plan", then pass --yes.`);
        return 1;
      }
      ctx.note(formatPlanText(plan).trimEnd());
      if (!(await askYes(`Apply these changes to ${plan.server}? Type "yes" to go on: `))) {
        ctx.note('Nothing was changed.');
        return 1;
      }
    }
    const result = await applyWebhooksPlan(ctx.penpot(), plan, (done, total, change) => {
      if (!ctx.json) ctx.note(`[${done + 1}/${total}] ${change.action} ${change.team.name}: ${change.uri}`);
    });
    if (ctx.json) {
      ctx.printJson({
        ...planToJson(plan),
        applied: result.applied,
        failed: result.failed,
        outcomes: result.outcomes.map(({ change, ok, error }) => ({
          action: change.action, team: change.team, uri: change.uri, ok, ...(error ? { error } : {}),
        })),
      });
    } else {
      for (const outcome of result.outcomes) {
        ctx.print(`${outcome.ok ? 'done  ' : 'FAILED'} ${describeChangeLine(outcome.change)}${outcome.error ? `\n       ${outcome.error}` : ''}`);
      }
      ctx.print(result.failed === 0
        ? `Applied ${plural(result.applied, 'change')} (${summarizePlan(plan)}).`
        : `Applied ${result.applied} of ${plural(result.outcomes.length, 'change')}; ${result.failed} failed (above). Run "webhooks plan" to see what is left.`);
    }
    return result.failed === 0 ? 0 : 1;
  },
};

async function askYes(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}
