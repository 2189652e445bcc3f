// Penpot's webhook events (§4.3) and their payloads (§4.2), built as one Transit tree that is written either as the
// pretty-printed camelCase JSON or as the compact Transit Penpot's delivery sends (§4.1 step 4). The twin's
// deliveries and the receiver's "Simulate"/`trigger` both use this module, so a simulated event and a delivered one
// look the same.
import { randomInt, randomUUID } from 'node:crypto';
import { encodeTransit, instant, setOf, tagged, uuid } from '../transit';
import type { TransitMapObject, TransitNode } from '../transit/types';
import { writePenpotJson } from './json';
import { MTYPE_BY_FORMAT, type WebhookFormat, type WebhookMtype } from './types';

/** The prop through which Penpot finds the team of an event (§4.1 step 3). */
export type RoutingKey = 'team-id' | 'project-id' | 'file-id';

export interface PenpotEventInfo {
  name: string;
  routingKey: RoutingKey;
  description: string;
}

/** The 24 RPC methods marked `::webhooks/event? true` (§4.3), in that table's order. */
export const PENPOT_EVENTS: readonly PenpotEventInfo[] = [
  { name: 'create-file', routingKey: 'team-id', description: 'A file was created.' },
  { name: 'update-file', routingKey: 'team-id', description: 'A file was edited (debounced: 2 minutes per profile and file).' },
  { name: 'rename-file', routingKey: 'project-id', description: 'A file was renamed.' },
  { name: 'set-file-shared', routingKey: 'project-id', description: 'A file was published as a shared library, or unpublished.' },
  { name: 'delete-file', routingKey: 'project-id', description: 'A file was deleted.' },
  { name: 'link-file-to-library', routingKey: 'file-id', description: 'A shared library was connected to a file.' },
  { name: 'unlink-file-from-library', routingKey: 'file-id', description: 'A shared library was disconnected from a file.' },
  { name: 'create-project', routingKey: 'team-id', description: 'A project was created.' },
  { name: 'update-project-pin', routingKey: 'team-id', description: 'A project was pinned or unpinned (debounced: 5 seconds).' },
  { name: 'rename-project', routingKey: 'team-id', description: 'A project was renamed.' },
  { name: 'delete-project', routingKey: 'team-id', description: 'A project was deleted.' },
  { name: 'duplicate-file', routingKey: 'file-id', description: 'A file was duplicated.' },
  { name: 'duplicate-project', routingKey: 'project-id', description: 'A project was duplicated.' },
  { name: 'move-files', routingKey: 'project-id', description: 'Files were moved to another project.' },
  { name: 'move-project', routingKey: 'team-id', description: 'A project was moved to another team.' },
  { name: 'clone-template', routingKey: 'project-id', description: 'A template was imported into a project.' },
  { name: 'create-comment-thread', routingKey: 'file-id', description: 'A comment thread was started on a file.' },
  { name: 'create-comment', routingKey: 'file-id', description: 'A reply was added to a comment thread.' },
  { name: 'create-font-variant', routingKey: 'team-id', description: 'A font variant was uploaded.' },
  { name: 'update-font', routingKey: 'team-id', description: 'A font family was renamed.' },
  { name: 'delete-font', routingKey: 'team-id', description: 'A font family was deleted.' },
  { name: 'delete-font-variant', routingKey: 'team-id', description: 'A font variant was deleted.' },
  { name: 'export-binfile', routingKey: 'file-id', description: 'A file was exported as a .penpot file.' },
  { name: 'import-binfile', routingKey: 'project-id', description: 'A .penpot file was imported into a project.' },
];

/** Penpot's event map (§4.2): exactly these keys, as keyword names. */
export interface PenpotEvent extends TransitMapObject {
  name: string;
  'profile-id': TransitNode;
  props: TransitMapObject;
  'created-at': TransitNode;
  'tracked-at': TransitNode;
}

export interface PenpotEventContext {
  profileId?: string;
  teamId?: string;
  projectId?: string;
  fileId?: string;
  /** Merged over the generated props (kebab keyword names). A null removes the prop, as Penpot drops nils (§4.1). */
  props?: Record<string, TransitNode>;
  now?: Date;
}

export function findPenpotEvent(name: string): PenpotEventInfo | undefined {
  return PENPOT_EVENTS.find((e) => e.name === name);
}

