// `events list|schema|example|validate|types`: Penpot's webhook contract from the event catalog, for people who
// code against it. The same catalog drives the generator (`trigger`, the twin), the schemas and the validator.
import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { PENPOT_EVENTS, findPenpotEvent, type PayloadShape } from '../penpot/catalog';
import { DEFAULT_PENPOT_VERSION, buildPenpotEvent, encodePenpotEvent, shapeForVersion } from '../penpot/events';
import { anyEventSchema, eventSchema } from '../penpot/schema';
import { generateWebhookTypes } from '../penpot/typesGen';
import { describeValidation, validatePenpotEvent, type ValidationResult } from '../penpot/validate';
import { decodeBody } from '../receiver/decode';
import { UsageError, stringOption, type CliCommand, type CliContext } from './command';
import { printList } from './table';

const EVENT_NAMES = PENPOT_EVENTS.map((e) => e.name).join(', ');

function eventOrThrow(name: string): string {
  if (!findPenpotEvent(name)) throw new UsageError(`Unknown event "${name}". Valid events: ${EVENT_NAMES}.`);
  return name;
}

/** --penpot-version V → its shape and full version; default 2.15+ (Penpot 2.17.0). */
function versionOption(ctx: CliContext): { shape: PayloadShape; penpotVersion: string } {
  const version = stringOption(ctx, 'penpot-version');
  if (version === undefined) return { shape: '2.15+', penpotVersion: DEFAULT_PENPOT_VERSION };
  const shape = shapeForVersion(version);
  if (shape === undefined) throw new UsageError(`--penpot-version must be a Penpot version from 2.0 on, like 2.17 or 2.13 (got "${version}").`);
  return { shape, penpotVersion: /^\d+\.\d+$/.test(version) ? `${version}.0` : version };
}

function formatOption(ctx: CliContext): 'json' | 'transit' | undefined {
  const format = stringOption(ctx, 'format');
  if (format !== undefined && format !== 'json' && format !== 'transit') throw new UsageError(`--format must be json or transit (got "${format}").`);
  return format;
}

const VERSION_HELP = '--penpot-version V (default 2.17) picks the payload shape of that version: 2.15+, 2.14, 2.2-2.13, 2.0-2.1.';

export const eventsListCommand: CliCommand = {
  name: 'events list',
  synopsis: '',
  summary: "List Penpot's 24 webhook events: what causes each, its routing key and debounce",
  async run(ctx) {
    const items = PENPOT_EVENTS.map((e) => ({
      name: e.name, description: e.description, routingKey: e.routingKey,
      debounceMs: e.debounceMs ?? null, reachesNobody: e.reachesNobody ?? null,
    }));
    printList(ctx, items, 'No events.', ['EVENT', 'ROUTED BY', 'DEBOUNCE', 'WHAT CAUSES IT'], (e) => [
      e.name, e.routingKey, e.debounceMs === null ? '' : `${e.debounceMs / 1000} s`, e.description,
    ]);
  },
};

export const eventsSchemaCommand: CliCommand = {
  name: 'events schema',
  synopsis: '[EVENT] [--penpot-version V]',
  summary: 'Print the JSON Schema (draft 2020-12) of one event, or of any Penpot event',
  details: ['Without EVENT: one schema for any Penpot event, picking the event by its `name`.', 'The schemas describe the JSON form (camelCase keys).', VERSION_HELP],
  options: { 'penpot-version': { type: 'string' } },
  positionals: ['[EVENT]'],
  async run(ctx) {
    const { shape } = versionOption(ctx);
    const name = ctx.positionals[0];
    const schema = name === undefined ? anyEventSchema(shape) : eventSchema(eventOrThrow(name), shape);
    ctx.print(JSON.stringify(schema, null, 2));
  },
};

export const eventsExampleCommand: CliCommand = {
  name: 'events example',
  synopsis: 'EVENT [--format json|transit] [--penpot-version V]',
  summary: 'Print a payload of an event as Penpot sends it (same generator as trigger)',
  details: [`EVENT is one of: ${EVENT_NAMES}.`, 'New ids and the current time on every run.', VERSION_HELP],
  options: { format: { type: 'string' }, 'penpot-version': { type: 'string' } },
  positionals: ['EVENT'],
  async run(ctx) {
    const name = eventOrThrow(ctx.positionals[0]);
    const format = formatOption(ctx) ?? 'json';
    const { shape, penpotVersion } = versionOption(ctx);
    ctx.print(encodePenpotEvent(buildPenpotEvent(name, { shape, penpotVersion }), format).body);
  },
};

