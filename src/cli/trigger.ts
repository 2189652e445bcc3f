// `trigger`: sends one simulated Penpot delivery (same generator as the twin) and prints the answer's status.
import { PENPOT_EVENTS, findPenpotEvent, shapeForVersion } from '../penpot/catalog';
import { isPenpotDeliverySuccess } from '../penpot/types';
import { simulateEvent } from '../receiver';
import { UsageError, requiredOption, stringOption, type CliCommand } from './command';
import { isHttpUrl } from '../common/httpUrl';

export const triggerCommand: CliCommand = {
  name: 'trigger',
  synopsis: 'EVENT --to URL [--format json|transit] [--penpot-version V]',
  summary: 'Send one simulated Penpot webhook event to a URL',
  details: [
    `EVENT is a Penpot event name: ${PENPOT_EVENTS.map((e) => e.name).join(', ')}.`,
    'The body is built like Penpot builds it (pretty camelCase JSON, or compact Transit) with new ids.',
    '--penpot-version V (e.g. 2.13, default 2.17) sends the payload shape of that version: 2.15+, 2.14, 2.2-2.13, 2.0-2.1.',
    'Exits with 0 when the answer is 200 or 204, 1 otherwise. Penpot 2.15-2.17 as it runs never counts an answered',
    'delivery as a failure (derived from its source); only unreachable targets count toward the auto-disable.',
  ],
  options: { to: { type: 'string' }, format: { type: 'string' }, 'penpot-version': { type: 'string' } },
  positionals: ['EVENT'],
  async run(ctx) {
    const name = ctx.positionals[0];
    const info = findPenpotEvent(name);
    if (info === undefined) {
      throw new UsageError(`Unknown event "${name}". Valid events: ${PENPOT_EVENTS.map((e) => e.name).join(', ')}.`);
    }
    const to = requiredOption(ctx, 'to');
    if (!isHttpUrl(to)) throw new UsageError('--to must be an http(s) URL.');
    const format = stringOption(ctx, 'format') ?? 'json';
    if (format !== 'json' && format !== 'transit') throw new UsageError(`--format must be json or transit (got "${format}").`);
    const version = stringOption(ctx, 'penpot-version');
    const shape = version === undefined ? '2.15+' : shapeForVersion(version);
    if (shape === undefined) throw new UsageError(`--penpot-version must be a Penpot version from 2.0 on, like 2.17 or 2.13 (got "${version}").`);

    const { result, contentType } = await simulateEvent({
      name, format, to, context: { shape, ...(version === undefined ? {} : { penpotVersion: /^\d+\.\d+$/.test(version) ? `${version}.0` : version }) },
    });
    const delivered = isPenpotDeliverySuccess(result.status);
    if (ctx.json) {
      ctx.printJson({ event: name, format, shape, contentType, to, status: result.status ?? null, ms: result.ms, error: result.error ?? null, body: result.body ?? null });
    } else if (result.status !== undefined) {
      ctx.print(`${result.status} from ${to} in ${Math.round(result.ms)} ms (${name}, ${format}, Penpot ${shape} shape)`);
      if (!delivered) ctx.note('Not 200/204. Penpot as it runs (2.15-2.17) still does not count an answered delivery as an error.');
    } else {
      ctx.note(`error: ${result.error ?? 'no answer'} (${to}). Penpot counts this (connection error, TLS, connect timeout); 3 in a row disable the webhook.`);
    }
    if (info.reachesNobody) ctx.note(`Note: ${info.reachesNobody}`);
    return delivered ? 0 : 1;
  },
};
