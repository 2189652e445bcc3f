// `trigger`: sends one simulated Penpot delivery (same generator as the twin) and prints the answer's status.
import { PENPOT_EVENTS, findPenpotEvent } from '../penpot/events';
import { isPenpotDeliverySuccess } from '../penpot/types';
import { simulateEvent } from '../receiver';
import { UsageError, requiredOption, stringOption, type CliCommand } from './command';

export const triggerCommand: CliCommand = {
  name: 'trigger',
  synopsis: 'EVENT --to URL [--format json|transit]',
  summary: 'Send one simulated Penpot webhook event to a URL',
  details: [
    `EVENT is a Penpot event name: ${PENPOT_EVENTS.map((e) => e.name).join(', ')}.`,
    'The body is built like Penpot builds it (pretty camelCase JSON, or compact Transit) with random ids.',
    'Exits with 0 when the answer is 200 or 204 (what Penpot counts as delivered), 1 otherwise.',
  ],
  options: { to: { type: 'string' }, format: { type: 'string' } },
  positionals: ['EVENT'],
  async run(ctx) {
    const name = ctx.positionals[0];
    if (findPenpotEvent(name) === undefined) {
      throw new UsageError(`Unknown event "${name}". Valid events: ${PENPOT_EVENTS.map((e) => e.name).join(', ')}.`);
    }
    const to = requiredOption(ctx, 'to');
    if (!/^https?:\/\/./i.test(to)) throw new UsageError('--to must be an http(s) URL.');
    const format = stringOption(ctx, 'format') ?? 'json';
    if (format !== 'json' && format !== 'transit') throw new UsageError(`--format must be json or transit (got "${format}").`);

    const { result, contentType } = await simulateEvent({ name, format, to });
    const delivered = isPenpotDeliverySuccess(result.status);
    if (ctx.json) {
      ctx.printJson({ event: name, format, contentType, to, status: result.status ?? null, ms: result.ms, error: result.error ?? null, body: result.body ?? null });
    } else if (result.status !== undefined) {
      ctx.print(`${result.status} from ${to} in ${Math.round(result.ms)} ms (${name}, ${format})`);
      if (!delivered) ctx.note('Penpot would count this answer as a failed delivery (only 200 and 204 pass).');
    } else {
      ctx.note(`error: ${result.error ?? 'no answer'} (${to})`);
    }
    return delivered ? 0 : 1;
  },
};
