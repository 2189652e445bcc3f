// Property tests: every valid tree survives compact and verbose Transit exactly, and its plain view is JSON.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeTransit, encodeTransit, toPlainJson, type TransitNode } from '../../../src/transit';
import { transitNode } from './arbitraries';

const RUNS = 400;

/** True when `value` is made only of what JSON can carry (no undefined, NaN, class instances, …). */
function isJsonValue(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value).every(isJsonValue);
  }
  return false;
}

/** JSON has no negative zero; compare the JSON copy against the tree with -0 read as 0. */
function withoutNegativeZero(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (Object.is(v, -0) ? 0 : v)));
}

describe('Transit codec properties', () => {
  it('compact encoding round-trips every tree exactly', () => {
    fc.assert(
      fc.property(transitNode, (tree) => {
        assert.deepStrictEqual(decodeTransit(encodeTransit(tree)), tree);
      }),
      { numRuns: RUNS },
    );
  });

  it('verbose encoding round-trips every tree exactly', () => {
    fc.assert(
      fc.property(transitNode, (tree) => {
        assert.deepStrictEqual(decodeTransit(encodeTransit(tree, { verbose: true })), tree);
      }),
      { numRuns: RUNS },
    );
  });

  it('repeated subtrees, written with "^N" cache codes, round-trip in both encodings', () => {
    // Repeating a tree inside one payload makes its keywords, keys and tags repeat, so the cache is exercised.
    fc.assert(
      fc.property(transitNode, (tree) => {
        const repeated: TransitNode = [tree, tree, tree];
        const compact = encodeTransit(repeated);
        assert.deepStrictEqual(decodeTransit(compact), repeated);
        assert.deepStrictEqual(decodeTransit(encodeTransit(repeated, { verbose: true })), repeated);
      }),
      { numRuns: RUNS / 2 },
    );
  });

  it('the decoded tree and its plain view are JSON-serialisable', () => {
    fc.assert(
      fc.property(transitNode, (tree) => {
        const decoded = decodeTransit(encodeTransit(tree));
        const plain = toPlainJson(decoded);
        assert.ok(isJsonValue(decoded), 'decoded tree holds a non-JSON value');
        assert.ok(isJsonValue(plain), 'plain view holds a non-JSON value');
        assert.deepStrictEqual(JSON.parse(JSON.stringify(decoded)), withoutNegativeZero(decoded));
        assert.deepStrictEqual(JSON.parse(JSON.stringify(plain)), withoutNegativeZero(plain));
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws anything but TransitDecodeError on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 4 }), (text) => {
        try {
          const tree = decodeTransit(text);
          assert.ok(isJsonValue(tree));
        } catch (error) {
          assert.equal((error as Error).name, 'TransitDecodeError', String(error));
          assert.match((error as Error).message, /^Not valid Transit: /);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
