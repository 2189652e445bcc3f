// The webhook contract: every generated example validates against its JSON Schema (ajv, draft 2020-12) for all 24
// events and every payload shape, mutations fail, and the runtime validator agrees with ajv path by path.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { PAYLOAD_SHAPES, PENPOT_EVENTS, type PayloadShape, type PropType } from '../../../src/penpot/catalog';
import { buildPenpotEvent, encodePenpotEvent } from '../../../src/penpot/events';
import { camelKey } from '../../../src/penpot/json';
import { anyEventSchema, eventSchema } from '../../../src/penpot/schema';
import { camelKeyMemo, describeValidation, kebabKeyMemo, validatePenpotEvent } from '../../../src/penpot/validate';
import { decodeBody } from '../../../src/receiver/decode';

const ajv = new Ajv2020({ allErrors: true, strict: true });
const perEvent = new Map<string, ValidateFunction>();
const anyEvent = new Map<PayloadShape, ValidateFunction>();
for (const shape of PAYLOAD_SHAPES) {
  anyEvent.set(shape, ajv.compile(anyEventSchema(shape)));
  for (const info of PENPOT_EVENTS) perEvent.set(`${shape} ${info.name}`, ajv.compile(eventSchema(info.name, shape)));
}

type Json = Record<string, unknown> & { props: Record<string, unknown> };

function jsonExample(name: string, shape: PayloadShape, props?: Record<string, null>): Json {
  return JSON.parse(encodePenpotEvent(buildPenpotEvent(name, { shape, ...(props ? { props } : {}) }), 'json').body) as Json;
}

function transitExample(name: string, shape: PayloadShape): Record<string, unknown> & { props: Record<string, unknown> } {
  const { body, contentType } = encodePenpotEvent(buildPenpotEvent(name, { shape }), 'transit');
  const decoded = decodeBody(Buffer.from(body), contentType).decoded;
  assert.equal(decoded?.kind, 'transit');
  return decoded.value as Record<string, unknown> & { props: Record<string, unknown> };
}

/** ajv's errors as the validator's dotted paths; the `if` wrappers of the any-event schema carry no path of their own. */
function ajvPaths(errors: ErrorObject[] | null | undefined): Set<string> {
  const paths = new Set<string>();
  for (const error of errors ?? []) {
    if (error.keyword === 'if') continue;
    const base = error.instancePath.split('/').slice(1);
    if (error.keyword === 'required') base.push(String(error.params.missingProperty));
    if (error.keyword === 'additionalProperties') base.push(String(error.params.additionalProperty));
    paths.add(base.join('.'));
  }
  return paths;
}

const normalise = (path: string): string => path.replace(/\[(\d+)\]/g, '.$1');

/** A value of the wrong JSON type for `type`. */
const WRONG: Record<Exclude<PropType, 'any'>, unknown> = {
  uuid: 'not-a-uuid', string: 42, boolean: 'true', integer: 1.5, double: 'x', instant: 'yesterday',
  'uuid-set': ['nope'], 'string-array': 'a', point: { x: '1', y: 2 },
};

/** Checks ajv (per-event and any-event schemas) and the validator reject `payload`, and that they name the same paths. */
function assertBothReject(payload: unknown, shape: PayloadShape, event: string | undefined, expectedPath: string): string[] {
  const anyValidate = anyEvent.get(shape)!;
  assert.equal(anyValidate(payload), false, `ajv (any event) accepted ${expectedPath}`);
  const schemaPaths = ajvPaths(anyValidate.errors);
  if (event !== undefined) {
    const validate = perEvent.get(`${shape} ${event}`)!;
    assert.equal(validate(payload), false, `ajv (${event}) accepted ${expectedPath}`);
    assert.deepEqual(ajvPaths(validate.errors), schemaPaths);
  }
  const result = validatePenpotEvent(payload, 'json', { shape });
  assert.equal(result.matches, false, `validator accepted ${expectedPath}`);
  const ours = new Set(result.problems.map((p) => normalise(p.path)));
  assert.deepEqual([...ours].sort(), [...schemaPaths].sort(), 'validator and ajv disagree on the paths');
  assert.ok(ours.has(normalise(expectedPath)), `no problem at ${expectedPath}: ${describeValidation(result).join('; ')}`);
  return describeValidation(result);
}

describe('webhook contract: examples', () => {
  for (const shape of PAYLOAD_SHAPES) {
    it(`every event's JSON and Transit example matches (Penpot ${shape})`, () => {
      for (const info of PENPOT_EVENTS) {
        // With its optional props and without them: both are what Penpot sends.
        const optional = Object.fromEntries(info.props.filter((p) => p.optional).map((p) => [p.name, null]));
        for (const payload of [jsonExample(info.name, shape), jsonExample(info.name, shape, optional)]) {
          const validate = perEvent.get(`${shape} ${info.name}`)!;
          assert.equal(validate(payload), true, `${info.name}: ${JSON.stringify(validate.errors)}`);
          const any = anyEvent.get(shape)!;
          assert.equal(any(payload), true, `${info.name} (any event): ${JSON.stringify(any.errors)}`);
          const result = validatePenpotEvent(payload, 'json');
          assert.deepEqual(result.problems, [], info.name);
          assert.deepEqual([result.event, result.shape, result.shapeRecognized, result.matches], [info.name, shape, true, true]);
        }
        const transit = validatePenpotEvent(transitExample(info.name, shape), 'transit');
        assert.deepEqual(transit.problems, [], `${info.name} (transit)`);
        assert.deepEqual([transit.event, transit.shape], [info.name, shape]);
      }
    });
  }

  it('says what matched', () => {
    assert.deepEqual(describeValidation(validatePenpotEvent(jsonExample('rename-file', '2.15+'), 'json')), ['matches rename-file (Penpot 2.15+)']);
  });

  it('a payload of one shape does not pass as another', () => {
    const old = jsonExample('rename-file', '2.2–2.13');
    assert.equal(anyEvent.get('2.15+')!(old), false);
    const result = validatePenpotEvent(old, 'json', { shape: '2.15+' });
    assert.deepEqual(result.problems.map((p) => p.path).sort(), ['createdAt', 'id', 'trackedAt']);
  });
});

