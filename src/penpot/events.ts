// Penpot's webhook events (§4.3) and their payloads (§4.2), built from the catalog (./catalog.ts) as one Transit
// tree that is written either as the pretty-printed camelCase JSON or as the compact Transit Penpot's delivery sends
// (§4.1 step 4). The twin's deliveries and the receiver's "Simulate"/`trigger` both use this module, so a simulated
// event and a delivered one look the same.
import { randomBytes, randomInt } from 'node:crypto';
import { encodeTransit, instant, setOf, tagged, uuid } from '../transit';
import type { TransitMapObject, TransitNode } from '../transit/types';
import {
  findPenpotEvent, PAYLOAD_SHAPE_INFO, PENPOT_EVENTS, shapeForVersion,
  type PayloadShape, type PenpotEventInfo, type PropSample, type PropSpec,
} from './catalog';
import { writePenpotJson } from './json';
import { MTYPE_BY_FORMAT, type WebhookFormat, type WebhookMtype } from './types';

export { findPenpotEvent, PENPOT_EVENTS, PAYLOAD_SHAPES, shapeForVersion } from './catalog';
export type { PayloadShape, PenpotEventInfo, RoutingKey } from './catalog';

/** Penpot's event map (§4.2) in any of its shapes; keys as keyword names. */
export interface PenpotEvent extends TransitMapObject {
  name: string;
  'profile-id': TransitNode;
  props: TransitMapObject;
}

export interface PenpotEventContext {
  profileId?: string;
  teamId?: string;
  projectId?: string;
  fileId?: string;
  /** Merged over the generated props (kebab keyword names). A null removes the prop, as Penpot drops nils (§4.1). */
  props?: Record<string, TransitNode>;
  /** The request time (`trackedAt`). */
  now?: Date;
  /** The payload shape to build (default "2.15+"); see also `penpotVersion`. */
  shape?: PayloadShape;
  /** A Penpot version ("2.13", "2.17.1"): picks the shape, and the `generated-by` of import-binfile. */
  penpotVersion?: string;
  /** How long the handler ran, i.e. how much later `createdAt` is than `trackedAt` (≥ 2.15); default 5–60 ms. */
  handlerMs?: number;
}

/** The default version the generator stands for. */
export const DEFAULT_PENPOT_VERSION = '2.17.0';

/** The shape of `version`, or a clear error naming what is accepted. */
export function shapeOfVersionOrThrow(version: string): PayloadShape {
  const shape = shapeForVersion(version);
  if (!shape) throw new Error(`Unknown Penpot version "${version}": give one like 2.17 or 2.13 (2.0 or later; webhooks before 2.0 are not modelled).`);
  return shape;
}

/**
 * Builds a plausible payload of event `name` in Penpot's exact shape: the catalog's props in its order, ids from the
 * context or newly made in Penpot's UUIDv8 layout. Throws on a name that is not one of PENPOT_EVENTS.
 */
export function buildPenpotEvent(name: string, context: PenpotEventContext = {}): PenpotEvent {
  const info = findPenpotEvent(name);
  if (!info) {
    throw new Error(`Unknown Penpot event "${name}". Valid events: ${PENPOT_EVENTS.map((e) => e.name).join(', ')}.`);
  }
  const shape = context.shape ?? (context.penpotVersion ? shapeOfVersionOrThrow(context.penpotVersion) : '2.15+');
  // Penpot's instants travel through the worker's Transit and so keep milliseconds only (conformance finding 11).
  const trackedAt = Math.floor((context.now ?? new Date()).getTime());
  const handlerMs = Math.max(2, Math.round(context.handlerMs ?? 5 + randomInt(56)));
  const times: EventTimes = { trackedAt, createdAt: trackedAt + handlerMs };
  const ids: EventIds = {
    profileId: context.profileId ?? penpotUuid(),
    teamId: context.teamId ?? penpotUuid(),
    projectId: context.projectId ?? penpotUuid(),
    fileId: context.fileId ?? penpotUuid(),
  };
  const props = buildProps(info, ids, times, context.penpotVersion ?? DEFAULT_PENPOT_VERSION);
  for (const [key, value] of Object.entries(context.props ?? {})) {
    if (value === null) delete props[key];
    else props[key] = value;
  }
  // Penpot's set-file-shared only knows the project when un-sharing (conformance finding 2).
  if (name === 'set-file-shared' && props['is-shared'] === true && !(context.props && 'project-id' in context.props)) delete props['project-id'];

  const fields: Record<string, TransitNode> = {
    id: uuid(penpotUuid()),
    name,
    'profile-id': uuid(ids.profileId),
    context: {},
    props,
    // ≥ 2.15: tracked-at is the request time, created-at is stamped after the handler (conformance finding 3);
    // 2.14 stamped both with the handling time.
    'tracked-at': instant(trackedAt),
    'created-at': instant(shape === '2.14' ? trackedAt : times.createdAt),
  };
  const event: TransitMapObject = {};
  for (const key of PAYLOAD_SHAPE_INFO[shape].keys) event[key] = fields[key];
  return event as PenpotEvent;
}

export interface EncodedPenpotEvent {
  body: string;
  contentType: WebhookMtype;
}

/**
 * The request body Penpot's delivery writes for a webhook of this format (§4.1 step 4): JSON is data.json with
 * `:key-fn str/camel :indent true` (string keys camelCased too); Transit is compact `t/encode-str`.
 */