/**
 * Builds a plausible payload of event `name` in Penpot's exact shape: request params plus the "extra props" of
 * §4.3, random UUIDs for ids the context does not give. Throws on a name that is not one of PENPOT_EVENTS.
 */
export function buildPenpotEvent(name: string, context: PenpotEventContext = {}): PenpotEvent {
  const build = PROPS_BY_EVENT[name];
  if (!build) {
    throw new Error(`Unknown Penpot event "${name}". Valid events: ${PENPOT_EVENTS.map((e) => e.name).join(', ')}.`);
  }
  const now = context.now ?? new Date();
  const ids: EventIds = {
    profileId: context.profileId ?? randomUUID(),
    teamId: context.teamId ?? randomUUID(),
    projectId: context.projectId ?? randomUUID(),
    fileId: context.fileId ?? randomUUID(),
  };
  const props: TransitMapObject = build(ids, now);
  for (const [key, value] of Object.entries(context.props ?? {})) {
    if (value === null) delete props[key];
    else props[key] = value;
  }
  // Penpot stamps created-at and tracked-at with the same request time (§4.2).
  const at = instant(now);
  return { name, 'profile-id': uuid(ids.profileId), props, 'created-at': at, 'tracked-at': at };
}

export interface EncodedPenpotEvent {
  body: string;
  contentType: WebhookMtype;
}

/**
 * The request body Penpot's delivery writes for a webhook of this format (§4.1 step 4): JSON is data.json with
 * `:key-fn str/camel :indent true`; Transit is compact `t/encode-str`.
 */
export function encodePenpotEvent(event: PenpotEvent, format: WebhookFormat): EncodedPenpotEvent {
  const body = format === 'json' ? writePenpotJson(event, { indent: true }) : encodeTransit(event);
  return { body, contentType: MTYPE_BY_FORMAT[format] };
}

// --- Props per event (§4.3) ---------------------------------------------------------------------------------------

interface EventIds {
  profileId: string;
  teamId: string;
  projectId: string;
  fileId: string;
}

type PropsBuilder = (ids: EventIds, now: Date) => TransitMapObject;

const FILE_NAMES = ['Landing page', 'Design system', 'Mobile app — onboarding', 'Icons', 'Marketing banners'];
const PROJECT_NAMES = ['Website redesign', 'Brand', 'Mobile', 'Drafts'];
const FONT_FAMILIES = ['Inter', 'Work Sans', 'Source Serif', 'Fira Code'];
const COMMENTS = ['Can we make this button larger?', 'Looks good to me.', 'The spacing here is off by 4px.'];
const FILE_FEATURES = ['components/v2', 'fdata/shape-data-type', 'styles/v2', 'layout/grid', 'design-tokens/v1'];

function pick<T>(list: readonly T[]): T {
  return list[randomInt(list.length)];
}

/**
 * A database timestamp `daysAgo` days before `now`. Millisecond precision: Penpot's Transit writes instants as
 * `~m<millis>` (§1.5), so a finer value would make the two encodings of one event disagree.
 */
function dbInstant(now: Date, daysAgo: number): TransitNode {
  return instant(now.getTime() - Math.round(daysAgo * 86_400_000) - randomInt(1000));
}

const file = (ids: EventIds): TransitMapObject => ({ id: uuid(ids.fileId), 'project-id': uuid(ids.projectId) });

