// The webhooks file: the shipped JSON Schema checked with a standard validator (ajv, draft 2020-12), the runtime
// checks held to the same verdicts, and the places (line:column, JSON Pointer) in the messages.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import { parseJsonWithPlaces } from '../../../src/gitops/jsonWithPlaces';
import {
  WebhooksFileError, isWebhooksFileName, parseWebhooksFile, serializeWebhooksDocument, validateWebhooksDocument,
} from '../../../src/gitops/webhooksFile';

const root = resolve(__dirname, '..', '..', '..');
const schema = JSON.parse(readFileSync(join(root, 'schemas', 'penpot-webhooks.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false }) // anyOf-required is standard; ajv's strict mode only flags it as unusual;
const validateWithAjv = ajv.compile(schema);
const TEAM_ID = '03b78a74-7743-4313-8c92-096b40a7cc8e';

const valid: [string, unknown][] = [
  ['the issue example', { $schema: './schemas/penpot-webhooks.schema.json', teams: [{ team: 'Design System', id: TEAM_ID, webhooks: [{ uri: 'https://ci.example.com/penpot', format: 'json', active: true }] }] }],
  ['no teams', { teams: [] }],
  ['team by id only, defaults for format and active', { teams: [{ id: TEAM_ID, webhooks: [{ uri: 'http://hooks.example.com:8080/x?y=1' }] }] }],
  ['team by name, no webhooks', { teams: [{ team: 'Marketing', webhooks: [] }] }],
  ['transit, inactive', { teams: [{ team: 'A', webhooks: [{ uri: 'https://a.example/1', format: 'transit', active: false }] }] }],
  ['eight webhooks', { teams: [{ team: 'A', webhooks: Array.from({ length: 8 }, (_, i) => ({ uri: `https://a.example/${i}` })) }] }],
];

// [name, document, JSON Pointer the runtime check names]
const invalid: [string, unknown, string][] = [
  ['not an object', [], ''],
  ['teams missing', {}, ''],
  ['teams not an array', { teams: {} }, '/teams'],
  ['unknown top-level key', { teams: [], token: 'x' }, '/token'],
  ['team without name or id', { teams: [{ webhooks: [] }] }, '/teams/0'],
  ['team without webhooks', { teams: [{ team: 'A' }] }, '/teams/0'],
  ['empty team name', { teams: [{ team: '', webhooks: [] }] }, '/teams/0/team'],
  ['team id not a uuid', { teams: [{ id: 'design-system', webhooks: [] }] }, '/teams/0/id'],
  ['unknown team key', { teams: [{ team: 'A', webhooks: [], accessToken: 'x' }] }, '/teams/0/accessToken'],
  ['nine webhooks', { teams: [{ team: 'A', webhooks: Array.from({ length: 9 }, (_, i) => ({ uri: `https://a.example/${i}` })) }] }, '/teams/0/webhooks'],
  ['webhook without uri', { teams: [{ team: 'A', webhooks: [{ format: 'json' }] }] }, '/teams/0/webhooks/0'],
  ['uri not a string', { teams: [{ team: 'A', webhooks: [{ uri: 42 }] }] }, '/teams/0/webhooks/0/uri'],
  ['ftp uri', { teams: [{ team: 'A', webhooks: [{ uri: 'ftp://a.example/x' }] }] }, '/teams/0/webhooks/0/uri'],
  ['uri without scheme', { teams: [{ team: 'A', webhooks: [{ uri: 'a.example/x' }] }] }, '/teams/0/webhooks/0/uri'],
  ['bad format', { teams: [{ team: 'A', webhooks: [{ uri: 'https://a.example', format: 'xml' }] }] }, '/teams/0/webhooks/0/format'],
  ['active as a string', { teams: [{ team: 'A', webhooks: [{ uri: 'https://a.example', active: 'yes' }] }] }, '/teams/0/webhooks/0/active'],
  ['unknown webhook key', { teams: [{ team: 'A', webhooks: [{ uri: 'https://a.example', secret: 's' }] }] }, '/teams/0/webhooks/0/secret'],
];

describe('webhooks file schema (ajv, draft 2020-12)', () => {
  it('accepts the valid files, and the runtime checks agree', () => {
    for (const [name, document] of valid) {
      assert.equal(validateWithAjv(document), true, `${name}: ${JSON.stringify(validateWithAjv.errors)}`);
      assert.deepEqual(validateWebhooksDocument(document).problems, [], name);
    }
  });

  it('refuses the invalid files with an error at the same path as the runtime checks', () => {
    for (const [name, document, pointer] of invalid) {
      assert.equal(validateWithAjv(document), false, `ajv accepted: ${name}`);
      const ajvPaths = (validateWithAjv.errors ?? []).map((e) =>
        e.keyword === 'additionalProperties' ? `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}` : e.instancePath);
      assert.ok(ajvPaths.includes(pointer), `${name}: ajv paths ${JSON.stringify(ajvPaths)} lack ${pointer}`);
      const runtime = validateWebhooksDocument(document).problems.map((p) => p.pointer);
      assert.ok(runtime.includes(pointer), `${name}: runtime paths ${JSON.stringify(runtime)} lack ${pointer}`);
    }
  });

  it('what the schema cannot say, the runtime checks add: a uri listed twice in a team', () => {
    const twice = { teams: [{ team: 'A', webhooks: [{ uri: 'https://a.example/x' }, { uri: 'https://a.example/x', active: false }] }] };
    assert.equal(validateWithAjv(twice), true);
    const problems = validateWebhooksDocument(twice).problems;
    assert.equal(problems.length, 1);
    assert.equal(problems[0].pointer, '/teams/0/webhooks/1/uri');
    assert.match(problems[0].message, /listed twice/);
  });

  it('is contributed for penpot-webhooks.json and *.penpot-webhooks.json', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const contributed = pkg.contributes.jsonValidation as { fileMatch: string[]; url: string }[];
    const entry = contributed.find((c) => c.url === './schemas/penpot-webhooks.schema.json');
    assert.ok(entry, JSON.stringify(contributed));
    assert.deepEqual([...entry.fileMatch].sort(), ['*.penpot-webhooks.json', 'penpot-webhooks.json']);
    assert.equal(isWebhooksFileName('/x/penpot-webhooks.json'), true);
    assert.equal(isWebhooksFileName('C:\\x\\prod.penpot-webhooks.json'), true);
    assert.equal(isWebhooksFileName('/x/my-penpot-webhooks.json'), false);
  });
});

describe('loading a webhooks file', () => {
  it('reports a JSON syntax error with file, line and column', () => {
    const text = '{\n  "teams": [\n    { "team": "A", "webhooks": [] }\n    { "team": "B", "webhooks": [] }\n  ]\n}\n';
    assert.throws(() => parseWebhooksFile(text, 'hooks.json'), (error: unknown) => {
      assert.ok(error instanceof WebhooksFileError);
      assert.equal(error.message, 'hooks.json:4:5: invalid JSON: Expected "," or "]" after an array element, found \'{\'');
      return true;
    });
    assert.throws(() => parseWebhooksFile('{"teams": [', 'f.json'), /f\.json:1:12: invalid JSON: Unexpected end of the file/);
    assert.throws(() => parseWebhooksFile('{"teams": [], "teams": []}', 'f.json'), /f\.json:1:15: invalid JSON: Duplicate property "teams"/);
  });

  it('reports every schema problem with its line, column and path', () => {
    const text = [
      '{ "teams": [',
      '  { "team": "A", "webhooks": [',
      '      { "uri": "ftp://x.example", "format": "xml" } ] },',
      '  { "webhooks": [] } ] }',
    ].join('\n');
    assert.throws(() => parseWebhooksFile(text, 'w.json'), (error: unknown) => {
      assert.ok(error instanceof WebhooksFileError);
      assert.deepEqual(error.message.split('\n'), [
        'w.json:3:16: /teams/0/webhooks/0/uri: "ftp://x.example" must start with http:// or https:// (it is ftp:)',
        'w.json:3:45: /teams/0/webhooks/0/format: must be "json" or "transit", not "xml"',
        'w.json:4:3: /teams/1: a team needs "team" (its name) or "id"',
      ]);
      return true;
    });
  });

  it('agrees with JSON.parse on values, and keeps "__proto__" a plain key', () => {
    const text = '{"a":[1,-2.5e3,true,false,null,"\\u00e9\\n\\"x"],"__proto__":{"b":{}}}';
    assert.deepEqual(parseJsonWithPlaces(text).value, JSON.parse(text));
    const parsed = parseJsonWithPlaces(text).value as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    assert.ok(Object.prototype.hasOwnProperty.call(parsed, '__proto__'));
  });

  it('writes a stable form: sorted, defaults written out, the same bytes for the same state', () => {
    const a = serializeWebhooksDocument({ teams: [
      { team: 'Zeta', id: TEAM_ID, webhooks: [{ uri: 'https://b.example' }, { uri: 'https://a.example', format: 'transit', active: false }] },
      { team: 'Alpha', webhooks: [] },
    ] });
    const b = serializeWebhooksDocument({ teams: [
      { team: 'Alpha', webhooks: [] },
      { team: 'Zeta', id: TEAM_ID, webhooks: [{ uri: 'https://a.example', format: 'transit', active: false }, { uri: 'https://b.example', format: 'json', active: true }] },
    ] });
    assert.equal(a, b);
    const parsed = JSON.parse(a);
    assert.deepEqual(parsed.teams.map((t: { team: string }) => t.team), ['Alpha', 'Zeta']);
    assert.deepEqual(parsed.teams[1].webhooks[1], { uri: 'https://b.example', format: 'json', active: true });
    assert.ok(a.endsWith('}\n'));
    assert.equal(validateWithAjv(parsed), true);
  });
});
