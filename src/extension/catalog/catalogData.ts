// What the event catalog panel and "Generate Webhook Types" show, in words, from the core catalog
// (src/penpot/catalog.ts): the events grouped by subject, who each reaches, its debounce, its fields in both forms,
// and per event and shape the schema, the examples and the types from the one generator each. No `vscode` here.
import {
  PAYLOAD_SHAPE_INFO, PAYLOAD_SHAPES, PENPOT_EVENTS, findPenpotEvent,
  type PayloadShape, type PenpotEventInfo, type PropSample, type PropSpec, type PropType, type RoutingKey,
} from '../../penpot/catalog';
import { buildPenpotEvent, encodePenpotEvent } from '../../penpot/events';
import { camelKey } from '../../penpot/json';
import { eventSchema } from '../../penpot/schema';
import { TOP_LEVEL_FIELDS, generateEventType } from '../../penpot/typesGen';
import type { EventDetail, EventView, FieldView, ShapeView } from './protocol';

/** The Penpot versions each shape covers, newest first (§4.2). */
export const SHAPE_VERSIONS: Record<PayloadShape, string> = {
  '2.15+': 'Penpot 2.15 and later',
  '2.14': 'Penpot 2.14',
  '2.2–2.13': 'Penpot 2.2 – 2.13',
  '2.0–2.1': 'Penpot 2.0 – 2.1',
};

export const DEFAULT_SHAPE: PayloadShape = '2.15+';

