// `twin`: runs the local Penpot twin until SIGINT/SIGTERM.
import { startTwin } from '../twin';
import { UsageError, stringOption, type CliCommand } from './command';

function portOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535 (got "${text}").`);
  return port;
}

export const twinCommand: CliCommand = {
  name: 'twin',
  synopsis: '[--port N] [--seed FILE]',
  summary: 'Run the local Penpot twin (a stand-in server for demos and tests)',
  details: [
    'Listens on 127.0.0.1 (port 0 or absent: any free port) and prints its URL and demo token.',
    '--seed FILE loads teams, webhooks and tokens from a JSON seed instead of the demo one.',
  ],
  options: { port: { type: 'string' }, seed: { type: 'string' } },
  async run(ctx) {
    const port = portOption(stringOption(ctx, 'port'));
    const seed = stringOption(ctx, 'seed');
    const twin = await startTwin({ port, host: '127.0.0.1', ...(seed === undefined ? {} : { seed }) });
    try {
      if (ctx.json) {
        ctx.printJson({ url: twin.url, demoToken: twin.demoToken });
      } else {
        ctx.print(`Penpot twin listening on ${twin.url}`);
        ctx.print(`Demo token: ${twin.demoToken}`);
        ctx.print(`Try: PENPOT_URL=${twin.url} PENPOT_TOKEN=${twin.demoToken} penpot-integrations whoami`);
        ctx.note('Press Ctrl+C to stop.');
      }
      await ctx.untilStopped();
    } finally {
      await twin.close();
    }
  },
};
