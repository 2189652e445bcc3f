// The burst coalescer behind the Receiver view's and the status bar's redraws. Node's mock timers drive the clock,
// so nothing here waits for real time.
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { debounce } from '../../../src/common/debounce';

describe('debounce', () => {
  it('runs once per burst, the interval after the burst\'s first call, and again for the next burst', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      let runs = 0;
      const redraw = debounce(() => { runs++; }, 500);
      redraw();
      mock.timers.tick(300);
      redraw();
      redraw();
      assert.equal(runs, 0);
      mock.timers.tick(200);
      assert.equal(runs, 1, 'later calls join the scheduled run instead of pushing it back');
      mock.timers.tick(1000);
      assert.equal(runs, 1);
      redraw();
      mock.timers.tick(500);
      assert.equal(runs, 2);
    } finally {
      mock.timers.reset();
    }
  });

  it('flushes a pending run at once and cancels one that should not happen', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      let runs = 0;
      const redraw = debounce(() => { runs++; }, 500);
      redraw.flush();
      assert.equal(runs, 0, 'nothing pending, nothing to flush');
      redraw();
      redraw.flush();
      assert.equal(runs, 1);
      mock.timers.tick(500);
      assert.equal(runs, 1, 'the flushed run does not fire again');
      redraw();
      redraw.cancel();
      mock.timers.tick(500);
      assert.equal(runs, 1);
    } finally {
      mock.timers.reset();
    }
  });
});
