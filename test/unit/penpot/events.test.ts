// The Penpot event generator: the 24 events (§4.3), the payload shape (§4.2) and both delivery encodings (§4.1).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPenpotEvent, encodePenpotEvent, PENPOT_EVENTS, type PenpotEvent } from '../../../src/penpot/events';
import { decodeTransit, instant, isTypedNode, kw, setOf, uuid, type TransitNode } from '../../../src/transit';

const PROFILE = 'db601c95-045f-808b-8002-361312e63531';
const TEAM = '0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d';
const PROJECT = '1a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d';
const FILE = '2a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d';
const NOW = new Date('2026-07-24T12:08:41.650Z');

const keysOf = (node: TransitNode): string[] => Object.keys(node as object);

describe('PENPOT_EVENTS', () => {
  it('lists the 24 webhook events of §4.3 once each, with their routing key', () => {
    assert.equal(PENPOT_EVENTS.length, 24);
    assert.equal(new Set(PENPOT_EVENTS.map((e) => e.name)).size, 24);
    const byName = Object.fromEntries(PENPOT_EVENTS.map((e) => [e.name, e.routingKey]));
    assert.equal(byName['rename-file'], 'project-id');
    assert.equal(byName['create-comment'], 'file-id');
    assert.equal(byName['move-project'], 'team-id');
    assert.ok(PENPOT_EVENTS.every((e) => e.description.length > 0));
  });
});

describe('buildPenpotEvent', () => {
  it('builds every event in Penpot\'s shape, carrying its routing key from the context', () => {
    for (const { name, routingKey } of PENPOT_EVENTS) {
      const event = buildPenpotEvent(name, { profileId: PROFILE, teamId: TEAM, projectId: PROJECT, fileId: FILE, now: NOW });
      assert.deepEqual(keysOf(event), ['name', 'tracked-at', 'profile-id', 'created-at', 'props'], name);
      assert.equal(event.name, name);
      assert.deepEqual(event['profile-id'], uuid(PROFILE));
      assert.deepEqual(event['tracked-at'], instant(NOW));
      const expected = { 'team-id': TEAM, 'project-id': PROJECT, 'file-id': FILE }[routingKey];
      assert.deepEqual(event.props[routingKey], uuid(expected), `${name} carries ${routingKey}`);
      assert.ok(Object.values(event.props).every((v) => v !== null), `${name}: Penpot drops nil props`);
    }
  });

  it('gives the extra props of §4.3', () => {
    const ctx = { profileId: PROFILE, teamId: TEAM, projectId: PROJECT, fileId: FILE, now: NOW };
    assert.deepEqual(keysOf(buildPenpotEvent('rename-file', ctx).props), ['name', 'id', 'project-id', 'created-at', 'modified-at']);
    assert.deepEqual(keysOf(buildPenpotEvent('update-file', ctx).props), ['id', 'name', 'features', 'project-id', 'team-id']);
    assert.deepEqual(keysOf(buildPenpotEvent('delete-project', ctx).props), ['id', 'team-id', 'name', 'created-at', 'modified-at']);
    const moved = buildPenpotEvent('move-files', ctx).props.ids as { '~type': string; items: TransitNode[] };
    assert.equal(moved['~type'], 'set');
    assert.deepEqual(moved.items[0], uuid(FILE));
    const font = buildPenpotEvent('create-font-variant', ctx).props;
    assert.deepEqual(font.data, ['font/woff2', 'font/ttf']);
    const comment = buildPenpotEvent('create-comment', ctx).props;
    for (const key of ['id', 'thread-id', 'file-id', 'owner-id', 'owner-fullname', 'content', 'created-at']) assert.ok(key in comment, key);
    const thread = buildPenpotEvent('create-comment-thread', ctx).props;
    assert.ok(isTypedNode(thread.position) && thread.position['~type'] === 'tagged' && thread.position.tag === 'point');
    assert.ok(!('file' in buildPenpotEvent('import-binfile', ctx).props), 'the nil file prop is dropped');
  });

  it('invents UUIDs for ids the context does not give', () => {
    const a = buildPenpotEvent('create-project');
    const b = buildPenpotEvent('create-project');
    assert.notDeepEqual(a['profile-id'], b['profile-id']);
    assert.notDeepEqual(a.props['team-id'], b.props['team-id']);
  });

  it('merges context props over the generated ones; null removes one', () => {
    const event = buildPenpotEvent('rename-file', { props: { name: 'Renamed', 'modified-at': null, extra: kw('yes') } });
    assert.equal(event.props.name, 'Renamed');
    assert.ok(!('modified-at' in event.props));
    assert.deepEqual(event.props.extra, kw('yes'));
  });

  it('throws for an unknown event, listing the valid ones', () => {
    assert.throws(() => buildPenpotEvent('paint-file'), (error: Error) => {
      assert.match(error.message, /^Unknown Penpot event "paint-file"\. Valid events: create-file, update-file, rename-file,/);
      assert.match(error.message, /import-binfile\.$/);
      return true;
    });
  });
});

describe('encodePenpotEvent', () => {
  const event: PenpotEvent = {
    name: 'rename-file',
    'profile-id': uuid(PROFILE),
    props: {
      name: 'Café/Ñ',
      id: uuid(FILE),
      'project-id': uuid(PROJECT),
      'is-shared': false,
      features: setOf(['components/v2']),
      'created-at': instant('2026-07-20T10:00:00.000Z'),
    },
    'created-at': instant(NOW),
    'tracked-at': instant(NOW),
  };

  it('writes JSON exactly as Penpot\'s delivery does: data.json, camelCase keys, :indent true (§4.1 step 4)', () => {
    const encoded = encodePenpotEvent(event, 'json');
    assert.equal(encoded.contentType, 'application/json');
    assert.equal(encoded.body, [
      '{',
      '  "name": "rename-file",',
      `  "profileId": "${PROFILE}",`,
      '  "props": {',
      '    "name": "Caf\\u00e9\\/\\u00d1",',
      `    "id": "${FILE}",`,
      `    "projectId": "${PROJECT}",`,
      '    "isShared": false,',
      '    "features": [',
      '      "components\\/v2"',
      '    ],',
      '    "createdAt": "2026-07-20T10:00:00Z"',
      '  },',
      '  "createdAt": "2026-07-24T12:08:41.650Z",',
      '  "trackedAt": "2026-07-24T12:08:41.650Z"',
      '}',
    ].join('\n'));
  });

  it('writes compact Transit that decodes back to the event', () => {
    const encoded = encodePenpotEvent(event, 'transit');
    assert.equal(encoded.contentType, 'application/transit+json');
    assert.match(encoded.body, /^\["\^ ","~:name","rename-file","~:profile-id","~udb601c95/);
    assert.ok(encoded.body.includes('"~m1784894921650"'), 'instants as ~m millis');
    assert.deepEqual(decodeTransit(encoded.body), event);
  });

  it('encodes every generated event in both formats', () => {
    for (const { name } of PENPOT_EVENTS) {
      const built = buildPenpotEvent(name);
      assert.deepEqual(decodeTransit(encodePenpotEvent(built, 'transit').body), built, name);
      const parsed = JSON.parse(encodePenpotEvent(built, 'json').body);
      assert.deepEqual(Object.keys(parsed), ['name', 'trackedAt', 'profileId', 'createdAt', 'props'], name);
      assert.ok(Object.keys(parsed.props).every((k) => !k.includes('-')), `${name}: camelCase props`);
    }
  });
});
