// What Penpot's 24 webhook events are, as data: how a person causes each one, how Penpot routes it to webhooks,
// which are debounced, the props each carries (names, types, optionality), the payload shapes Penpot versions have
// sent, and where in Penpot's source each fact was read. The generator (./events.ts), the twin and the docs read
// this module; nothing else describes an event. Read from Penpot 2.0–2.17 source (derived, not run against a live
// instance; see docs/penpot-conformance.md). No `vscode` here.

/** The prop through which Penpot finds the webhooks of an event: team-id, else project-id, else file-id (§4.1 step 3). */
export type RoutingKey = 'team-id' | 'project-id' | 'file-id';

/** The payload shapes Penpot has delivered (conformance finding 4). */
export type PayloadShape = '2.15+' | '2.14' | '2.2–2.13' | '2.0–2.1';

export const PAYLOAD_SHAPES: readonly PayloadShape[] = ['2.15+', '2.14', '2.2–2.13', '2.0–2.1'];

export interface PayloadShapeInfo {
  shape: PayloadShape;
  /** Top-level keys in the order Penpot's map produces them (kebab keyword names). */
  keys: readonly string[];
  description: string;
  source: string;
}

/**
 * Top-level keys per shape. ≥ 2.15: the order of Penpot's PersistentHashMap (audit.clj:356-388, checked against a
 * live 2.17.0 capture). The older shapes' orders are derived from their map literals, unverified.
 */
export const PAYLOAD_SHAPE_INFO: Record<PayloadShape, PayloadShapeInfo> = {
  '2.15+': {
    shape: '2.15+', keys: ['name', 'tracked-at', 'profile-id', 'created-at', 'props'],
    description: 'No `id`; `createdAt` is stamped after the handler ran, `trackedAt` is the request time.',
    source: 'backend/src/app/loggers/audit.clj:356-417 (since 2.15.0, commit 7d4be33d4f)',
  },
  '2.14': {
    shape: '2.14', keys: ['id', 'name', 'tracked-at', 'profile-id', 'created-at', 'props'],
    description: 'A random top-level `id`; `createdAt` and `trackedAt` hold the same handling time.',
    source: 'backend/src/app/loggers/audit.clj:227,251-254 at 2.14.0',
  },
  '2.2–2.13': {
    shape: '2.2–2.13', keys: ['id', 'name', 'profile-id', 'props'],
    description: '`id`, `name`, `profileId`, `props`; no timestamps.',
    source: 'backend/src/app/loggers/audit.clj:234-245 at 2.13.0',
  },
  '2.0–2.1': {
    shape: '2.0–2.1', keys: ['id', 'name', 'profile-id', 'context', 'props'],
    description: 'As 2.2–2.13 plus `context` (`{}` or `{accessTokenId}`). Deliveries were broken in 2.1.0–2.1.4.',
    source: 'backend/src/app/loggers/audit.clj at 2.0.0; CHANGES.md 2.1.5',
  },
};

/** The shape a Penpot version (e.g. "2.13", "2.17.1") delivers; undefined for versions before 2.0 or unreadable text. */
export function shapeForVersion(version: string): PayloadShape | undefined {
  const match = /^(\d+)\.(\d+)(?:\.\d+)?(?:[-.].*)?$/.exec(version.trim());
  if (!match) return undefined;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major > 2 || (major === 2 && minor >= 15)) return '2.15+';
  if (major !== 2) return undefined;
  if (minor === 14) return '2.14';
  if (minor >= 2) return '2.2–2.13';
  return '2.0–2.1';
}

/** The type of a prop's value, in Penpot's terms (the JSON form is noted where it differs). */
export type PropType =
  | 'uuid' // JSON: string
  | 'string'
  | 'boolean'
  | 'integer'
  | 'double' // written with a fraction: 188.0
  | 'instant' // JSON: ISO string, milliseconds
  | 'uuid-set' // JSON: array of strings
  | 'string-array'
  | 'point' // Penpot's point record of doubles: {x, y}
  | 'any'; // left open by the source (rows merged in); typed loosely

/** How the generator fills a prop (ids come from the context when it gives them). */
export type PropSample =
  | 'team-id' | 'project-id' | 'file-id' | 'profile-id' | 'new-id'
  | 'file-name' | 'file-name-copy' | 'project-name' | 'project-name-copy' | 'prev-project-name'
  | 'font-family' | 'font-weight' | 'font-style' | 'font-mimes' | 'comment' | 'fullname' | 'email' | 'page-name'
  | 'features' | 'id-set' | 'empty-set' | 'profile-set' | 'true' | 'false' | 'seqn' | 'position' | 'template'
  | 'binfile-version' | 'generated-by'
  /** A database timestamp this many days before the request. */
  | 'db-past'
  /** Set inside the handler: after `trackedAt`, before `createdAt` (conformance finding 11). */
  | 'in-handler';