const PROPS_BY_EVENT: Record<string, PropsBuilder> = {
  'create-file': (ids) => ({
    name: pick(FILE_NAMES), 'project-id': uuid(ids.projectId), features: setOf([...FILE_FEATURES]),
    'team-id': uuid(ids.teamId),
  }),
  // replace-props: only these five keys are sent, not the change list
  'update-file': (ids) => ({
    id: uuid(ids.fileId), name: pick(FILE_NAMES), features: setOf([...FILE_FEATURES]),
    'project-id': uuid(ids.projectId), 'team-id': uuid(ids.teamId),
  }),
  'rename-file': (ids, now) => ({
    name: pick(FILE_NAMES), ...file(ids), 'created-at': dbInstant(now, 12), 'modified-at': dbInstant(now, 0),
  }),
  'set-file-shared': (ids) => ({ ...file(ids), 'is-shared': true, name: pick(FILE_NAMES) }),
  'delete-file': (ids, now) => ({
    ...file(ids), name: pick(FILE_NAMES), 'created-at': dbInstant(now, 40), 'modified-at': dbInstant(now, 2),
  }),
  'link-file-to-library': (ids) => ({ 'file-id': uuid(ids.fileId), 'library-id': uuid(randomUUID()) }),
  'unlink-file-from-library': (ids) => ({ 'file-id': uuid(ids.fileId), 'library-id': uuid(randomUUID()) }),
  'create-project': (ids) => ({ 'team-id': uuid(ids.teamId), name: pick(PROJECT_NAMES) }),
  'update-project-pin': (ids) => ({ 'team-id': uuid(ids.teamId), id: uuid(ids.projectId), 'is-pinned': true }),
  'rename-project': (ids) => ({
    id: uuid(ids.projectId), name: pick(PROJECT_NAMES), 'team-id': uuid(ids.teamId), 'prev-name': 'Drafts',
  }),
  'delete-project': (ids, now) => ({
    id: uuid(ids.projectId), 'team-id': uuid(ids.teamId), name: pick(PROJECT_NAMES),
    'created-at': dbInstant(now, 90), 'modified-at': dbInstant(now, 5),
  }),
  'duplicate-file': (ids) => ({ 'file-id': uuid(ids.fileId), name: `${pick(FILE_NAMES)} (copy)` }),
  'duplicate-project': (ids) => ({ 'project-id': uuid(ids.projectId), name: `${pick(PROJECT_NAMES)} (copy)` }),
  'move-files': (ids) => ({ ids: setOf([uuid(ids.fileId), uuid(randomUUID())]), 'project-id': uuid(ids.projectId) }),
  'move-project': (ids) => ({ 'team-id': uuid(ids.teamId), 'project-id': uuid(ids.projectId) }),
  'clone-template': (ids) => ({ 'project-id': uuid(ids.projectId), 'template-id': 'wireframing-kit' }),
  // the params merged with the inserted thread row
  'create-comment-thread': (ids, now) => {
    const at = dbInstant(now, 0);
    return {
      id: uuid(randomUUID()), 'file-id': uuid(ids.fileId), 'page-id': uuid(randomUUID()),
      'frame-id': uuid(randomUUID()), 'owner-id': uuid(ids.profileId), 'page-name': 'Page 1',
      position: tagged('point', { x: 412.5, y: 188 }),
      content: pick(COMMENTS), participants: setOf([uuid(ids.profileId)]), mentions: setOf([]),
      seqn: 1 + randomInt(40), 'is-resolved': false, 'created-at': at, 'modified-at': at,
    };
  },
  // the comment row plus its owner
  'create-comment': (ids, now) => {
    const at = dbInstant(now, 0);
    return {
      id: uuid(randomUUID()), 'thread-id': uuid(randomUUID()), 'file-id': uuid(ids.fileId),
      'owner-id': uuid(ids.profileId), 'owner-fullname': 'Ada Lovelace', 'owner-email': 'ada@example.com',
      content: pick(COMMENTS), mentions: setOf([]), 'created-at': at, 'modified-at': at,
    };
  },
  // replace-props: the params, with the uploaded bytes replaced by their mime types
  'create-font-variant': (ids) => ({
    'team-id': uuid(ids.teamId), 'font-id': uuid(randomUUID()), 'font-family': pick(FONT_FAMILIES),
    'font-weight': 400, 'font-style': 'normal', data: ['font/woff2', 'font/ttf'],
  }),
  'update-font': (ids) => ({
    id: uuid(randomUUID()), name: pick(FONT_FAMILIES), 'team-id': uuid(ids.teamId), 'profile-id': uuid(ids.profileId),
  }),
  'delete-font': (ids) => ({
    id: uuid(randomUUID()), 'team-id': uuid(ids.teamId), name: pick(FONT_FAMILIES), 'profile-id': uuid(ids.profileId),
  }),
  'delete-font-variant': (ids) => ({
    id: uuid(randomUUID()), 'team-id': uuid(ids.teamId), 'font-family': pick(FONT_FAMILIES),
    'font-id': uuid(randomUUID()),
  }),
  'export-binfile': (ids) => ({ 'file-id': uuid(ids.fileId), 'include-libraries': true, 'embed-assets': false }),
  // `file` is set to nil by the extra props and so dropped by the nil cleaning (§4.1 step 1)
  'import-binfile': (ids) => ({
    name: pick(FILE_NAMES), 'project-id': uuid(ids.projectId), 'file-id': uuid(ids.fileId), version: 3,
    'generated-by': 'penpot/2.17.0',
  }),
};
