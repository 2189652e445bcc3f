// What the event catalog panel and "Generate Webhook Types" show, checked against the core catalog: every event once,
// grouped by subject; its props as the catalog states them; and per event and shape a schema, a JSON and a Transit
// example of one and the same payload, and the declarations of the types generator.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import { PAYLOAD_SHAPE_INFO, PAYLOAD_SHAPES, PENPOT_EVENTS, shapeForVersion } from '../../../../src/penpot/catalog';
import { camelKey } from '../../../../src/penpot/json';
import { schemaId } from '../../../../src/penpot/schema';
import { generateWebhookTypes, pascalName } from '../../../../src/penpot/typesGen';
import { validatePenpotEvent } from '../../../../src/penpot/validate';
import { decodeBody } from '../../../../src/receiver/decode';
import { SHAPE_VERSIONS, VERSION_OF_SHAPE, eventDetail, eventViews, shapeViews } from '../../../../src/extension/catalog/catalogData';
import { isCatalogMessage } from '../../../../src/extension/catalog/protocol';

describe('event catalog panel data', () => {
  it('lists every event once, each group in one run, in the groups\' order', () => {
    const views = eventViews();
    assert.deepEqual(views.map((v) => v.name).sort(), PENPOT_EVENTS.map((e) => e.name).sort());
    const runs = views.map((v) => v.group).filter((group, i, all) => group !== all[i - 1]);
    assert.deepEqual(runs, ['Files', 'Libraries', 'Projects', 'Comments', 'Fonts', 'Import and export']);
  });

  it('states each event\'s props, routing and debounce as the catalog does', () => {
    for (const view of eventViews()) {
      const info = PENPOT_EVENTS.find((e) => e.name === view.name)!;
      assert.deepEqual(view.props.map((p) => [p.name, p.transitName, p.optional]),
        info.props.map((p) => [camelKey(p.name), p.name, p.optional === true]), view.name);
      assert.equal(view.routingKey, info.routingKey);
      assert.ok(view.reaches.includes(`props.${camelKey(info.routingKey)}`), view.reaches);
      assert.equal(view.reachesNobody, info.reachesNobody);
      assert.equal(view.debounced, info.debounceMs !== undefined);
    }
    const byName = new Map(eventViews().map((v) => [v.name, v]));
    assert.match(byName.get('update-file')!.debounce, /^Penpot waits 2 min and delivers only the last event of a burst \(per profile and file id\)\.$/);
    assert.match(byName.get('update-project-pin')!.debounce, /waits 5 s/);
    assert.equal(byName.get('rename-file')!.debounce, 'None: every call is delivered.');
    assert.match(byName.get('set-file-shared')!.reachesNobody ?? '', /Publishing \(isShared: true\) reaches no webhook/);
    assert.equal(byName.get('clone-template')!.streamed, true);
  });

  it('names the Penpot versions of each shape, and a version standing for it has that shape', () => {
    assert.deepEqual(shapeViews().map((s) => s.versions), ['Penpot 2.15 and later', 'Penpot 2.14', 'Penpot 2.2 – 2.13', 'Penpot 2.0 – 2.1']);
    for (const shape of PAYLOAD_SHAPES) {
      assert.equal(shapeForVersion(VERSION_OF_SHAPE[shape]), shape);
      assert.ok(SHAPE_VERSIONS[shape].startsWith('Penpot '));
      assert.ok(!shapeViews().find((s) => s.shape === shape)!.description.includes('`'), 'plain text, no Markdown');
    }
  });

  it('generates for every event and shape a schema that accepts its JSON example, and a Transit example of the same payload', () => {
    const ajv = new Ajv2020({ strict: true });
    for (const shape of PAYLOAD_SHAPES) {
      for (const info of PENPOT_EVENTS) {
        const detail = eventDetail(info.name, shape);
        const schema = JSON.parse(detail.schema) as Record<string, unknown>;
        assert.equal(schema.$id, schemaId(shape, info.name));
        const json = JSON.parse(detail.jsonExample) as Record<string, unknown>;
        assert.equal(ajv.validate(schema, json), true, `${shape} ${info.name}: ${ajv.errorsText()}`);
        const transit = decodeBody(Buffer.from(detail.transitExample), 'application/transit+json').decoded;
        assert.equal(transit?.kind, 'transit');
        const verdict = validatePenpotEvent(transit.value, 'transit');
        assert.deepEqual([verdict.event, verdict.shape, verdict.matches], [info.name, shape, true], JSON.stringify(verdict.problems));
        assert.equal(detail.transitExample.includes(String(json.profileId)), true, 'the same payload in both forms');
        assert.deepEqual(detail.fields.map((f) => f.name), PAYLOAD_SHAPE_INFO[shape].keys.map(camelKey));
        // The type is the generator's declarations of this event, as the whole module has them.
        assert.ok(detail.type.includes(`export interface ${pascalName(info.name)}Event {`));
        const declarations = detail.type.slice(detail.type.indexOf(`/** Props of \`${info.name}\`.`));
        assert.ok(generateWebhookTypes(shape).includes(declarations), `${shape} ${info.name}`);
      }
    }
  });

  it('accepts only well-formed messages from the webview', () => {
    assert.equal(isCatalogMessage({ type: 'ready' }), true);
    assert.equal(isCatalogMessage({ type: 'request', requestId: 1, method: 'copy', params: { name: 'rename-file', shape: '2.15+', what: 'type' } }), true);
    assert.equal(isCatalogMessage({ type: 'request', requestId: 1, method: 'runAnything', params: {} }), false);
    assert.equal(isCatalogMessage({ type: 'request', requestId: '1', method: 'copy', params: {} }), false);
    assert.equal(isCatalogMessage({ type: 'request', requestId: 1, method: 'copy' }), false);
    assert.equal(isCatalogMessage(null), false);
  });
});
