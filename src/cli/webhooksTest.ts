// `webhooks test ID [--timeout S]`: a real test delivery through Penpot (src/penpot/testDelivery.ts).
import { sendTestDelivery } from '../penpot/testDelivery';
import { UsageError, stringOption, type CliCommand } from './command';
import { findWebhook } from './webhooks';

const DEFAULT_TIMEOUT_S = 10;

export const webhooksTestCommand: CliCommand = {
  name: 'webhooks test',
  synopsis: 'ID [--timeout S] [--team ID]',
  summary: 'Send a real event through Penpot: create and delete a test project in the team',
  details: [
    'Penpot has no test button, so this creates a project named "Webhook test by Penpot Integrations (safe to',
    'delete) <time>" in the webhook\'s team and deletes it at once (Penpot removes a deleted project for good after',
    'its deletion delay, 7 days by default). Every active webhook of the team receives',
    'create-project and delete-project. It then re-reads the webhook for --timeout seconds (default 10) and exits 1',
    "with Penpot's error code (connection-error, ssl-validation-error, timeout, blocked-request:…) if the delivery",
    'failed. Penpot records no error for an answered request, whatever its HTTP status.',
  ],
  options: { timeout: { type: 'string' }, team: { type: 'string' } },
  positionals: ['ID'],
  async run(ctx) {
    const [id] = ctx.positionals;
    const timeoutText = stringOption(ctx, 'timeout');
    const timeoutS = timeoutText === undefined ? DEFAULT_TIMEOUT_S : Number(timeoutText);
    if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > 600) {
      throw new UsageError('--timeout must be a number of seconds between 0 and 600.');
    }
    const client = ctx.penpot();
    const webhook = await findWebhook(client, id, stringOption(ctx, 'team'));
    // The team's name makes the sentences about what was done in it readable; its id does when the name is unknown.
    const teamName = (await client.getTeams().catch(() => [])).find((team) => team.id === webhook.teamId)?.name;
    const report = await sendTestDelivery(client, webhook, {
      timeoutMs: timeoutS * 1000,
      teamName,
      // Said as it happens: on stderr with --json so stdout stays one document.
      onProgress: (line) => (ctx.json ? ctx.note(line) : ctx.print(line)),
    });
    if (ctx.json) ctx.printJson(report);
    else ctx.print(report.verdict);
    return report.ok ? 0 : 1;
  },
};