/** What sets a shape apart, as plain text (the catalog writes it as Markdown). */
export function shapeDescription(shape: PayloadShape): string {
  return PAYLOAD_SHAPE_INFO[shape].description.replace(/`/g, '');
}

export function shapeViews(): ShapeView[] {
  return PAYLOAD_SHAPES.map((shape) => ({ shape, versions: SHAPE_VERSIONS[shape], description: shapeDescription(shape) }));
}

/** The subjects the list groups the events by, in the order a person meets them in Penpot. */
const GROUPS: ReadonlyArray<[string, readonly string[]]> = [
  ['Files', ['create-file', 'update-file', 'rename-file', 'duplicate-file', 'move-files', 'delete-file']],
  ['Libraries', ['set-file-shared', 'link-file-to-library', 'unlink-file-from-library']],
  ['Projects', ['create-project', 'rename-project', 'update-project-pin', 'duplicate-project', 'move-project', 'delete-project', 'clone-template']],
  ['Comments', ['create-comment-thread', 'create-comment']],
  ['Fonts', ['create-font-variant', 'update-font', 'delete-font', 'delete-font-variant']],
  ['Import and export', ['import-binfile', 'export-binfile']],
];

export function groupOf(name: string): string {
  return GROUPS.find(([, names]) => names.includes(name))?.[0] ?? 'Other';
}

/** Who an event reaches through its routing key (§4.1 step 3: the team found from that prop, its active webhooks). */
const REACHES: Record<RoutingKey, string> = {
  'team-id': "Every active webhook of the team in props.teamId.",
  'project-id': 'Every active webhook of the team that owns the project in props.projectId.',
  'file-id': 'Every active webhook of the team that owns the file in props.fileId.',
};

function duration(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`;
}

function debounceText(info: PenpotEventInfo): string {
  if (!info.debounceMs) return 'None: every call is delivered.';
  return `Penpot waits ${duration(info.debounceMs)} and delivers only the last event of a burst (per profile and ${info.debounceKey ?? 'request'}).`;
}

/** What a prop holds, as far as the generator's sample says it (the catalog's note follows). */
const SAMPLE_MEANING: Partial<Record<PropSample, string>> = {
  'team-id': "The team's id.",
  'project-id': "The project's id.",
  'file-id': "The file's id.",
  'profile-id': 'The profile that made the request.',
  'file-name': "The file's name.",
  'project-name': "The project's name.",
  'prev-project-name': "The project's name before the rename.",
  'file-name-copy': 'The name given to the copy.',
  'project-name-copy': 'The name given to the copy.',
  'font-family': 'The font family.',
  comment: 'The comment text.',
  fullname: "The author's full name.",
  email: "The author's email.",
  'page-name': 'The page the thread is on.',
  'db-past': 'When it was created (from the database, before this request).',
  'in-handler': 'Set while Penpot handled the request: after trackedAt, before createdAt.',
  'generated-by': 'The Penpot that wrote the file.',
};

const JSON_TYPE: Record<PropType, string> = {
  uuid: 'string (uuid)', string: 'string', boolean: 'boolean', integer: 'integer', double: 'number',
  instant: 'string (ISO instant)', 'uuid-set': 'string[] (uuids)', 'string-array': 'string[]',
  point: '{ x: number, y: number }', any: 'any (left open by Penpot)',
};

/** The generator's samples that Penpot sends as Transit sets (the rest of the arrays are vectors). */
const SET_SAMPLES: ReadonlySet<PropSample> = new Set<PropSample>(['features', 'id-set', 'empty-set', 'profile-set']);

function transitType(type: PropType, sample?: PropSample): string {
  switch (type) {
    case 'uuid': return 'uuid (~u…)';
    case 'instant': return 'instant (~m + epoch ms)';
    case 'double': return 'double (written 188.0)';
    case 'uuid-set': return 'set of uuids (~#set)';
    case 'string-array': return sample && SET_SAMPLES.has(sample) ? 'set of strings (~#set)' : 'vector of strings';
    case 'point': return 'point (~#point {x, y})';
    case 'any': return 'any';
    default: return type;
  }
}

function sentence(text: string): string {
  const t = text.trim();
  return `${t.charAt(0).toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}`;
}

function propField(spec: PropSpec): FieldView {
  const words = [SAMPLE_MEANING[spec.sample], spec.note ? sentence(spec.note) : undefined,
    spec.rare ? 'Rarely sent (the example leaves it out).' : undefined].filter((w): w is string => w !== undefined);
  return {
    name: camelKey(spec.name), transitName: spec.name, jsonType: JSON_TYPE[spec.type], transitType: transitType(spec.type, spec.sample),
    optional: spec.optional === true, description: words.join(' '),
  };
}

export function eventView(info: PenpotEventInfo): EventView {
  return {
    name: info.name, description: info.description, group: groupOf(info.name), routingKey: info.routingKey,
    reaches: REACHES[info.routingKey], ...(info.reachesNobody ? { reachesNobody: info.reachesNobody } : {}),
    debounce: debounceText(info), debounced: info.debounceMs !== undefined, streamed: info.sse === true,
    props: info.props.map(propField), source: info.source,
  };
}

/** The 24 events, grouped by subject (groups in GROUPS order, the catalog's order within one). */
export function eventViews(): EventView[] {
  const order = GROUPS.flatMap(([, names]) => names);
  const rank = (name: string): number => { const i = order.indexOf(name); return i < 0 ? order.length : i; };
  return [...PENPOT_EVENTS].sort((a, b) => rank(a.name) - rank(b.name)).map(eventView);
}

/** The top-level fields of a shape, in the order Penpot writes them. */
function topLevelFields(info: PenpotEventInfo, shape: PayloadShape): FieldView[] {
  return PAYLOAD_SHAPE_INFO[shape].keys.map((key) => {
    if (key === 'name') {
      return { name: 'name', transitName: 'name', jsonType: `'${info.name}'`, transitType: 'string', optional: false, description: 'The event: the RPC command that ran.' };
    }
    if (key === 'props') {
      return { name: 'props', transitName: 'props', jsonType: 'object', transitType: 'map', optional: false, description: 'What the command was called with, plus what it added (below).' };
    }
    const field = TOP_LEVEL_FIELDS[key];
    const type: PropType = field.type === 'PenpotUuid' ? 'uuid' : field.type === 'PenpotInstant' ? 'instant' : 'any';
    return {
      name: camelKey(key), transitName: key, jsonType: type === 'any' ? '{ accessTokenId?: string }' : JSON_TYPE[type],
      transitType: type === 'any' ? 'map' : transitType(type), optional: false, description: field.doc,
    };
  });
}

/** A version standing for each shape, for the generator's `generated-by` and the like (Simulate uses it too). */
export const VERSION_OF_SHAPE: Record<PayloadShape, string> = { '2.15+': '2.17.0', '2.14': '2.14.0', '2.2–2.13': '2.13.0', '2.0–2.1': '2.1.5' };

/** Schema, examples (one generated payload in both forms) and types of one event in one shape. */
export function eventDetail(name: string, shape: PayloadShape): EventDetail {
  const info = findPenpotEvent(name);
  if (!info) throw new Error(`Unknown Penpot event "${name}".`);
  const event = buildPenpotEvent(name, { shape, penpotVersion: VERSION_OF_SHAPE[shape] });
  return {
    name, shape, fields: topLevelFields(info, shape),
    schema: JSON.stringify(eventSchema(name, shape), null, 2),
    jsonExample: encodePenpotEvent(event, 'json').body,
    transitExample: encodePenpotEvent(event, 'transit').body,
    type: generateEventType(name, shape),
  };
}