describe('webhook contract: key memo', () => {
  it('a payload with more distinct keys than the memo holds is checked the same, and the memo stays bounded', () => {
    const payload = jsonExample('rename-file', '2.15+');
    const extra = kebabKeyMemo.limit + 500;
    for (let i = 0; i < extra; i++) payload[`extraField${i}`] = i;
    const result = validatePenpotEvent(payload, 'json');
    assert.equal(result.problems.length, extra);
    assert.deepEqual(result.problems[0], { path: 'extraField0', kind: 'not-sent-by-penpot', message: 'a field Penpot 2.15+ does not send' });
    assert.ok(kebabKeyMemo.size <= kebabKeyMemo.limit && camelKeyMemo.size <= camelKeyMemo.limit, `${kebabKeyMemo.size}, ${camelKeyMemo.size}`);
    assert.deepEqual(validatePenpotEvent(jsonExample('rename-file', '2.15+'), 'json').problems, [], 'checked after the memo started over');
  });
});

describe('webhook contract: mutations', () => {
  for (const shape of PAYLOAD_SHAPES) {
    it(`wrong type, missing prop and extra field are reported with their paths for every event (Penpot ${shape})`, () => {
      for (const info of PENPOT_EVENTS) {
        const typed = info.props.find((p) => !p.rare && p.type !== 'any');
        assert.ok(typed, info.name);
        const wrong = jsonExample(info.name, shape);
        const key = camelKey(typed.name);
        wrong.props[key] = WRONG[typed.type as Exclude<PropType, 'any'>];
        const path = typed.type === 'uuid-set' ? `props.${key}[0]` : typed.type === 'point' ? `props.${key}.x` : `props.${key}`;
        assertBothReject(wrong, shape, info.name, path);

        const required = info.props.find((p) => !p.optional)!;
        const missing = jsonExample(info.name, shape);
        delete missing.props[camelKey(required.name)];
        assertBothReject(missing, shape, info.name, `props.${camelKey(required.name)}`);

        const extraProp = jsonExample(info.name, shape);
        extraProp.props.unexpectedField = 1;
        const lines = assertBothReject(extraProp, shape, info.name, 'props.unexpectedField');
        assert.ok(lines.includes(`props.unexpectedField: a field Penpot does not send with ${info.name}`), lines.join('; '));

        const extraTop = jsonExample(info.name, shape);
        extraTop.webhookId = 'x';
        assertBothReject(extraTop, shape, info.name, 'webhookId');

        const noProfile = jsonExample(info.name, shape);
        delete noProfile.profileId;
        assertBothReject(noProfile, shape, info.name, 'profileId');
      }
    });
  }

  it('reports `props.name: expected string`', () => {
    const payload = jsonExample('rename-file', '2.15+');
    payload.props.name = 42;
    assert.deepEqual(assertBothReject(payload, '2.15+', 'rename-file', 'props.name'), ['props.name: expected string, got number 42']);
  });

  it('reports an unknown event by name', () => {
    const payload = jsonExample('rename-file', '2.15+');
    payload.name = 'rename-folder';
    const lines = assertBothReject(payload, '2.15+', undefined, 'name');
    assert.deepEqual(lines, ['name: unknown event "rename-folder": not one of Penpot\'s 24 webhook events']);
    assert.equal(validatePenpotEvent(payload, 'json').event, undefined);
  });

  it('checks Transit by its tags: a plain string is no uuid, a vector of uuids is no point', () => {
    const payload = transitExample('create-comment-thread', '2.15+');
    payload.props['file-id'] = 'f2bd3a4e-5b58-80f4-8006-0f1a9e1c6b3a';
    payload.props.position = [1, 2];
    payload.props['extra-thing'] = true;
    const lines = describeValidation(validatePenpotEvent(payload, 'transit'));
    assert.deepEqual(lines, [
      'props.file-id: expected a uuid, got string "f2bd3a4e-5b58-80f4-8006-0f1a9e1c6b3a"',
      'props.position: expected a point {x, y}, got an array',
      'props.extra-thing: a field Penpot does not send with create-comment-thread',
    ]);
  });

  it('a body that is no event at all', () => {
    assert.deepEqual(describeValidation(validatePenpotEvent([1], 'json')), ['(payload): expected a Penpot event (an object), got an array']);
    const result = validatePenpotEvent({ hello: 'world' }, 'json');
    assert.equal(result.shapeRecognized, false);
    const lines = describeValidation(result);
    assert.equal(lines.filter((line) => line.startsWith('name:')).length, 1, lines.join('; '));
    assert.ok(lines.includes('name: missing (Penpot always sends the event name)'), lines.join('; '));
    assert.ok(lines.includes(`hello: a field Penpot ${result.shape} does not send`), lines.join('; '));
  });
});
