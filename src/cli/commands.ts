// Every CLI command, in the order `help` lists them. To add one, write it in its own file and append it here.
import { teamsCommand, whoamiCommand } from './account';
import type { CliCommand } from './command';
import { eventsCommands } from './events';
import { doctorCommand } from './doctor';
import { listenCommand } from './listen';
import { triggerCommand } from './trigger';
import { tokensCreateCommand, tokensDeleteCommand, tokensListCommand } from './tokens';
import { twinCommand } from './twin';
import { webhooksTestCommand } from './webhooksTest';
import { webhooksCreateCommand, webhooksDeleteCommand, webhooksListCommand, webhooksUpdateCommand } from './webhooks';
import { webhooksApplyCommand, webhooksExportCommand, webhooksPlanCommand } from './webhooksFile';

export const commands: CliCommand[] = [
  whoamiCommand,
  teamsCommand,
  webhooksListCommand,
  webhooksCreateCommand,
  webhooksUpdateCommand,
  webhooksDeleteCommand,
  webhooksExportCommand,
  webhooksPlanCommand,
  webhooksApplyCommand,
  webhooksTestCommand,
  tokensListCommand,
  tokensCreateCommand,
  tokensDeleteCommand,
  twinCommand,
  listenCommand,
  triggerCommand,
  ...eventsCommands,
  doctorCommand,
];
