// Checks a received payload against Penpot's contract as the catalog (./catalog.ts) states it, in the JSON form
// (camelCase, what ./schema.ts describes) or the Transit form (kebab keyword names, uuid/instant/set/point tags).
// A small walker over the catalog rather than a schema engine, so the runtime stays free of dependencies; the unit
// tests prove with ajv that it agrees with the generated JSON Schemas. No `vscode`.
import { recognizeShape, type ShapeLabel } from '../receiver/shape';
import { TYPE_KEY, type TransitNode } from '../transit/types';
import { PAYLOAD_SHAPE_INFO, PAYLOAD_SHAPES, findPenpotEvent, type PayloadShape, type PenpotEventInfo, type PropType } from './catalog';
import { MemoisedKeyStyle, camelKey, kebabKey } from './json';
import { INSTANT_PATTERN, UUID_PATTERN } from './schema';

export type PayloadForm = 'json' | 'transit';

export interface ValidationProblem {
  /** Dotted path in the payload's own key style, e.g. "props.name" (JSON) or "props.project-id" (Transit); "" is the whole payload. */
  path: string;
  kind: 'unknown-event' | 'missing' | 'wrong-type' | 'not-sent-by-penpot' | 'not-an-event';
  message: string;
}

export interface ValidationResult {
  /** The event name when the payload names one of Penpot's 24 events. */
  event?: string;
  /** The payload shape its top-level keys have, or the closest one it was checked against when they match none. */
  shape: PayloadShape;
  /** Whether the top-level keys are exactly those of `shape`. */
  shapeRecognized: boolean;
  matches: boolean;
  problems: ValidationProblem[];
}

/** JSON payloads' keys: camelCase for the catalog's names, kebab-case for the payload's own keys. */
export const camelKeyMemo = new MemoisedKeyStyle(camelKey);
export const kebabKeyMemo = new MemoisedKeyStyle(kebabKey);
/** Transit payloads' keys are the catalog's kebab names already. */
const sameKey = (key: string): string => key;

const UUID = new RegExp(UUID_PATTERN);
const INSTANT = new RegExp(INSTANT_PATTERN);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(TYPE_KEY in value);
}

function typedOf(value: unknown, type: string): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as Record<string, unknown>)[TYPE_KEY] === type
    ? (value as Record<string, unknown>) : undefined;
}

const EXPECTED: Record<PropType, string> = {
  uuid: 'a uuid', string: 'string', boolean: 'boolean', integer: 'integer', double: 'number', instant: 'an instant',
  'uuid-set': 'an array of uuids', 'string-array': 'an array of strings', point: 'a point {x, y}', any: 'anything',
};