interface FileVerdict extends ValidationResult {
  file: string;
  format: 'json' | 'transit';
  error?: string;
}

const CONTENT_TYPE = { json: 'application/json', transit: 'application/transit+json' } as const;

async function validateFile(file: string, forced: 'json' | 'transit' | undefined, shape: PayloadShape | undefined): Promise<FileVerdict> {
  const extension = extname(file).toLowerCase();
  const format = forced ?? (extension === '.transit' ? 'transit' : extension === '.json' ? 'json' : undefined);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return failed(file, format ?? 'json', code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? String(error)})`);
  }
  // No format given and no telling extension: decodeBody sniffs JSON vs Transit.
  const decoded = decodeBody(bytes, format === undefined ? '' : CONTENT_TYPE[format]);
  if (decoded.decoded === undefined) {
    return failed(file, format ?? 'json', decoded.decodeError ?? `not JSON or Transit (read as ${decoded.format})`);
  }
  const form = decoded.decoded.kind;
  return { file, format: form, ...validatePenpotEvent(decoded.decoded.value, form, shape ? { shape } : {}) };
}

function failed(file: string, format: 'json' | 'transit', error: string): FileVerdict {
  return { file, format, error, shape: '2.15+', shapeRecognized: false, matches: false, problems: [] };
}

export const eventsValidateCommand: CliCommand = {
  name: 'events validate',
  synopsis: 'FILE… [--format json|transit] [--penpot-version V]',
  summary: "Check payload files against Penpot's webhook contract",
  details: [
    'The format comes from --format, else the .json/.transit extension, else it is sniffed.',
    'Each file is checked against the payload shape its top-level keys show (or, with --penpot-version, that version\'s).',
    'Every problem is listed with its path, e.g. "props.name: expected string"; a field Penpot does not send is named.',
    'Exits with 0 when every file matches, 1 when any does not.',
  ],
  options: { format: { type: 'string' }, 'penpot-version': { type: 'string' } },
  positionals: ['FILE…'],
  async run(ctx) {
    const forced = formatOption(ctx);
    const shape = stringOption(ctx, 'penpot-version') === undefined ? undefined : versionOption(ctx).shape;
    const verdicts: FileVerdict[] = [];
    for (const file of ctx.positionals) verdicts.push(await validateFile(file, forced, shape));
    if (ctx.json) {
      ctx.printJson(verdicts.map((v) => ({
        file: v.file, format: v.format, event: v.event ?? null, shape: v.shape, shapeRecognized: v.shapeRecognized,
        matches: v.matches, error: v.error ?? null, problems: v.problems,
      })));
    } else {
      for (const v of verdicts) {
        if (v.error !== undefined) ctx.print(`${v.file}: ${v.error}`);
        else if (v.matches) ctx.print(`${v.file}: ${describeValidation(v)[0]}, ${v.format}`);
        else {
          const what = v.event ? `${v.event}, checked as Penpot ${v.shape}${v.shapeRecognized ? '' : ' (closest shape)'}` : `checked as Penpot ${v.shape}`;
          ctx.print(`${v.file}: does not match (${what}, ${v.format}):`);
          for (const line of describeValidation(v)) ctx.print(`  ${line}`);
        }
      }
    }
    return verdicts.every((v) => v.matches) ? 0 : 1;
  },
};

export const eventsTypesCommand: CliCommand = {
  name: 'events types',
  synopsis: '[--out FILE] [--penpot-version V]',
  summary: 'Print (or write) TypeScript types of the JSON payloads: PenpotWebhookEvent narrows by name',
  details: [VERSION_HELP],
  options: { out: { type: 'string' }, 'penpot-version': { type: 'string' } },
  async run(ctx) {
    const { shape } = versionOption(ctx);
    const source = generateWebhookTypes(shape);
    const out = stringOption(ctx, 'out');
    if (out === undefined) {
      ctx.print(source.trimEnd());
      return;
    }
    await writeFile(out, source, 'utf8');
    ctx.note(`Wrote ${out} (${PENPOT_EVENTS.length} events, Penpot ${shape} shape).`);
  },
};

export const eventsCommands: CliCommand[] = [eventsListCommand, eventsSchemaCommand, eventsExampleCommand, eventsValidateCommand, eventsTypesCommand];