export interface PropSpec {
  /** Kebab keyword name, as in Transit (`project-id`; JSON: `projectId`). */
  name: string;
  type: PropType;
  /** Absent in some deliveries (a param the client may omit, a nil Penpot drops). */
  optional?: boolean;
  /** Omitted by the generator unless asked for (e.g. only API in-place imports send it). */
  rare?: boolean;
  sample: PropSample;
  /** Days before the request, for `db-past`. */
  daysAgo?: number;
  note?: string;
}

export interface PenpotEventInfo {
  name: string;
  /** What a person does in Penpot to cause it, in plain words. */
  description: string;
  routingKey: RoutingKey;
  /** When the event reaches no webhook at all, in plain words (conformance finding 2). */
  reachesNobody?: string;
  /** Penpot delays the event by this much and delivers only the last of a burst (conformance finding 14). */
  debounceMs?: number;
  /** What the debounce dedupes on, after `rpc:<name>:<profile-id>:`. */
  debounceKey?: string;
  /** Fired when the handler returns its stream, even if the work later fails. */
  sse?: boolean;
  /**
   * `source`: props come from a `replace-props` literal and keep its order. `hash`: request params merged with rows,
   * which Penpot's hash map orders; the catalog order is then only the generator's.
   */
  propOrder: 'source' | 'hash';
  props: readonly PropSpec[];
  /** Penpot source the props and routing were read from (develop 66bb6a11df, 2.17.1-RC1). */
  source: string;
}

const p = (name: string, type: PropType, sample: PropSample, extra: Partial<PropSpec> = {}): PropSpec => ({ name, type, sample, ...extra });

const MINUTE = 60_000;

