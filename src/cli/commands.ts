// Every CLI command, in the order `help` lists them. To add one, write it in its own file and append it here.
import { teamsCommand, whoamiCommand } from './account';
import type { CliCommand } from './command';
import { doctorCommand } from './doctor';
import { listenCommand } from './listen';
import { triggerCommand } from './trigger';
import { tokensCreateCommand, tokensDeleteCommand, tokensListCommand } from './tokens';
import { twinCommand } from './twin';
import { webhooksTestCommand } from './webhooksTest';
import { webhooksCreateCommand, webhooksDeleteCommand, webhooksListCommand, webhooksUpdateCommand } from './webhooks';

export const commands: CliCommand[] = [
  whoamiCommand,
  teamsCommand,
  webhooksListCommand,
  webhooksCreateCommand,
  webhooksUpdateCommand,
  webhooksDeleteCommand,
  webhooksTestCommand,
  tokensListCommand,
  tokensCreateCommand,
  tokensDeleteCommand,
  twinCommand,
  listenCommand,
  triggerCommand,
  doctorCommand,
];