export function encodePenpotEvent(event: PenpotEvent, format: WebhookFormat): EncodedPenpotEvent {
  const body = format === 'json' ? writePenpotJson(event, { indent: true, camelStringKeys: true }) : encodeTransit(event);
  return { body, contentType: MTYPE_BY_FORMAT[format] };
}

// --- Ids ----------------------------------------------------------------------------------------------------------

/** The 8-4-4 prefix Penpot's `uuid/next` keeps for the whole process (UUIDv8, third group 80xx/81xx). */
const PROCESS_PREFIX = (() => {
  const hex = randomBytes(8).toString('hex');
  const third = (0x8000 | (randomInt(2) << 8) | randomInt(256)).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${third}`;
})();
let uuidCounter = randomInt(0x4000);

/**
 * An id in the layout of Penpot's `uuid/next` (common/src/app/common/UUIDv8.java, conformance finding 13): the
 * process-wide prefix, then an RFC variant group with a counter, then random bits. The exact bit allocation of the
 * tail is derived, not byte-exact.
 */
export function penpotUuid(): string {
  uuidCounter = (uuidCounter + 1) & 0x3fff;
  const fourth = (0x8000 | uuidCounter).toString(16);
  return `${PROCESS_PREFIX}-${fourth}-${randomBytes(6).toString('hex')}`;
}

// --- Props from the catalog ---------------------------------------------------------------------------------------

interface EventIds {
  profileId: string;
  teamId: string;
  projectId: string;
  fileId: string;
}

interface EventTimes {
  trackedAt: number;
  createdAt: number;
}

const FILE_NAMES = ['Landing page', 'Design system', 'Mobile app — onboarding', 'Icons', 'Marketing banners'];
const PROJECT_NAMES = ['Website redesign', 'Brand', 'Mobile', 'Drafts'];
const FONT_FAMILIES = ['Inter', 'Work Sans', 'Source Serif', 'Fira Code'];
const COMMENTS = ['Can we make this button larger?', 'Looks good to me.', 'The spacing here is off by 4px.'];
const FILE_FEATURES = ['components/v2', 'fdata/shape-data-type', 'styles/v2', 'layout/grid', 'design-tokens/v1'];

function pick<T>(list: readonly T[]): T {
  return list[randomInt(list.length)];
}

function buildProps(info: PenpotEventInfo, ids: EventIds, times: EventTimes, version: string): TransitMapObject {
  const props: TransitMapObject = {};
  // Instants set inside the handler share one moment, between the request and created-at.
  const inHandler = times.trackedAt + 1 + randomInt(Math.max(1, times.createdAt - times.trackedAt - 1));
  for (const spec of info.props) {
    if (spec.rare) continue;
    props[spec.name] = sampleValue(spec, ids, times, inHandler, version);
  }
  return props;
}

function sampleValue(spec: PropSpec, ids: EventIds, times: EventTimes, inHandler: number, version: string): TransitNode {
  const sample: PropSample = spec.sample;
  switch (sample) {
    case 'team-id': return uuid(ids.teamId);
    case 'project-id': return uuid(ids.projectId);
    case 'file-id': return uuid(ids.fileId);
    case 'profile-id': return uuid(ids.profileId);
    case 'new-id': return uuid(penpotUuid());
    case 'file-name': return pick(FILE_NAMES);
    case 'file-name-copy': return `${pick(FILE_NAMES)} (copy)`;
    case 'project-name': return pick(PROJECT_NAMES);
    case 'project-name-copy': return `${pick(PROJECT_NAMES)} (copy)`;
    case 'prev-project-name': return 'Drafts';
    case 'font-family': return pick(FONT_FAMILIES);
    case 'font-weight': return 400;
    case 'font-style': return 'normal';
    case 'font-mimes': return ['font/woff2', 'font/ttf'];
    case 'comment': return pick(COMMENTS);
    case 'fullname': return 'Ada Lovelace';
    case 'email': return 'ada@example.com';
    case 'page-name': return 'Page 1';
    case 'features': return setOf([...FILE_FEATURES]);
    case 'id-set': return setOf([uuid(ids.fileId), uuid(penpotUuid())]);
    case 'empty-set': return setOf([]);
    case 'profile-set': return setOf([uuid(ids.profileId)]);
    case 'true': return true;
    case 'false': return false;
    case 'seqn': return 1 + randomInt(40);
    // a point record: its fields are doubles, written 188.0 (conformance finding 10)
    case 'position': return tagged('point', { x: 412.5, y: 188 });
    case 'template': return 'wireframing-kit';
    case 'binfile-version': return 3;
    case 'generated-by': return `penpot/${version}`;
    case 'db-past': return instant(times.trackedAt - Math.round((spec.daysAgo ?? 1) * 86_400_000) - randomInt(1000));
    case 'in-handler': return instant(inHandler);
  }
}

/**
 * The prop Penpot's `lookup-webhooks` routes by: the first of team-id, project-id, file-id present. Undefined: the
 * event reaches no webhook (e.g. set-file-shared with isShared true, conformance finding 2).
 */
export function routingKeyOf(props: TransitMapObject): { key: 'team-id' | 'project-id' | 'file-id'; id: string } | undefined {
  for (const key of ['team-id', 'project-id', 'file-id'] as const) {
    const value = props[key];
    if (value === undefined || value === null) continue;
    const id = typeof value === 'string' ? value : typeof value === 'object' && !Array.isArray(value) && 'value' in value && typeof value.value === 'string' ? value.value : undefined;
    if (id !== undefined) return { key, id: id.toLowerCase() };
  }
  return undefined;
}