/** The 24 RPC methods marked `::webhooks/event? true` (§4.3), in that table's order. */
export const PENPOT_EVENTS: readonly PenpotEventInfo[] = [
  {
    name: 'create-file', description: 'Someone creates a new file in a project (Projects → "+ New file").',
    routingKey: 'team-id', propOrder: 'hash', source: 'backend/src/app/rpc/commands/files_create.clj:82-141',
    props: [
      p('name', 'string', 'file-name'), p('project-id', 'uuid', 'project-id'), p('features', 'string-array', 'features', { optional: true, note: 'a set: the features the client sent' }),
      p('id', 'uuid', 'file-id', { optional: true, rare: true }), p('is-shared', 'boolean', 'false', { optional: true, rare: true }),
      p('team-id', 'uuid', 'team-id'),
    ],
  },
  {
    name: 'update-file', description: 'Someone edits a file (any change saved from the workspace); debounced.',
    routingKey: 'team-id', debounceMs: 2 * MINUTE, debounceKey: 'file id', propOrder: 'source',
    source: 'backend/src/app/rpc/commands/files_update.clj:132-139,286-291; audit.clj:258-281',
    props: [
      p('id', 'uuid', 'file-id'), p('name', 'string', 'file-name'), p('features', 'string-array', 'features', { note: 'a set' }),
      p('project-id', 'uuid', 'project-id'), p('team-id', 'uuid', 'team-id'),
    ],
  },
  {
    name: 'rename-file', description: 'Someone renames a file.', routingKey: 'project-id', propOrder: 'hash',
    source: 'backend/src/app/rpc/commands/files.clj:838-880',
    props: [
      p('name', 'string', 'file-name'), p('id', 'uuid', 'file-id'), p('project-id', 'uuid', 'project-id'),
      p('created-at', 'instant', 'db-past', { daysAgo: 12 }), p('modified-at', 'instant', 'in-handler'),
    ],
  },
  {
    name: 'set-file-shared',
    description: 'Someone publishes a file as a shared library, or unpublishes it.',
    routingKey: 'project-id',
    reachesNobody: 'Publishing (isShared: true) reaches no webhook: the file is loaded without its project-id, so the props carry no routing key. Only unpublishing is delivered.',
    propOrder: 'hash', source: 'backend/src/app/rpc/commands/files.clj:933-1010',
    props: [
      p('id', 'uuid', 'file-id'), p('is-shared', 'boolean', 'false'), p('name', 'string', 'file-name'),
      p('project-id', 'uuid', 'project-id', { optional: true, note: 'only when un-sharing' }),
    ],
  },
  {
    name: 'delete-file', description: 'Someone deletes a file.', routingKey: 'project-id', propOrder: 'hash',
    source: 'backend/src/app/rpc/commands/files.clj:1016-1066',
    props: [
      p('id', 'uuid', 'file-id'), p('project-id', 'uuid', 'project-id'), p('name', 'string', 'file-name'),
      p('created-at', 'instant', 'db-past', { daysAgo: 40 }), p('modified-at', 'instant', 'in-handler'),
    ],
  },
  {
    name: 'link-file-to-library', description: 'Someone connects a shared library to a file (Assets → Libraries).',
    routingKey: 'file-id', propOrder: 'hash', source: 'backend/src/app/rpc/commands/files.clj:1090',
    props: [p('file-id', 'uuid', 'file-id'), p('library-id', 'uuid', 'new-id')],
  },
  {
    name: 'unlink-file-from-library', description: 'Someone disconnects a shared library from a file.',
    routingKey: 'file-id', propOrder: 'hash', source: 'backend/src/app/rpc/commands/files.clj:1121',
    props: [p('file-id', 'uuid', 'file-id'), p('library-id', 'uuid', 'new-id')],
  },
  {
    name: 'create-project', description: 'Someone creates a project in a team.', routingKey: 'team-id', propOrder: 'hash',
    source: 'backend/src/app/rpc/commands/projects.clj:203',
    props: [p('team-id', 'uuid', 'team-id'), p('name', 'string', 'project-name'), p('id', 'uuid', 'project-id', { optional: true, rare: true })],
  },
  {
    name: 'update-project-pin', description: 'Someone pins or unpins a project on the dashboard; debounced.',
    routingKey: 'team-id', debounceMs: 5000, debounceKey: 'project id', propOrder: 'hash',
    source: 'backend/src/app/rpc/commands/projects.clj:232-238',
    props: [p('team-id', 'uuid', 'team-id'), p('is-pinned', 'boolean', 'true'), p('id', 'uuid', 'project-id')],
  },
  {
    name: 'rename-project', description: 'Someone renames a project.', routingKey: 'team-id', propOrder: 'hash',
    source: 'backend/src/app/rpc/commands/projects.clj:254-269',
    props: [
      p('id', 'uuid', 'project-id'), p('name', 'string', 'project-name'), p('team-id', 'uuid', 'team-id'),
      p('prev-name', 'string', 'prev-project-name'),
    ],
  },
  {
    name: 'delete-project', description: 'Someone deletes a project.', routingKey: 'team-id', propOrder: 'hash',
    source: 'backend/src/app/rpc/commands/projects.clj:297-313',
    props: [
      p('id', 'uuid', 'project-id'), p('team-id', 'uuid', 'team-id'), p('name', 'string', 'project-name'),
      p('created-at', 'instant', 'db-past', { daysAgo: 90 }), p('modified-at', 'instant', 'in-handler'),
    ],
  },
  {
    name: 'duplicate-file', description: 'Someone duplicates a file (routed by the source file).', routingKey: 'file-id',
    propOrder: 'hash', source: 'backend/src/app/rpc/commands/management.clj:99',
    props: [p('file-id', 'uuid', 'file-id'), p('name', 'string', 'file-name-copy', { optional: true })],
  },
  {
    name: 'duplicate-project', description: 'Someone duplicates a project (routed by the source project).',
    routingKey: 'project-id', propOrder: 'hash', source: 'backend/src/app/rpc/commands/management.clj:160',
    props: [p('project-id', 'uuid', 'project-id'), p('name', 'string', 'project-name-copy', { optional: true })],
  },
  {
    name: 'move-files', description: 'Someone moves files to another project (routed by the destination).',
    routingKey: 'project-id', propOrder: 'hash', source: 'backend/src/app/rpc/commands/management.clj:334',
    props: [p('ids', 'uuid-set', 'id-set'), p('project-id', 'uuid', 'project-id')],
  },
  {
    name: 'move-project', description: 'Someone moves a project to another team (routed by the destination).',
    routingKey: 'team-id', propOrder: 'hash', source: 'backend/src/app/rpc/commands/management.clj:403',
    props: [p('team-id', 'uuid', 'team-id'), p('project-id', 'uuid', 'project-id')],
  },
  {
    name: 'clone-template', description: 'Someone adds a template from the libraries & templates gallery to a project.',
    routingKey: 'project-id', sse: true, propOrder: 'hash', source: 'backend/src/app/rpc/commands/management.clj:459',
    props: [p('project-id', 'uuid', 'project-id'), p('template-id', 'string', 'template')],
  },
  {
    name: 'create-comment-thread', description: 'Someone starts a comment thread on a file (comments tool, click on the canvas).',
    routingKey: 'file-id', propOrder: 'hash', source: 'backend/src/app/rpc/commands/comments.clj:439-523',
    props: [
      p('id', 'uuid', 'new-id'), p('file-id', 'uuid', 'file-id'), p('owner-id', 'uuid', 'profile-id'),
      p('created-at', 'instant', 'in-handler'), p('modified-at', 'instant', 'in-handler'), p('page-id', 'uuid', 'new-id'),
      p('participants', 'uuid-set', 'profile-set', { note: 'the row as inserted: decoded to a set' }),
      p('seqn', 'integer', 'seqn'), p('position', 'point', 'position'), p('is-resolved', 'boolean', 'false'),
      p('page-name', 'string', 'page-name'), p('frame-id', 'uuid', 'new-id'), p('mentions', 'uuid-set', 'empty-set'),
      p('content', 'string', 'comment'), p('owner-fullname', 'string', 'fullname'), p('owner-email', 'string', 'email'),
      p('owner-photo-id', 'uuid', 'new-id', { optional: true, rare: true, note: 'dropped when the owner has no photo' }),
      p('comment-id', 'uuid', 'new-id', { note: 'the first comment of the thread' }),
    ],
  },
  {
    name: 'create-comment', description: 'Someone replies in a comment thread.', routingKey: 'file-id', propOrder: 'hash',
    source: 'backend/src/app/rpc/commands/comments.clj:573-631',
    props: [
      p('id', 'uuid', 'new-id'), p('thread-id', 'uuid', 'new-id'), p('owner-id', 'uuid', 'profile-id'),
      p('created-at', 'instant', 'in-handler'), p('modified-at', 'instant', 'in-handler'), p('content', 'string', 'comment'),
      p('mentions', 'uuid-set', 'empty-set'), p('file-id', 'uuid', 'file-id'), p('owner-fullname', 'string', 'fullname'),
      p('owner-email', 'string', 'email'), p('owner-photo-id', 'uuid', 'new-id', { optional: true, rare: true }),
    ],
  },
  {
    name: 'create-font-variant', description: 'Someone uploads a font to the team (Fonts → Add custom font).',
    routingKey: 'team-id', propOrder: 'hash', source: 'backend/src/app/rpc/commands/fonts.clj:127-129,159-260',
    props: [
      p('team-id', 'uuid', 'team-id'), p('font-id', 'uuid', 'new-id'), p('font-family', 'string', 'font-family'),
      p('font-weight', 'integer', 'font-weight'), p('font-style', 'string', 'font-style'),
      p('data', 'string-array', 'font-mimes', { note: 'the uploaded files replaced by their mime types' }),
      p('profile-id', 'uuid', 'profile-id'),
    ],
  },
  {
    name: 'update-font', description: 'Someone renames a font family.', routingKey: 'team-id', propOrder: 'source',
    source: 'backend/src/app/rpc/commands/fonts.clj:271-290',
    props: [p('id', 'uuid', 'new-id'), p('name', 'string', 'font-family'), p('team-id', 'uuid', 'team-id'), p('profile-id', 'uuid', 'profile-id')],
  },
  {
    name: 'delete-font', description: 'Someone deletes a font family.', routingKey: 'team-id', propOrder: 'hash',
    source: 'backend/src/app/rpc/commands/fonts.clj:299-336',
    props: [p('team-id', 'uuid', 'team-id'), p('id', 'uuid', 'new-id'), p('name', 'string', 'font-family'), p('profile-id', 'uuid', 'profile-id')],
  },
  {
    name: 'delete-font-variant', description: 'Someone deletes one variant (weight/style) of a font.', routingKey: 'team-id',
    propOrder: 'hash', source: 'backend/src/app/rpc/commands/fonts.clj:344-367',
    props: [p('team-id', 'uuid', 'team-id'), p('id', 'uuid', 'new-id'), p('font-family', 'string', 'font-family'), p('font-id', 'uuid', 'new-id')],
  },
  {
    name: 'export-binfile', description: 'Someone exports a file as a .penpot file.', routingKey: 'file-id', sse: true,
    propOrder: 'hash', source: 'backend/src/app/rpc/commands/binfile.clj:71-78',
    props: [p('file-id', 'uuid', 'file-id'), p('include-libraries', 'boolean', 'true'), p('embed-assets', 'boolean', 'false')],
  },
  {
    name: 'import-binfile', description: 'Someone imports a .penpot file into a project.', routingKey: 'project-id', sse: true,
    propOrder: 'hash', source: 'backend/src/app/rpc/commands/binfile.clj:133-180; frontend/src/app/worker/import.cljs:153-164',
    props: [
      p('name', 'string', 'file-name'), p('upload-id', 'uuid', 'new-id', { optional: true }),
      p('version', 'integer', 'binfile-version', { optional: true }), p('project-id', 'uuid', 'project-id'),
      p('file-id', 'uuid', 'file-id', { optional: true, rare: true, note: 'only for API in-place imports' }),
      p('generated-by', 'string', 'generated-by', { note: '"penpot/<full version>"; `referer` is always nil, so never sent' }),
    ],
  },
];

export function findPenpotEvent(name: string): PenpotEventInfo | undefined {
  return PENPOT_EVENTS.find((e) => e.name === name);
}