/** The first problem of `value` as a `type` in `form`, or undefined when it fits. */
function typeProblem(value: unknown, type: PropType, form: PayloadForm, path: string): ValidationProblem | undefined {
  const wrong = (): ValidationProblem => ({ path, kind: 'wrong-type', message: `expected ${EXPECTED[type]}, got ${describe(value)}` });
  switch (type) {
    case 'any': return undefined;
    case 'string': return typeof value === 'string' ? undefined : wrong();
    case 'boolean': return typeof value === 'boolean' ? undefined : wrong();
    case 'integer': return typeof value === 'number' && Number.isInteger(value) ? undefined : wrong();
    case 'double': return typeof value === 'number' && Number.isFinite(value) ? undefined : wrong();
    case 'uuid': {
      const text = form === 'json' ? value : typedOf(value, 'uuid')?.value;
      return typeof text === 'string' && UUID.test(text) ? undefined : wrong();
    }
    case 'instant': {
      const text = form === 'json' ? value : typedOf(value, 'instant')?.value;
      return typeof text === 'string' && (form === 'transit' || INSTANT.test(text)) ? undefined : wrong();
    }
    case 'uuid-set':
    case 'string-array': {
      // Transit: Penpot sends sets for these (features, ids, participants), vectors for a few (font data).
      const items = form === 'json' ? value : Array.isArray(value) ? value : (typedOf(value, 'set') ?? typedOf(value, 'list'))?.items;
      if (!Array.isArray(items)) return wrong();
      for (let i = 0; i < items.length; i++) {
        const problem = typeProblem(items[i], type === 'uuid-set' ? 'uuid' : 'string', form, `${path}[${i}]`);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'point': {
      const record = form === 'json' ? value : typedOf(value, 'tagged')?.tag === 'point' ? typedOf(value, 'tagged')?.value : undefined;
      if (!isPlainObject(record)) return wrong();
      for (const axis of ['x', 'y']) {
        if (!(axis in record)) return { path: `${path}.${axis}`, kind: 'missing', message: 'missing (Penpot always sends it)' };
        if (typeof record[axis] !== 'number') return { path: `${path}.${axis}`, kind: 'wrong-type', message: `expected number, got ${describe(record[axis])}` };
      }
      const extra = Object.keys(record).find((k) => k !== 'x' && k !== 'y');
      return extra === undefined ? undefined : { path: `${path}.${extra}`, kind: 'not-sent-by-penpot', message: 'a field Penpot does not send' };
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const tag = (value as Record<string, unknown>)[TYPE_KEY];
    return typeof tag === 'string' ? `a Transit ${tag}` : 'an object';
  }
  if (typeof value === 'string') return `string "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return `${typeof value} ${String(value)}`;
}

/** The shape whose key set differs least from `keys` (ties: the newest). */
function closestShape(keys: readonly string[]): PayloadShape {
  let best: PayloadShape = '2.15+';
  let bestDistance = Infinity;
  for (const shape of PAYLOAD_SHAPES) {
    const wanted = new Set(PAYLOAD_SHAPE_INFO[shape].keys);
    const distance = keys.filter((k) => !wanted.has(k)).length + [...wanted].filter((k) => !keys.includes(k)).length;
    if (distance < bestDistance) [best, bestDistance] = [shape, distance];
  }
  return best;
}

/** The JSON form of a top-level field, by kebab name. */
const TOP_LEVEL_TYPE: Record<string, PropType> = { id: 'uuid', 'profile-id': 'uuid', 'tracked-at': 'instant', 'created-at': 'instant' };

/**
 * Every difference between `value` (a decoded payload: JSON as parsed, Transit as src/transit's tree) and the event
 * it names. `shape`: check against this shape rather than the one its keys show.
 */
export function validatePenpotEvent(value: unknown, form: PayloadForm, options: { shape?: PayloadShape } = {}): ValidationResult {
  const keyOf = form === 'json' ? camelKeyMemo.of : sameKey;
  if (!isPlainObject(value)) {
    return { shape: options.shape ?? '2.15+', shapeRecognized: false, matches: false, problems: [{ path: '', kind: 'not-an-event', message: `expected a Penpot event (an object), got ${describe(value)}` }] };
  }
  const recognized: ShapeLabel = recognizeShape(form === 'json' ? { kind: 'json', value } : { kind: 'transit', value: value as TransitNode });
  const kebabKeys = Object.keys(value).map(form === 'json' ? kebabKeyMemo.of : sameKey);
  const shape = options.shape ?? (recognized === 'unknown' ? closestShape(kebabKeys) : recognized);
  const problems: ValidationProblem[] = [];
  const rawName = value[keyOf('name')];
  let info: PenpotEventInfo | undefined;
  if (typeof rawName !== 'string') {
    problems.push(rawName === undefined
      ? { path: 'name', kind: 'missing', message: 'missing (Penpot always sends the event name)' }
      : { path: 'name', kind: 'wrong-type', message: `expected string, got ${describe(rawName)}` });
  } else {
    info = findPenpotEvent(rawName);
    if (!info) problems.push({ path: 'name', kind: 'unknown-event', message: `unknown event "${rawName}": not one of Penpot's 24 webhook events` });
  }

  const wanted = PAYLOAD_SHAPE_INFO[shape].keys;
  for (const key of wanted) {
    const path = keyOf(key);
    if (key === 'name') continue; // checked above
    if (!(path in value)) {
      problems.push({ path, kind: 'missing', message: `missing (Penpot ${shape} sends it)` });
      continue;
    }
    const field = value[path];
    if (key === 'props') {
      if (!isPlainObject(field)) problems.push({ path, kind: 'wrong-type', message: `expected an object, got ${describe(field)}` });
      else if (info) problems.push(...propsProblems(field, info, form));
    } else if (key === 'context') {
      if (!isPlainObject(field)) problems.push({ path, kind: 'wrong-type', message: `expected an object, got ${describe(field)}` });
      else {
        for (const [inner, innerValue] of Object.entries(field)) {
          if (inner !== keyOf('access-token-id')) problems.push({ path: `${path}.${inner}`, kind: 'not-sent-by-penpot', message: 'a field Penpot does not send' });
          else {
            const problem = typeProblem(innerValue, 'uuid', form, `${path}.${inner}`);
            if (problem) problems.push(problem);
          }
        }
      }
    } else {
      const problem = typeProblem(field, TOP_LEVEL_TYPE[key], form, path);
      if (problem) problems.push(problem);
    }
  }
  for (const [index, key] of Object.keys(value).entries()) {
    if (!wanted.includes(kebabKeys[index])) problems.push({ path: key, kind: 'not-sent-by-penpot', message: `a field Penpot ${shape} does not send` });
  }
  return { event: info?.name, shape, shapeRecognized: recognized !== 'unknown', matches: problems.length === 0, problems };
}

function propsProblems(props: Record<string, unknown>, info: PenpotEventInfo, form: PayloadForm): ValidationProblem[] {
  const keyOf = form === 'json' ? camelKeyMemo.of : sameKey;
  const problems: ValidationProblem[] = [];
  const known = new Set<string>();
  for (const spec of info.props) {
    const key = keyOf(spec.name);
    known.add(key);
    const path = `props.${key}`;
    if (!(key in props)) {
      if (!spec.optional) problems.push({ path, kind: 'missing', message: `missing (Penpot always sends it with ${info.name})` });
      continue;
    }
    const problem = typeProblem(props[key], spec.type, form, path);
    if (problem) problems.push(problem);
  }
  for (const key of Object.keys(props)) {
    if (!known.has(key)) problems.push({ path: `props.${key}`, kind: 'not-sent-by-penpot', message: `a field Penpot does not send with ${info.name}` });
  }
  return problems;
}

/** For people: "matches rename-file (Penpot 2.15+)" or the problems, one per line as "path: message". */
export function describeValidation(result: ValidationResult): string[] {
  if (result.matches) return [`matches ${result.event ?? '?'} (Penpot ${result.shape})`];
  return result.problems.map((p) => `${p.path === '' ? '(payload)' : p.path}: ${p.message}`);
}
