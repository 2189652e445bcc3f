// `twin`: runs the local Penpot twin until SIGINT/SIGTERM.
import { shapeForVersion } from '../penpot/catalog';
import { startTwin } from '../twin';
import { UsageError, flag, stringOption, type CliCommand } from './command';

function portOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535 (got "${text}").`);
  return port;
}

function versionOption(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!shapeForVersion(text)) throw new UsageError(`--penpot-version must be a Penpot version from 2.0 on, like 2.17 or 2.13 (got "${text}").`);
  // "2.13" stands for "2.13.0": the twin's user agent and generated-by need a full version
  return /^\d+\.\d+$/.test(text) ? `${text}.0` : text;
}

function scaleOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const scale = Number(text);
  if (text.trim() === '' || !Number.isFinite(scale) || scale < 0) throw new UsageError(`--debounce-scale must be a number ≥ 0, e.g. 0.01 (got "${text}").`);
  return scale;
}

export const twinCommand: CliCommand = {
  name: 'twin',
  synopsis: '[--port N] [--seed FILE] [--penpot-version V] [--count-status-failures] [--debounce-scale F]',
  summary: 'Run the local Penpot twin (a stand-in server for demos and tests)',
  details: [
    'Listens on 127.0.0.1 (port 0 or absent: any free port) and prints its URL and demo token.',
    '--seed FILE loads teams, webhooks and tokens from a JSON seed instead of the demo one.',
    '--penpot-version V (default 2.17) sends that version\'s payload shape and user agent.',
    'Deliveries are counted as Penpot 2.15-2.17 runs (derived from its source): an answered request never counts,',
    'whatever its status; connection errors, TLS errors, connect timeouts and SSRF blocks do, 3 in a row disable.',
    '--count-status-failures also counts answers other than 200/204 (the rule Penpot\'s code is written for).',
    '--debounce-scale F multiplies Penpot\'s debounce delays (update-file 2 min, update-project-pin 5 s); 0: none.',
    'Scripts make it deliver with POST /_twin/emit {"name", "teamId", "props"?} (see the README).',
  ],
  options: {
    port: { type: 'string' }, seed: { type: 'string' }, 'penpot-version': { type: 'string' },
    'count-status-failures': { type: 'boolean' }, 'debounce-scale': { type: 'string' },
  },
  async run(ctx) {
    const port = portOption(stringOption(ctx, 'port'));
    const seed = stringOption(ctx, 'seed');
    const version = versionOption(stringOption(ctx, 'penpot-version'));
    const debounceScale = scaleOption(stringOption(ctx, 'debounce-scale'));
    const twin = await startTwin({
      port, host: '127.0.0.1', ...(seed === undefined ? {} : { seed }), ...(version === undefined ? {} : { version }),
      countStatusFailures: flag(ctx, 'count-status-failures'), ...(debounceScale === undefined ? {} : { debounceScale }),
    });
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
