// JSON Schemas (draft 2020-12) of Penpot's webhook payloads in their JSON form (pretty camelCase, §4.1 step 4),
// generated from the event catalog (./catalog.ts): one per event and payload shape, and one "any Penpot event" per
// shape that picks the event's schema by `name`. The runtime validator (./validate.ts) reads the same catalog and
// the same JSON-form rules below, and the tests prove with ajv that both agree. No `vscode`, no runtime dependency.
import { PAYLOAD_SHAPE_INFO, PENPOT_EVENTS, findPenpotEvent, type PayloadShape, type PenpotEventInfo, type PropType } from './catalog';
import { camelKey } from './json';

export type JsonSchema = Record<string, unknown>;

export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** Penpot writes uuids lower-case 8-4-4-4-12; accepted in either case, as Penpot's reader does. */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
/** Penpot's instants as JSON: ISO-8601 in UTC with milliseconds, e.g. 2026-07-24T10:15:30.123Z (conformance finding 11). */
export const INSTANT_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$';

/** What each prop type is in the JSON form; `any` is left open because Penpot's source leaves it open. */
export function propTypeSchema(type: PropType): JsonSchema {
  switch (type) {
    case 'uuid': return { type: 'string', pattern: UUID_PATTERN };
    case 'string': return { type: 'string' };
    case 'boolean': return { type: 'boolean' };
    case 'integer': return { type: 'integer' };
    case 'double': return { type: 'number' };
    case 'instant': return { type: 'string', pattern: INSTANT_PATTERN };
    case 'uuid-set': return { type: 'array', items: { type: 'string', pattern: UUID_PATTERN } };
    case 'string-array': return { type: 'array', items: { type: 'string' } };
    case 'point': return {
      type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } }, required: ['x', 'y'], additionalProperties: false,
    };
    case 'any': return {};
  }
}

/** The JSON form of each top-level field a shape may hold (kebab name → schema); props is built per event. */
function topLevelFieldSchema(key: string, info: PenpotEventInfo): JsonSchema {
  switch (key) {
    case 'name': return { const: info.name };
    case 'id': case 'profile-id': return propTypeSchema('uuid');
    case 'tracked-at': case 'created-at': return propTypeSchema('instant');
    // 2.0–2.1: `{}` or `{accessTokenId}` (derived from audit.clj at 2.0.0, unverified).
    case 'context': return { type: 'object', properties: { accessTokenId: propTypeSchema('uuid') }, additionalProperties: false };
    case 'props': return propsSchema(info);
    default: return {};
  }
}

function propsSchema(info: PenpotEventInfo): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const spec of info.props) {
    properties[camelKey(spec.name)] = { ...propTypeSchema(spec.type), ...(spec.note ? { description: spec.note } : {}) };
  }
  return {
    type: 'object', properties,
    required: info.props.filter((s) => !s.optional).map((s) => camelKey(s.name)),
    additionalProperties: false,
  };
}

export function schemaId(shape: PayloadShape, event?: string): string {
  // ASCII only: "2.15+" → "2.15-plus", "2.2–2.13" → "2.2-2.13".
  const slug = shape.replace('+', '-plus').replace('–', '-');
  return `urn:penpot-integrations:webhook-event:${slug}${event ? `:${event}` : ''}`;
}

function eventBody(info: PenpotEventInfo, shape: PayloadShape): JsonSchema {
  const keys = PAYLOAD_SHAPE_INFO[shape].keys;
  const properties: Record<string, JsonSchema> = {};
  for (const key of keys) properties[camelKey(key)] = topLevelFieldSchema(key, info);
  const routing = info.reachesNobody ? ` ${info.reachesNobody}` : '';
  const debounce = info.debounceMs ? ` Debounced ${info.debounceMs / 1000} s per ${info.debounceKey ?? 'request'}.` : '';
  return {
    title: `${info.name} (Penpot ${shape})`,
    description: `${info.description} Routed by ${info.routingKey}.${debounce}${routing}`,
    type: 'object', properties, required: keys.map(camelKey), additionalProperties: false,
  };
}

/** The schema of one event in one payload shape (default: 2.15+). Throws on an event not in the catalog. */
export function eventSchema(name: string, shape: PayloadShape = '2.15+'): JsonSchema {
  const info = findPenpotEvent(name);
  if (!info) throw new Error(`Unknown Penpot event "${name}". Valid events: ${PENPOT_EVENTS.map((e) => e.name).join(', ')}.`);
  return { $schema: SCHEMA_DIALECT, $id: schemaId(shape, name), ...eventBody(info, shape) };
}

/** "Any Penpot event" of a shape: `name` must be one of the 24, and then the payload must match that event's schema. */
export function anyEventSchema(shape: PayloadShape = '2.15+'): JsonSchema {
  const $defs: Record<string, JsonSchema> = {};
  for (const info of PENPOT_EVENTS) $defs[info.name] = eventBody(info, shape);
  return {
    $schema: SCHEMA_DIALECT, $id: schemaId(shape),
    title: `Any Penpot webhook event (Penpot ${shape}, JSON form)`,
    type: 'object',
    properties: { name: { enum: PENPOT_EVENTS.map((e) => e.name) } },
    required: ['name'],
    allOf: PENPOT_EVENTS.map((info) => ({
      if: { properties: { name: { const: info.name } }, required: ['name'] },
      then: { $ref: `#/$defs/${info.name}` },
    })),
    $defs,
  };
}
