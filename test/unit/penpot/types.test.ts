// Penpot rules encoded in the shared domain types.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPenpotDeliverySuccess } from '../../../src/penpot/types';

describe('Penpot\'s delivery success rule (§4.1 step 5)', () => {
  it('counts only 200 and 204 as delivered', () => {
    assert.equal(isPenpotDeliverySuccess(200), true);
    assert.equal(isPenpotDeliverySuccess(204), true);
    for (const status of [201, 202, 203, 206, 299, 301, 302, 304, 400, 404, 500, 503]) {
      assert.equal(isPenpotDeliverySuccess(status), false, String(status));
    }
  });

  it('counts no answer as a failure', () => {
    assert.equal(isPenpotDeliverySuccess(undefined), false);
    assert.equal(isPenpotDeliverySuccess(null), false);
  });
});
